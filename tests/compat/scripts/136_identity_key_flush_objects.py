"""Session.identity_key() and sqlalchemy.orm.util.identity_key (class + ident, instance, row);
object_session; flush(objects=) warns (deprecated) and flushes only the given objects: what they
refer to outside the list is not pulled in, the others stay new / dirty."""

from harness import check, engine, expect_error, expect_warnings, members, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, object_session, relationship
from sqlalchemy.orm.util import identity_key

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

value("class + scalar", Session.identity_key(User, 1)[1:])
value("class + tuple", Session.identity_key(User, (2,))[1:])
value("ident keyword", Session.identity_key(User, ident=3)[0] is User)
value("util function", identity_key(User, 4, identity_token="t")[1:])
with expect_error("nothing given"):
    identity_key()
with expect_error("class without ident"):
    identity_key(User)

s = Session(eng)
u1, u2 = User(name="u1"), User(name="u2")
a = Address(email="a", user=u1)
s.add_all([u1, u2])
value("object_session", object_session(a) is s)
value("Session.object_session", Session.object_session(u2) is s)
value("object_session of a transient", object_session(Address()))
with expect_warnings("flush(objects=)"):
    s.flush([a])
check("only a flushed", a=a, u1=u1, u2=u2)
members("still new", s.new)
with expect_warnings("plain flush: no warning"):
    s.flush()
check("all flushed", a=a, u1=u1, u2=u2)
u1.name = "u1b"
u2.name = "u2b"
with expect_warnings("flush only u2"):
    s.flush(objects=[u2])
members("u1 still dirty", s.dirty)
with expect_warnings("empty list flushes everything"):
    s.flush(objects=[])
members("nothing dirty", s.dirty)
with expect_warnings("clean session: objects not looked at"), expect_error("clean"):
    s.flush(objects=[object()])
u1.name = "u1c"
with expect_warnings("unmapped in objects"), expect_error("unmapped in objects"):
    s.flush(objects=[object()])
s.delete(u2)
a2 = Address(email="a2")
s.add(a2)
with expect_warnings("flush a deleted object only"):
    s.flush(objects=[u2])
check("u2 deleted, a2 still pending", u2=u2, a2=a2)
s.commit()

value("instance form", identity_key(instance=u1)[1:])
row = s.execute(select(User.id, User.name).where(User.id == 1)).first()
value("row form", identity_key(User, row=row)[1:])
s.expire(u1)
value("instance form loads the expired key", Session.identity_key(instance=u1)[1:])
s.close()
