"""Backrefs do not cascade into the session (SQLAlchemy 2's removal of cascade_backrefs;
test_cascade's no-save-cascade-backref): assigning a pending-free transient object to a
persistent object's many-to-one, one-to-many or many-to-many backref does not add the
transient one; only save-update along the forward direction does; flush warnings when a
related object is left out."""

from harness import check, engine, expect_warnings, members, value
from sqlalchemy import Column, ForeignKey, Integer, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

u_k = Table("u_k", Base.metadata,
            Column("u_id", ForeignKey("users.id"), primary_key=True),
            Column("k_id", ForeignKey("keywords.id"), primary_key=True))


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    addresses = relationship("Address", backref="user")
    keywords = relationship("Keyword", secondary=u_k, backref="users")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))


class Keyword(Base):
    __tablename__ = "keywords"
    id = Column(Integer, primary_key=True)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(id=1)
s.add(u)
s.commit()

a = Address(id=1)
a.user = u  # backref appends to u.addresses, but a is not cascaded into the session
members("new after m2o backref", s.new)
check("transient", a=a)
k = Keyword(id=1)
k.users.append(u)
members("new after m2m backref", s.new)
with expect_warnings("flush leaves them out"):
    s.commit()
value("rows", [sorted(tuple(r) for r in s.execute(select(Address.id))),
               sorted(tuple(r) for r in s.execute(select(u_k)))])

u2 = User(id=2)
s.add(a)  # forward: a.user is u (persistent); a's own add
a.user = u2  # forward save-update cascade along the many-to-one adds u2
members("new after forward", s.new)
s.commit()
value("rows 2", sorted(tuple(r) for r in s.execute(select(Address.id, Address.user_id))))
check("end", u2=u2, a=a, k=k)
s.close()
