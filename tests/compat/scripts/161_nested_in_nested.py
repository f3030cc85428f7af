"""begin_nested() inside begin_nested(), released and rolled back in every order: commit
inner / rollback outer, rollback inner / commit outer, three deep with the middle one rolled
back, rollback of an outer level that closes the open inner ones, and what each leaves in
the database, the session and the objects (new / deleted / dirty, attribute values)."""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)


def names(s):
    return s.scalars(select(User.name).order_by(User.id)).all()


def levels(label, s, *ts):
    value(label + " levels", [s.in_transaction(), s.in_nested_transaction()]
          + [t.is_active for t in ts])


s = Session(eng)
base = User(name="base")
s.add(base)
s.commit()

# commit inner, rollback outer: the inner work goes with the outer
base.name = "b0"
sp1 = s.begin_nested()
u1 = User(name="u1")
s.add(u1)
base.name = "b1"
sp2 = s.begin_nested()
u2 = User(name="u2")
s.add(u2)
base.name = "b2"
sp2.commit()
levels("after inner commit", s, sp1, sp2)
check("after inner commit", u1=u1, u2=u2, base=base)
sp1.rollback()
levels("after outer rollback", s, sp1, sp2)
check("after outer rollback", u1=u1, u2=u2, base=base)
members("new", s.new)
value("base.name", base.name)
value("rows", names(s))

# rollback inner, commit outer: only the outer work stays
sp1 = s.begin_nested()
u3 = User(name="u3")
s.add(u3)
base.name = "c1"
sp2 = s.begin_nested()
u4 = User(name="u4")
s.add(u4)
base.name = "c2"
s.delete(u3)
s.flush()
check("inner flushed", u3=u3, u4=u4, base=base)
sp2.rollback()
check("after inner rollback", u3=u3, u4=u4, base=base)
value("base.name", base.name)
levels("after inner rollback", s, sp1, sp2)
sp1.commit()
check("after outer commit", u3=u3, u4=u4, base=base)
value("rows", names(s))

# three deep, middle rolled back while the innermost is open
sp1 = s.begin_nested()
u5 = User(name="u5")
s.add(u5)
sp2 = s.begin_nested()
u6 = User(name="u6")
s.add(u6)
sp3 = s.begin_nested()
u7 = User(name="u7")
s.add(u7)
s.flush()
levels("three deep", s, sp1, sp2, sp3)
value("nested is sp3", s.get_nested_transaction() is sp3)
value("parents", [sp3.parent is sp2, sp2.parent is sp1, sp1.parent is s.get_transaction()])
sp2.rollback()
levels("middle rolled back", s, sp1, sp2, sp3)
value("nested is sp1", s.get_nested_transaction() is sp1)
check("middle rolled back", u5=u5, u6=u6, u7=u7)
with expect_error("commit the closed innermost"):
    sp3.commit()
with expect_error("rollback the closed innermost"):
    sp3.rollback()
sp1.commit()
check("outer released", u5=u5, u6=u6, u7=u7)
s.commit()
value("committed", names(s))

# three deep, all released, then the root rolled back
sp1 = s.begin_nested()
a = User(name="a")
s.add(a)
sp2 = s.begin_nested()
b = User(name="b")
s.add(b)
sp3 = s.begin_nested()
c = User(name="c")
s.add(c)
sp3.commit()
sp2.commit()
sp1.commit()
check("all released", a=a, b=b, c=c)
s.rollback()
check("root rolled back", a=a, b=b, c=c)

# the outermost savepoint rolled back while two inner ones are open
sp1 = s.begin_nested()
d = User(name="d")
s.add(d)
sp2 = s.begin_nested()
e = User(name="e")
s.add(e)
sp3 = s.begin_nested()
base.name = "deep"
sp1.rollback()
levels("outermost rolled back", s, sp1, sp2, sp3)
check("outermost rolled back", d=d, e=e, base=base)
value("base.name", base.name)
s.commit()
value("final", names(s))
s.close()
