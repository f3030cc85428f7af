"""A Session bound to a Core Connection: not in a transaction (the Session begins and ends
it), and already in a transaction or a SAVEPOINT with each join_transaction_mode (default
"conditional_savepoint", "create_savepoint", "rollback_only", "control_fully"): which SQL
commit / rollback / close emit, and whether the outer transaction survives."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, insert, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

# a Connection that is not in a transaction: the Session begins one and owns it
conn = eng.connect()
s = Session(bind=conn)
u1 = User(name="plain-1")
s.add(u1)
s.commit()
value("plain: conn in transaction after commit", conn.in_transaction())
s.add(User(name="plain-2"))
s.flush()
value("plain: conn in transaction after flush", conn.in_transaction())
s.rollback()
value("plain: conn in transaction after rollback", conn.in_transaction())
s.add(User(name="plain-3"))
s.flush()
s.close()
value("plain: conn in transaction after close", conn.in_transaction())
value("plain: conn closed", conn.closed)
s.add(User(name="plain-4"))
s.commit()
conn.close()


def joined(mode, outer_savepoint=False):
    label = "%s%s" % (mode or "default", " +savepoint" if outer_savepoint else "")
    conn = eng.connect()
    outer = conn.begin()
    conn.execute(insert(User.__table__).values(name="outer " + label))
    sp = conn.begin_nested() if outer_savepoint else None
    kw = {} if mode is None else {"join_transaction_mode": mode}
    s = Session(bind=conn, **kw)
    u = User(name="commit " + label)
    s.add(u)
    s.commit()
    check(label + ": after commit", u=u)
    value(label + ": after commit", [conn.in_transaction(), conn.in_nested_transaction(),
                                     outer.is_active, sp is not None and sp.is_active])
    value(label + ": session sees", s.scalars(select(User.name).order_by(User.id)).all())
    s.add(User(name="rollback " + label))
    s.flush()
    s.rollback()
    value(label + ": after rollback", [conn.in_transaction(), conn.in_nested_transaction(),
                                       outer.is_active, sp is not None and sp.is_active])
    with expect_error(label + ": use after rollback"):
        value(label + ": rows after rollback",
              s.scalars(select(User.name).order_by(User.id)).all())
    with expect_error(label + ": flush after rollback"):
        s.add(User(name="close " + label))
        s.flush()
    s.close()
    value(label + ": after close", [conn.in_transaction(), conn.in_nested_transaction(),
                                    outer.is_active, sp is not None and sp.is_active])
    if sp is not None and sp.is_active:
        sp.commit()
    if outer.is_active:
        outer.commit()
    conn.close()


def close_only(mode, outer_savepoint=False):
    label = "close-only %s%s" % (mode or "default", " +savepoint" if outer_savepoint else "")
    conn = eng.connect()
    outer = conn.begin()
    conn.execute(insert(User.__table__).values(name="outer " + label))
    sp = conn.begin_nested() if outer_savepoint else None
    kw = {} if mode is None else {"join_transaction_mode": mode}
    s = Session(bind=conn, **kw)
    s.add(User(name="flushed " + label))
    s.flush()
    s.close()
    value(label + ": after close", [conn.in_transaction(), conn.in_nested_transaction(),
                                    outer.is_active, sp is not None and sp.is_active])
    if sp is not None and sp.is_active:
        sp.commit()
    if outer.is_active:
        outer.commit()
    conn.close()


for outer_sp in (False, True):
    for mode in (None, "create_savepoint", "rollback_only", "control_fully"):
        close_only(mode, outer_sp)

for outer_sp in (False, True):
    for mode in (None, "conditional_savepoint", "create_savepoint", "rollback_only",
                 "control_fully"):
        joined(mode, outer_sp)

with expect_error("bad mode"):
    Session(bind=eng, join_transaction_mode="conservative_savepoint")
