"""SAVEPOINT edge cases: begin_nested() whose first flush fails, a failed flush two
SAVEPOINTs deep (only the innermost is rolled back), Session.commit() / rollback() with
SAVEPOINTs open (2.x: the whole stack), releasing a SAVEPOINT does not expire
(expire_on_commit acts at the root commit only), a SAVEPOINT's flush autobegun by a query.
(On pysqlite without the SAVEPOINT workaround a SAVEPOINT opened first in a transaction
begins it, and releasing it commits: both ORMs see the same, it is Core's behaviour.)"""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False, unique=True)


eng = engine()
Base.metadata.create_all(eng)


def state(label, s):
    value(label, [s.in_transaction(), s.in_nested_transaction(), s.is_active])


s = Session(eng)
a = User(name="a")
s.add(a)
s.commit()

# begin_nested() flushes first; the flush fails: no SAVEPOINT, the root is inactive
dup = User(name="a")
s.add(dup)
with expect_error("begin_nested with a failing flush"):
    s.begin_nested()
state("after failed begin_nested", s)
check("after failed begin_nested", dup=dup)
s.rollback()
state("after rollback", s)

# a failed flush two SAVEPOINTs deep
sp1 = s.begin_nested()
b = User(name="b")
s.add(b)
sp2 = s.begin_nested()
c = User(name="c")
s.add(c)
sp3 = s.begin_nested()
s.add(User(name="b"))
with expect_error("flush three deep"):
    s.flush()
value("levels", [sp1.is_active, sp2.is_active, sp3.is_active])
state("three deep failed", s)
with expect_error("rollback middle first"):
    sp2.rollback()
state("after middle rollback", s)
check("after middle rollback", b=b, c=c)
value("levels after", [sp1.is_active, sp2.is_active, sp3.is_active])
sp1.commit()
state("after sp1 commit", s)
value("a.name still loaded", "name" in vars(a))

# Session.commit() with two SAVEPOINTs open commits them all
sp1 = s.begin_nested()
d = User(name="d")
s.add(d)
sp2 = s.begin_nested()
a.name = "a2"
s.commit()
value("after commit", [sp1.is_active, sp2.is_active, s.in_transaction()])
check("after commit", d=d)
value("expired after commit", "name" in vars(a))

# releasing a SAVEPOINT does not expire; Session.rollback() with SAVEPOINTs open
value("a.name", a.name)
sp1 = s.begin_nested()
e = User(name="e")
s.add(e)
a.name = "a3"
sp1.commit()
value("loaded after release", ["name" in vars(a), "name" in vars(e)])
sp2 = s.begin_nested()
s.add(User(name="f"))
s.rollback()
value("after rollback", [sp1.is_active, sp2.is_active, s.in_transaction()])
check("after rollback", e=e, a=a)
value("a.name", a.name)

# a query inside a SAVEPOINT autoflushes into it
sp = s.begin_nested()
g = User(name="g")
s.add(g)
value("query", s.scalars(select(User.name).order_by(User.name)).all())
sp.rollback()
check("g after savepoint rollback", g=g)
members("new", s.new)
s.commit()
value("rows", s.scalars(select(User.name).order_by(User.name)).all())
s.close()
