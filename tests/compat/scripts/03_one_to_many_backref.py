"""One-to-many with relationship(backref=...): a user with two addresses appended before the
flush; the parent INSERT comes first and its generated PK is synced into the children's FK;
the backref sets address.user."""

from harness import check, engine, names, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(name="jack")
a1, a2 = Address(email="j@a"), Address(email="j@b")
u.addresses.append(a1)
u.addresses.append(a2)
check("before add", u=u, a1=a1, a2=a2)
value("a1.user is u (backref)", a1.user is u)
s.add(u)
check("after add (cascade)", u=u, a1=a1, a2=a2)
s.flush()
check("after flush", u=u, a1=a1, a2=a2)
value("fks", [a1.user_id, a2.user_id])
value("u.addresses", names(u.addresses))
s.commit()
s.close()
