"""merge() with load=True: autoflushes first (even for an unmapped argument), copies onto the
identity map's object, or loads it with a SELECT, or makes a pending copy (no primary key, or no
row); the source is never attached; copied columns leave the target dirty even when equal;
relationships cascade along merge (a backref is not walked back); the merged collection
replaces the target's."""

from harness import check, engine, expect_error, expect_warnings, members, track, value
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

s = Session(eng)
s.add_all([User(name="ed", fullname="Ed Jones", addresses=[Address(email="e1")]),
           User(name="wendy", fullname="Wendy W")])
s.commit()
s.close()

# a detached copy: loaded in one session, changed, merged into another
s1 = Session(eng)
ed_copy = s1.get(User, 1)
value("addresses loaded", [a.email for a in ed_copy.addresses])
s1.close()
ed_copy.name = "eddie"
ed_copy.addresses.append(Address(email="e2"))
track(ed_copy=ed_copy)

s2 = Session(eng)
pending = User(name="pending")
s2.add(pending)
with expect_error("unmapped argument"):
    s2.merge(object())
check("the autoflush ran first", pending=pending)
merged = s2.merge(ed_copy)
check("merged", merged=merged, ed_copy=ed_copy)
value("a different object", merged is ed_copy)
members("dirty", s2.dirty)
members("new", s2.new)
value("merged values", (merged.name, merged.fullname, sorted(a.email for a in merged.addresses)))
value("merged address parents", sorted(a.user is merged for a in merged.addresses))
s2.commit()

# the target already in the identity map: no SELECT; an equal value still makes it dirty
wendy = s2.get(User, 2)
value("wendy loaded", wendy.name)
copy = User(id=2, name="wendy")
w2 = s2.merge(copy)
value("same identity-map object", w2 is wendy)
members("dirty after merging equal values", s2.dirty)
value("is_modified", s2.is_modified(wendy))
check("transient source untouched", copy=copy, wendy=wendy)
s2.flush()

# transient with a primary key: SELECTed; found -> that row, not found -> pending copy
s2.expunge_all()
t = User(id=2, fullname="Wendy Williams")
w3 = s2.merge(t)
check("loaded by merge", w3=w3)
value("unset column keeps the loaded value", (w3.name, w3.fullname))
t9 = User(id=9, name="nine")
n9 = s2.merge(t9)
check("no such row: pending copy", n9=n9, t9=t9)
t_nopk = User(name="nopk")
n = s2.merge(t_nopk)
check("no primary key: pending copy", n=n)
with s2.no_autoflush, expect_warnings("merging a pending object again"):
    n2 = s2.merge(User(name="nopk2"))
    again = s2.merge(n2)
check("a second pending copy", again=again, n2=n2)
value("merging a pending object again gives a new copy", again is n2)
s2.flush()
check("both inserted", again=again, n2=n2)
s2.rollback()

# a detached object whose row is gone: pending copy that INSERTs the old key
s3 = Session(eng)
gone = s3.get(User, 2)
s3.expunge(gone)
with Session(eng) as other:
    other.delete(other.get(User, 2))
    other.commit()
back = s3.merge(gone)
check("row gone: pending with the old key", back=back)
s3.commit()
check("inserted again", back=back)
value("final", sorted((u.id, u.name) for u in s3.query(User)))
s3.close()
