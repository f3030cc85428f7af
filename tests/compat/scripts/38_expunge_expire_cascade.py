"""expunge() and expire() follow the 'expunge' / 'refresh-expire' cascades of 'all': loaded
children are detached or expired with the parent; a pending child reached through a
delete-orphan relationship leaves the session on expire; default-cascade children stay."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    notes = relationship("Note", backref="user", cascade="all, delete-orphan")
    addresses = relationship("Address", backref="user")


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    text = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(name="u", notes=[Note(text="a")], addresses=[Address()])
s.add(u)
s.flush()
n1, a = u.notes[0], u.addresses[0]
n2 = Note(text="pending")
u.notes.append(n2)
u.name = "changed"
n1.text = "changed"
s.expire(u)
check("after expire(u)", u=u, n1=n1, n2=n2, a=a)
value("n1 loaded keys", sorted(k for k in vars(n1) if not k.startswith("_")))
value("n1.text", n1.text)
value("u.notes", [x.text for x in u.notes])
s.expunge(u)
check("after expunge(u)", u=u, n1=n1, n2=n2, a=a)
s.rollback()
check("after rollback", u=u, n1=n1, a=a)
s.close()
