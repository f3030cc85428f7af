"""Every SessionEvents hook, listened on the Session instance, in the order both ORMs fire
them through a lifecycle: add, flush, commit, load, change, delete, SAVEPOINT rollback,
rollback of a flushed INSERT/DELETE, expunge, add back, close.  Each call records the hook
name, its objects (name + status at that moment) and its transactions (which one, nested or
not, root or not).  A run of one object hook (the objects of one flush, of one rollback) is
recorded sorted (objects leaving the session: one run whatever the hook): SQLAlchemy walks
those in set order."""

from harness import check, engine, members, status_of, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, event, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", back_populates="user", cascade="all, delete-orphan")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String(50))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
transactions = {}


def tx(t):
    if t not in transactions:
        transactions[t] = "T%d" % (len(transactions) + 1)
    root = "root" if t.parent is None else "child of " + transactions.get(t.parent, "?")
    return "%s nested=%s %s" % (transactions[t], t.nested, root)


run = []  # (hook, "name=status") of the current run of one object hook


def emit():
    for hook, what in sorted(run):
        value(hook, what)
    run.clear()


def mark(text):
    emit()
    value("---", text)


#: hooks SQLAlchemy fires for a set of objects in one loop (expunge of many, rollback)
LEAVING = {"pending_to_transient", "persistent_to_transient", "persistent_to_detached",
           "deleted_to_detached"}


def family(name):
    return "leaving" if name in LEAVING else name


def obj_hook(name):
    def listener(session, obj):
        if run and family(run[-1][0]) != family(name):
            emit()
        run.append((name, status_of(obj) + ("" if session is s else " (other session!)")))
    return listener


def session_hook(name):
    def listener(session):
        emit()
        value(name, session is s)
    return listener


def tx_hook(name):
    def listener(session, transaction, *conn):
        emit()
        value(name, [tx(transaction), len(conn)])
    return listener


def flush_hook(name):
    def listener(session, flush_context, *instances):
        emit()
        value(name, [flush_context is not None, list(instances)])
        members(name + " new", session.new)
        members(name + " dirty", session.dirty)
        members(name + " deleted", session.deleted)
    return listener


for hook in ("before_attach after_attach transient_to_pending pending_to_transient "
             "persistent_to_transient pending_to_persistent detached_to_persistent "
             "loaded_as_persistent persistent_to_deleted deleted_to_persistent "
             "deleted_to_detached persistent_to_detached").split():
    event.listen(s, hook, obj_hook(hook))
for hook in ("before_commit", "after_commit", "after_rollback"):
    event.listen(s, hook, session_hook(hook))
for hook in ("after_transaction_create", "after_transaction_end", "after_begin",
             "after_soft_rollback"):
    event.listen(s, hook, tx_hook(hook))
for hook in ("before_flush", "after_flush", "after_flush_postexec"):
    event.listen(s, hook, flush_hook(hook))

ann = User(name="ann", addresses=[Address(email="a@x")])
track(ann=ann, a1=ann.addresses[0])
mark("add")
s.add(ann)
mark("flush")
s.flush()
mark("commit")
s.commit()
mark("load")
s.close()
ann = s.scalars(select(User)).one()
track(ann=ann)
addrs = list(ann.addresses)
track(a1=addrs[0])
mark("change and commit")
ann.name = "ann2"
bob = User(name="bob")
track(bob=bob)
s.add(bob)
s.commit()
mark("delete, flush, rollback")
s.delete(bob)
s.flush()
carl = User(name="carl")
track(carl=carl)
s.add(carl)
s.flush()
s.rollback()
mark("end")
check("after rollback", bob=bob, carl=carl)
mark("savepoint")
sp = s.begin_nested()
dan = User(name="dan")
track(dan=dan)
s.add(dan)
s.delete(bob)
s.flush()
sp.rollback()
mark("end")
check("after savepoint rollback", dan=dan, bob=bob)
mark("expunge and add back")
s.expunge(bob)
s.add(bob)
ed = User(name="ed")
track(ed=ed)
s.add(ed)
s.expunge(ed)
mark("delete, commit")
s.delete(bob)
s.commit()
mark("end")
check("after commit", bob=bob)
mark("close")
ann = s.get(User, 1)
track(ann=ann)
s.close()
mark("end")
check("closed", ann=ann)
