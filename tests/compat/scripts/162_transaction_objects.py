"""The transaction objects and the Session's view of them: in_transaction(),
in_nested_transaction(), get_transaction(), get_nested_transaction(), is_active,
SessionTransaction.parent / nested / origin / is_active through autobegin (also by loading an
expired attribute), begin(), begin_nested(), commit, rollback, close(), reset(), invalidate();
begin() when a transaction is already begun; autobegin=False; operations on a transaction
object after it ended."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, event, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)


def view(label, s):
    t = s.get_transaction()
    n = s.get_nested_transaction()
    value(label, [s.in_transaction(), s.in_nested_transaction(), s.is_active,
                  t is not None and t.origin.name, n is not None and n.origin.name])


def tview(label, t):
    value(label, [t.is_active, t.nested, t.origin.name, t.parent is None])


s = Session(eng)
view("fresh", s)
u = User(name="u")
s.add(u)
view("after add (autobegin)", s)
root = s.get_transaction()
tview("root", root)
s.commit()
view("after commit", s)
tview("root after commit", root)
value("root.session after commit", root.session is s)
with expect_error("commit of a committed transaction"):
    root.commit()
with expect_error("rollback of a committed transaction"):
    root.rollback()
root.close()
with expect_error("begin_nested on a committed transaction"):
    root.begin_nested()

# loading an expired attribute autobegins
value("u.name (expired load)", u.name)
view("after expired load", s)
tview("autobegun by load", s.get_transaction())
s.rollback()

# begin() explicitly, and again
t = s.begin()
tview("begun", t)
with expect_error("begin() again"):
    s.begin()
n1 = s.begin_nested()
tview("nested 1", n1)
value("n1.parent is t", n1.parent is t)
n2 = s.begin_nested()
value("n2.parent is n1", n2.parent is n1)
view("two nested", s)
with expect_error("begin() inside nested"):
    s.begin()
n2.rollback()
tview("n2 after rollback", n2)
view("after n2 rollback", s)
with expect_error("n2.commit() after rollback"):
    n2.commit()
n1.commit()
tview("n1 after commit", n1)
with expect_error("n1.rollback() after commit"):
    n1.rollback()
with expect_error("n1 begin_nested after commit"):
    n1.begin_nested()
t.commit()
tview("t after commit", t)

# the context manager forms
with s.begin() as t2:
    with s.begin_nested() as n3:
        s.add(User(name="cm"))
        tview("n3 inside", n3)
    tview("n3 after", n3)
    view("inside begin() block", s)
tview("t2 after", t2)
view("after begin() block", s)

# close / reset / invalidate end the transaction
for how in ("close", "reset", "invalidate"):
    s.add(User(name=how))
    s.begin_nested()
    t = s.get_transaction()
    getattr(s, how)()
    tview("root after " + how, t)
    view("session after " + how, s)
    with expect_error("commit after " + how):
        t.commit()

# invalidate() invalidates the connection (the pool discards it), close() returns it
invalidated = []
event.listen(eng, "invalidate", lambda *args: invalidated.append(1))
for how in ("close", "invalidate"):
    conn = s.connection()
    getattr(s, how)()
    value("connection after " + how, [conn.closed, len(invalidated)])

# autobegin=False
s2 = Session(eng, autobegin=False)
view("autobegin=False", s2)
with expect_error("add without begin"):
    s2.add(User(name="x"))
with expect_error("execute without begin"):
    s2.execute(select(User))
with expect_error("begin_nested without begin (begins both)"):
    s2.begin_nested()
view("autobegin=False begin_nested", s2)
s2.rollback()
view("autobegin=False rolled back", s2)
s2.begin()
view("autobegin=False begun", s2)
x = User(name="x")
s2.add(x)
s2.commit()
view("autobegin=False after commit", s2)
check("x", x=x)
with expect_error("expired load without begin"):
    value("x.name", x.name)
with s2.begin():
    value("x.name", x.name)
with expect_error("commit without transaction"):
    s2.commit()
s2.rollback()
s2.close()
s.close()
