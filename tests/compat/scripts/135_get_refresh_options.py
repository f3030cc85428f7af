"""get(populate_existing=True) SELECTs and overwrites the identity map's object (its pending
changes lost, relationships unloaded); get(with_for_update=) always SELECTs (SQLite renders no
FOR UPDATE) without overwriting; identity_token gives a distinct object; get_one raises for a
missing row; refresh(attribute_names=) reloads only those; refresh(with_for_update=);
legacy query(X).get() warns LegacyAPIWarning."""

from harness import check, engine, expect_error, expect_warnings, members, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    fullname = Column(String(50))
    addresses = relationship("Address", backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, autoflush=False)
s.add(User(name="ed", fullname="Ed", addresses=[Address(email="e1")]))
s.commit()
ed = s.get(User, 1)
value("addresses", [a.email for a in ed.addresses])
ed.name = "changed"
members("dirty", s.dirty)
same = s.get(User, 1, populate_existing=True)
value("same object", same is ed)
value("overwritten", (ed.name, "addresses" in ed.__dict__))
members("dirty after populate_existing", s.dirty)
check("ed", ed=ed)

ed.fullname = "changed too"
locked = s.get(User, 1, with_for_update=True)
value("with_for_update: same object, not overwritten", (locked is ed, ed.fullname))
locked = s.get(User, 1, with_for_update={"read": True})
value("with_for_update dict", locked is ed)
members("dirty after with_for_update", s.dirty)
value("no FOR UPDATE: False", s.get(User, 1, with_for_update=False) is ed)

tok = s.get(User, 1, identity_token="shard")
check("token object", tok=tok)
value("distinct from the plain one", tok is ed)
value("found again by token", s.get(User, 1, identity_token="shard") is tok)
value("missing with get", s.get(User, 99))
with expect_error("missing with get_one"):
    s.get_one(User, 99)
value("get_one found", s.get_one(User, 1) is ed)

s.rollback()
with Session(eng) as other:
    other.get(User, 1).name = "elsewhere"
    other.get(User, 1).fullname = "Elsewhere"
    other.commit()
ed.name = "mine"
ed.fullname = "Mine"
s.refresh(ed, attribute_names=["name"])
value("only name refreshed", (ed.name, ed.fullname))
members("still dirty (fullname)", s.dirty)
s.refresh(ed, with_for_update=True)
value("all refreshed", (ed.name, ed.fullname))
s.refresh(ed, attribute_names=["fullname", "addresses"], with_for_update={"nowait": True})
value("relationship in attribute_names", "addresses" in ed.__dict__)
value("loads on access", [a.email for a in ed.addresses])

with expect_warnings("legacy Query.get"):
    q = s.query(User).get(1)
value("Query.get result", q is ed)
s.close()

s2 = Session(eng)
a = s2.get(Address, 1)
s2.refresh(a, attribute_names=["user"])
value("many-to-one refreshed and loaded", "user" in a.__dict__)
u = s2.get(User, 1)
s2.refresh(u, attribute_names=["addresses"])
value("only a collection named", [x.email for x in u.__dict__["addresses"]])
s2.close()
