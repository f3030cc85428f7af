"""A flush that fails leaves the transaction inactive ("rolled back due to a previous
exception during flush"): is_active, what each operation then raises, what rollback()
restores; the same inside a SAVEPOINT (only the SAVEPOINT is rolled back and must be
rolled back by the user, the outer transaction goes on); the context-manager form
`with s.begin_nested():` with an exception inside; a transaction object used after its
session rolled it back."""

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

s = Session(eng)
ok = User(name="ok")
s.add(ok)
s.commit()

# a failed flush in the root transaction
ok.name = "renamed"
bad = User(name="ok2")
dup = User(name="renamed")
s.add_all([bad, dup])
with expect_error("flush"):
    s.flush()
value("is_active", s.is_active)
root = s.get_transaction()
value("root", [root.is_active, s.in_transaction()])
check("after failed flush", ok=ok, bad=bad, dup=dup)
with expect_error("flush again"):
    s.flush()
with expect_error("execute"):
    s.execute(select(User))
with expect_error("commit"):
    s.commit()
with expect_error("begin_nested"):
    s.begin_nested()
with expect_error("connection"):
    s.connection()
with expect_error("root.commit()"):
    root.commit()
with expect_error("begin()"):
    s.begin()
s.rollback()
value("is_active after rollback", s.is_active)
value("root after rollback", root.is_active)
check("after rollback", ok=ok, bad=bad, dup=dup)
members("new", s.new)
value("ok.name", ok.name)
with expect_error("root.rollback() after session rollback"):
    root.rollback()

# a failed flush inside a SAVEPOINT: only the SAVEPOINT is rolled back
keep = User(name="keep")
s.add(keep)
sp = s.begin_nested()
clash = User(name="keep")
s.add(clash)
with expect_error("flush in savepoint"):
    s.flush()
value("savepoint after failed flush", [s.is_active, sp.is_active, s.in_nested_transaction()])
with expect_error("query in failed savepoint"):
    s.execute(select(User))
with expect_error("sp.commit()"):
    sp.commit()
sp.rollback()
value("after sp.rollback()", [s.is_active, s.in_nested_transaction()])
check("after sp.rollback()", keep=keep, clash=clash)
s.commit()
value("committed", s.scalars(select(User.name).order_by(User.id)).all())

# with s.begin_nested(): an exception inside rolls back only the SAVEPOINT and propagates
with expect_error("exception in begin_nested block"):
    with s.begin_nested():
        inner = User(name="inner")
        s.add(inner)
        ok.name = "inner-name"
        s.flush()
        raise ValueError("boom")
check("after failed block", inner=inner, ok=ok)
value("ok.name", ok.name)
value("still in root", [s.in_transaction(), s.in_nested_transaction()])

# a flush error inside the block: the block rolls the SAVEPOINT back
with expect_error("flush error in begin_nested block"):
    with s.begin_nested():
        s.add(User(name="keep"))
value("after flush-error block", [s.is_active, s.in_nested_transaction()])
s.commit()

# with s.begin(): an exception rolls back and ends the transaction
with expect_error("exception in begin block"):
    with s.begin():
        gone = User(name="gone")
        s.add(gone)
        s.flush()
        raise KeyError("x")
check("after begin block", gone=gone)
value("after begin block", s.in_transaction())

# closing the transaction inside its own block
with expect_error("closed within the block"):
    with s.begin() as t:
        t.close()
with expect_error("rollback within the block"):
    with s.begin_nested() as t:
        t.rollback()
s.rollback()
with expect_error("work after rollback within the block"):
    with s.begin() as t:
        s.add(User(name="late"))
        t.rollback()
        s.add(User(name="later"))
value("after the refused block", [s.in_transaction(), len(s.new)])
s.rollback()
with expect_error("query after rollback within the block"):
    with s.begin() as t:
        t.rollback()
        s.execute(select(User))
s.rollback()
value("final", s.scalars(select(User.name).order_by(User.id)).all())
s.close()
