"""A uselist=False many-to-many (one row in the association table per parent): assigning,
swapping (the old row deleted: loaded by the flush when it was not loaded), setting to
None, and the collection backref on the other side."""

from harness import engine, names, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

primary_email = Table(
    "primary_email", Base.metadata,
    Column("member_id", ForeignKey("member.id"), primary_key=True),
    Column("email_id", ForeignKey("email.id"), primary_key=True),
)


class Member(Base):
    __tablename__ = "member"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    email = relationship("Email", secondary=primary_email, uselist=False, backref="members")


class Email(Base):
    __tablename__ = "email"
    id = Column(Integer, primary_key=True)
    address = Column(String(40))


def rows(s):
    return [tuple(r) for r in s.execute(select(primary_email))]


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
m = Member(name="m")
e1, e2 = Email(address="one@x"), Email(address="two@x")
track(m=m, e1=e1, e2=e2)
m.email = e1
value("e1.members", names(e1.members))
s.add_all([m, e2])
s.commit()
value("rows", rows(s))

m.email = e2  # the old value is not loaded: the flush loads it to delete its row
s.commit()
value("rows after swap", rows(s))
value("e1.members", names(e1.members))
value("e2.members", names(e2.members))

m.email = None
s.commit()
value("rows after None", rows(s))
e1.members.append(m)
s.commit()
value("m.email via backref", m.email)
value("rows at the end", rows(s))
s.close()
