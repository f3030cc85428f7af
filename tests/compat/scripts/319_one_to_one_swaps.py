"""One-to-one (uselist=False) swaps (test_cascade's single-parent and one-to-one shapes):
replacing the related object without flushing in between (the old one deleted with
delete-orphan, nulled without), swapping the related objects of two parents in one flush
under a unique foreign key, and moving the one object from one parent to another."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    address = relationship("Address", uselist=False, cascade="all, delete-orphan",
                           backref="user")
    badge = relationship("Badge", uselist=False, backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), unique=True)
    email = Column(String(30))


class Badge(Base):
    __tablename__ = "badges"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), unique=True)


def rows():
    return [sorted(tuple(r) for r in s.execute(select(Address.id, Address.user_id))),
            sorted(tuple(r) for r in s.execute(select(Badge.id, Badge.user_id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u1 = User(id=1, name="u1", address=Address(id=1, email="a1"), badge=Badge(id=1))
u2 = User(id=2, name="u2", address=Address(id=2, email="a2"), badge=Badge(id=2))
s.add_all([u1, u2])
s.commit()

a1 = u1.address
u1.address = Address(id=3, email="a3")
u1.address = Address(id=4, email="a4")  # replaced again before any flush
with expect_error("replace under a unique key"):  # the INSERT runs before the DELETE
    s.commit()
s.rollback()
check("rolled back", a1=a1)
u1.address = None
s.flush()
u1.address = Address(id=3, email="a3")
u1.address = Address(id=4, email="a4")
s.commit()
check("replaced twice", a1=a1)
value("after replace", rows())

b1 = u1.badge
u1.badge = Badge(id=3)  # no delete-orphan: the old one is nulled
s.commit()
check("badge", b1=b1)
value("badge replaced", rows())

# swap two badges: the unique key sees both UPDATEs
b2 = u2.badge
u1.badge, u2.badge = b2, b1
with expect_error("swap under a unique key"):
    s.commit()
s.rollback()
s.close()

# (a fresh session: which expired object a flush reloads first is SQLAlchemy's set order)
s = Session(eng, expire_on_commit=False)
u1, u2 = s.get(User, 1), s.get(User, 2)
b1, b2 = s.get(Badge, 1), s.get(Badge, 2)
value("loaded", [u1.badge.id, u2.badge.id, u1.address.id, u2.address.id])
u1.badge = u2.badge = None  # (UPDATEs of one flush go in primary key order)
s.flush()
u1.badge = b2
u2.badge = b1
s.commit()
value("swapped in two flushes", rows())

# move an address (delete-orphan) from u2 to u1: the old u1 address is deleted
a2 = u2.address
old = u1.address
u1.address = a2
with expect_error("move under a unique key"):  # the UPDATE runs before the DELETE
    s.commit()
s.rollback()
s.close()

s = Session(eng, expire_on_commit=False)
u1, u2 = s.get(User, 1), s.get(User, 2)
a2, old = u2.address, u1.address
u1.address = None
s.flush()
u1.address = a2
s.commit()
check("moved", a2=a2, old=old, u2=u2)
value("moved rows", rows())
s.close()
