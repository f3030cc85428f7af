"""Many-to-one with delete-orphan (single_parent=True; test_cascade): the target is
deleted when the referencing row lets go of it (set to None, replaced, replaced twice
before a flush), the delete cascades two levels, a second parent for a single-parent
target raises, and without delete-orphan (cascade="all") a replaced target is kept."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Pref(Base):
    __tablename__ = "prefs"
    id = Column(Integer, primary_key=True)
    data = Column(String(30))
    extra_id = Column(Integer, ForeignKey("extras.id"))
    extra = relationship("Extra", cascade="all, delete-orphan", single_parent=True)


class Extra(Base):
    __tablename__ = "extras"
    id = Column(Integer, primary_key=True)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    pref_id = Column(Integer, ForeignKey("prefs.id"))
    pref = relationship("Pref", cascade="all, delete-orphan", single_parent=True)
    other_id = Column(Integer, ForeignKey("others.id"))
    other = relationship("Other", cascade="all")


class Other(Base):
    __tablename__ = "others"
    id = Column(Integer, primary_key=True)


def rows():
    return [sorted(tuple(r) for r in s.execute(select(User.id, User.pref_id, User.other_id))),
            sorted(tuple(r) for r in s.execute(select(Pref.id, Pref.extra_id))),
            sorted(tuple(r) for r in s.execute(select(Extra.id))),
            sorted(tuple(r) for r in s.execute(select(Other.id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(id=1, pref=Pref(id=1, extra=Extra(id=1)), other=Other(id=1))
s.add(u)
s.commit()
value("start", rows())
p1 = u.pref
u.pref = None
s.commit()
check("orphan deleted", p1=p1)
value("after None", rows())

u.pref = Pref(id=2)
s.flush()
p2 = u.pref
u.pref = Pref(id=3)
u.pref = Pref(id=4, extra=Extra(id=4))
s.commit()
check("replaced twice", p2=p2)
value("after replace", rows())

o1 = u.other
u.other = Other(id=2)
s.commit()
check("plain all keeps", o1=o1)

u2 = User(id=2)
s.add(u2)
with expect_error("second parent"):
    u2.pref = u.pref
s.rollback()
s.delete(u)
s.commit()
value("user deleted", rows())
s.close()
