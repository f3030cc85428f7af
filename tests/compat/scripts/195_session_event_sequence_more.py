"""More hook sequences (listened on a sessionmaker this time): rollback of unflushed
pending and deleted objects, make_transient, delete of a detached object, lazy loads and
queries (loaded_as_persistent), a SAVEPOINT released, a failed flush (IntegrityError) and
its rollback, commit with expire_on_commit=False, autoflush from a query, close() with a
flushed DELETE."""

from harness import check, engine, expect_error, members, status_of, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, event, select
from sqlalchemy.orm import declarative_base, make_transient, relationship, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)
    addresses = relationship("Address", back_populates="user", cascade="all, delete-orphan")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String(50))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)
maker = sessionmaker(eng)
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
        run.append((name, status_of(obj)))
    return listener


def session_hook(name):
    def listener(session):
        emit()
        value(name, None)
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
    event.listen(maker, hook, obj_hook(hook))
for hook in ("before_commit", "after_commit", "after_rollback"):
    event.listen(maker, hook, session_hook(hook))
for hook in ("after_transaction_create", "after_transaction_end", "after_begin",
             "after_soft_rollback"):
    event.listen(maker, hook, tx_hook(hook))
for hook in ("before_flush", "after_flush", "after_flush_postexec"):
    event.listen(maker, hook, flush_hook(hook))

s = maker()
mark("pending and deleted, not flushed, rolled back")
ann = User(name="ann")
track(ann=ann)
s.add(ann)
s.commit()
ann = s.get(User, 1)
track(ann=ann)
bob = User(name="bob")
track(bob=bob)
s.add(bob)
s.delete(ann)
s.rollback()
mark("end")
check("after rollback", ann=ann, bob=bob)

mark("make_transient")
s.add(bob)
s.flush()
make_transient(bob)
mark("make_transient of a pending")
cy = User(name="cy")
track(cy=cy)
s.add(cy)
make_transient(cy)
s.rollback()

mark("delete a detached object")
s.close()
s.delete(ann)
s.flush()
mark("end")
check("deleted", ann=ann)
s.rollback()

mark("lazy load and query")
s.close()
ann = s.scalars(select(User).where(User.id == 1)).one()
track(ann=ann)
ann.addresses.append(Address(email="a@x"))
track(a1=ann.addresses[0])
s.commit()
s.close()
ann = s.get(User, 1)
track(ann=ann)
addrs = ann.addresses
track(a1=addrs[0])

mark("savepoint released")
with s.begin_nested():
    dan = User(name="dan")
    track(dan=dan)
    s.add(dan)
mark("end")
check("released", dan=dan)

mark("a failed flush")
bad = User(name=None)
track(bad=bad)
s.add(bad)
with expect_error("flush"):
    s.flush()
mark("rollback after the failure")
s.rollback()
mark("end")
check("after the failed flush", bad=bad, dan=dan)

mark("autoflush from a query")
eve = User(name="eve")
track(eve=eve)
s.add(eve)
s.scalars(select(User.name)).all()
s.commit()

mark("commit without expire_on_commit, with a deleted object")
s.close()
s2 = maker(expire_on_commit=False)
ann = s2.get(User, 1)
track(ann=ann)
s2.delete(ann)
s2.commit()
mark("end")
check("after commit", ann=ann)

mark("close with a flushed DELETE")
eve = s2.scalars(select(User).where(User.name == "eve")).one()
track(eve=eve)
s2.delete(eve)
s2.flush()
s2.close()
mark("end")
check("closed", eve=eve)
