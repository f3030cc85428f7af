"""Session operations inside Session events: what SQLAlchemy refuses (flush inside a flush,
commit/rollback/SQL inside after_commit, commit inside before_commit...) raises the same
exception in both ORMs, and what it allows (adding objects in before_flush, a new
transaction after after_commit) behaves the same."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, Integer, String, event, select, text
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)


def attempt(label, fn):
    with expect_error(label):
        fn()


def scenario(hook, operations, make_work=True):
    s = Session(eng)
    done = []

    def listener(session, *args):
        if done:  # once only (removing a listener while it runs is not allowed)
            return
        done.append(True)
        for name, op in operations:
            attempt("%s: %s" % (hook, name), lambda op=op: op(session))

    event.listen(s, hook, listener)
    if make_work:
        s.add(User(name=hook))
    with expect_error("%s: the outer commit" % hook):
        s.commit()
    value("%s: in transaction after" % hook, s.in_transaction())
    with expect_error("%s: rollback after" % hook):
        s.rollback()
    s.close()


scenario("before_flush", [("flush", lambda s: s.flush())])
scenario("after_flush", [("flush", lambda s: s.flush())])
scenario("after_flush_postexec", [("flush", lambda s: s.flush())])
scenario("after_commit", [
    ("flush", lambda s: s.flush()),
    ("execute", lambda s: s.execute(text("SELECT 1"))),
    ("connection", lambda s: s.connection()),
])
scenario("after_commit", [("commit", lambda s: s.commit())])
scenario("after_commit", [("rollback", lambda s: s.rollback())])
scenario("after_commit", [("begin", lambda s: s.begin())])
scenario("before_commit", [("commit", lambda s: s.commit())])
scenario("before_commit", [("rollback", lambda s: s.rollback())])
scenario("before_commit", [("close", lambda s: s.close())])
scenario("after_begin", [("begin", lambda s: s.begin())])
scenario("after_transaction_create", [("begin", lambda s: s.begin())], make_work=False)

# rollback inside after_rollback
s = Session(eng)


@event.listens_for(s, "after_rollback", once=True)
def after_rollback(session):
    attempt("after_rollback: rollback", session.rollback)
    attempt("after_rollback: execute", lambda: session.execute(text("SELECT 1")))


s.add(User(name="x"))
s.flush()
with expect_error("outer rollback"):
    s.rollback()
value("in transaction after", s.in_transaction())
s.close()

# what before_flush may do: add and change objects, which the same flush writes
s = Session(eng)
extra = User(name="added in before_flush")
track(extra=extra)


@event.listens_for(s, "before_flush")
def before_flush(session, flush_context, instances):
    if extra not in session:
        session.add(extra)
    for obj in session.new:
        obj.name = obj.name.upper()


s.add(User(name="ann"))
s.commit()
check("added in before_flush", extra=extra)
value("names", s.scalars(select(User.name).order_by(User.name)).all())

# objects added in after_flush are flushed by the commit's next flush
s = Session(eng)
late = User(name="added in after_flush")
track(late=late)


@event.listens_for(s, "after_flush")
def after_flush(session, flush_context):
    if late not in session:
        session.add(late)


s.add(User(name="bob"))
s.commit()
check("added in after_flush", late=late)
s.close()
