"""An exception raised by a Session event listener: where it surfaces and what state the
session is left in (before_flush, after_flush, after_flush_postexec, before_commit,
after_commit, after_begin, after_rollback, after_soft_rollback, transient_to_pending,
after_transaction_create); an after_flush hook that keeps adding objects hits the
"Over 100 subsequent flushes" guard."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, Integer, String, event, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)


class Boom(Exception):
    pass


def scenario(hook, action="commit"):
    s = Session(eng)
    fired = []

    def listener(*args):
        if not fired:
            fired.append(True)
            raise Boom(hook)

    event.listen(s, hook, listener)
    u = User(name=hook)
    track(u=u)
    with expect_error("%s: add" % hook):
        s.add(u)
    with expect_error("%s: %s" % (hook, action)):
        getattr(s, action)()
    check("%s: after" % hook, u=u)
    value("%s: in transaction, active" % hook, [s.in_transaction(), s.is_active])
    with expect_error("%s: rollback" % hook):
        s.rollback()
    with expect_error("%s: commit again" % hook):
        s.add(u) if u not in s else None
        s.commit()
    check("%s: finally" % hook, u=u)
    s.close()


for hook in ("before_flush", "after_flush", "after_flush_postexec", "before_commit",
             "after_commit", "after_begin", "transient_to_pending",
             "after_transaction_create"):
    scenario(hook)
scenario("after_rollback", "rollback")
scenario("after_soft_rollback", "rollback")

# an after_flush hook that always adds another object
s = Session(eng)


@event.listens_for(s, "after_flush")
def more(session, context):
    session.add(User(name="more"))


s.add(User(name="first"))
with expect_error("endless after_flush"):
    s.commit()
with expect_error("rollback after the guard"):
    s.rollback()
s.close()
value("rows", Session(eng).scalars(select(User.name).order_by(User.id)).all())
