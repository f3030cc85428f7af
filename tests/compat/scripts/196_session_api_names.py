"""The Session names of the seeds that other scripts use only in passing, each once:
attributes (bind, autoflush, expire_on_commit, identity_map, hash_key, is_active), `in` and
iteration, expire / expire_all, is_modified(include_collections=), no_autoflush (context
manager and the property), get_bind, object_session, make_transient,
make_transient_to_detached, close_all_sessions, sessionmaker.configure, and a
SessionTransaction used as a context manager (commit, rollback, close, nested, is_active,
session), a simple merge()."""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import (
    Query,
    Session,
    close_all_sessions,
    declarative_base,
    make_transient,
    make_transient_to_detached,
    object_session,
    relationship,
    sessionmaker,
)

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", back_populates="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String(50))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)
maker = sessionmaker(eng)
maker.configure(expire_on_commit=False)
s = maker()
value("bind is the engine", s.bind is eng)
value("get_bind", s.get_bind() is eng)
value("get_bind(mapper)", s.get_bind(User) is eng)
value("autoflush, expire_on_commit", [s.autoflush, s.expire_on_commit])
value("hash_key is an int", isinstance(s.hash_key, int))
value("is_active before anything", s.is_active)

ann = User(name="ann", addresses=[Address(email="a@x")])
s.add(ann)
check("added", ann=ann)
value("ann in s", ann in s)
value("iteration", sorted(type(o).__name__ for o in s))
value("object_session", object_session(ann) is s)
with expect_error("in with an unmapped object"):
    value("unmapped in s", object() in s)
s.commit()
value("identity_map size", len(s.identity_map))
value("identity_map holds ann", any(o is ann for o in s.identity_map.values()))
value("not expired on commit (configure)", "name" in ann.__dict__)

ann.name = "anna"
value("is_modified", s.is_modified(ann))
s.rollback()
value("after rollback", [ann.name, len(ann.addresses), s.is_modified(ann)])
ann.addresses.append(Address(email="b@x"))
value("is_modified: collection only", [s.is_modified(ann),
                                       s.is_modified(ann, include_collections=False)])
s.rollback()

with s.no_autoflush:
    bob = User(name="bob")
    s.add(bob)
    value("no_autoflush: query does not flush", s.scalars(select(User.name)).all())
value("autoflush again", s.autoflush)
s.no_autoflush  # noqa: B018 - the property itself is usable too
value("query flushes now", sorted(s.scalars(select(User.name)).all()))

s.expire(ann, ["name"])
value("expired name not loaded", "name" in ann.__dict__)
value("reloaded", ann.name)
s.expire_all()
value("expire_all", "name" in ann.__dict__)
s.commit()

make_transient(bob)
check("make_transient", bob=bob)
value("bob's id kept", bob.id)
carl = User(id=1, name="ann")
make_transient_to_detached(carl)
check("make_transient_to_detached", carl=carl)
with expect_error("make_transient_to_detached twice"):
    make_transient_to_detached(carl)

# a SessionTransaction as a context manager
s2 = Session(eng)
with s2.begin() as t:
    value("transaction: active, root, same session",
          [t.is_active, t.nested, t.session is s2, s2.get_transaction() is t])
    s2.add(User(name="dan"))
    with s2.begin_nested() as sp:
        value("savepoint nested", [sp.nested, s2.get_nested_transaction() is sp])
        s2.add(User(name="eve"))
value("after the block", [s2.in_transaction(), t.is_active])
with expect_error("rollback inside the block"):
    with s2.begin():
        s2.add(User(name="fay"))
        raise ValueError("boom")
members("new after rollback", s2.new)
t2 = s2.begin()
t2.close()
value("closed transaction", [t2.is_active, s2.in_transaction()])


# merge: a detached copy's column values land on the persistent object of the same identity
s3 = Session(eng)
copy = User(id=2, name="bobby")
merged = s3.merge(copy)
check("merge", copy=copy, merged=merged)
value("merged name, same object as get", [merged.name, merged is s3.get(User, 2)])
s3.commit()
s3.close()


class NamesQuery(Query):
    def names(self):
        return sorted(u.name for u in self)


value("query_cls", Session(eng, query_cls=NamesQuery).query(User).names())

close_all_sessions()
check("after close_all_sessions", ann=ann)
value("names", sorted(Session(eng).scalars(select(User.name)).all()))
