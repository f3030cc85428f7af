"""event.listen / listens_for / remove / contains on a Session instance, a sessionmaker, the
Session class and a subclass of it; the listener options once=, named=, raw=, insert=,
propagate= and retval=; unknown event names and targets; removing twice."""

from harness import engine, expect_error, track, value
from sqlalchemy import Column, Integer, String, event
from sqlalchemy.orm import Session, declarative_base, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)
calls = []


def recorder(label):
    def listener(*args, **kw):
        calls.append(label)
    return listener


def show(label):
    value(label, list(calls))
    calls.clear()


class MySession(Session):
    pass


on_class = recorder("Session class")
on_sub = recorder("MySession class")
event.listen(Session, "after_begin", on_class)
event.listen(MySession, "after_begin", on_sub)
maker = sessionmaker(eng)
other_maker = sessionmaker(eng)
on_maker = recorder("maker")
event.listen(maker, "after_begin", on_maker)
value("maker's class is a Session subclass", issubclass(maker.class_, Session))
value("contains(maker)", event.contains(maker, "after_begin", on_maker))
value("contains(other maker)", event.contains(other_maker, "after_begin", on_maker))
value("contains(Session)", event.contains(Session, "after_begin", on_class))
value("contains(MySession) of Session's listener",
      event.contains(MySession, "after_begin", on_class))

s = Session(eng)
on_instance = recorder("instance")
event.listen(s, "after_begin", on_instance)
value("contains(instance)", event.contains(s, "after_begin", on_instance))
value("contains(instance) of the class's listener",
      event.contains(s, "after_begin", on_class))
s.connection()
s.commit()
show("plain Session")

m = MySession(eng)
m.connection()
m.close()
show("MySession")

ms = maker()
ms.connection()
ms.close()
show("from maker")
os_ = other_maker()
os_.connection()
os_.close()
show("from other maker")

# listeners added to the class after the instance exists still fire
late = recorder("late class listener")
event.listen(Session, "after_begin", late)
s.connection()
s.rollback()
show("after a late class listener")
event.remove(Session, "after_begin", late)

event.remove(s, "after_begin", on_instance)
value("contains after remove", event.contains(s, "after_begin", on_instance))
with expect_error("remove twice"):
    event.remove(s, "after_begin", on_instance)
event.remove(maker, "after_begin", on_maker)
event.remove(MySession, "after_begin", on_sub)
event.remove(Session, "after_begin", on_class)
s.connection()
s.rollback()
show("all removed")

# once=True
event.listen(s, "after_begin", recorder("once"), once=True)
for _ in range(2):
    s.connection()
    s.rollback()
show("once")

# insert=True runs first
event.listen(s, "before_commit", recorder("appended"))
event.listen(s, "before_commit", recorder("inserted"), insert=True)
s.commit()
show("insert order")


# named=True: keyword arguments
@event.listens_for(s, "after_soft_rollback", named=True)
def named(**kw):
    value("named keys", sorted(kw))


s.rollback()

# raw=True: lifecycle hooks get the InstanceState
u = User(name="u")
track(u=u)


@event.listens_for(s, "transient_to_pending", raw=True)
def raw_listener(session, state):
    value("raw gives the state", state.obj() is u)


@event.listens_for(s, "transient_to_pending")
def plain_listener(session, obj):
    value("plain gives the object", obj is u)


s.add(u)
s.rollback()

# propagate= and retval= are accepted
for option in ("propagate", "retval"):
    with expect_error(option):
        event.listen(s, "before_flush", recorder(option), **{option: True})

with expect_error("unknown option"):
    event.listen(s, "before_flush", recorder("x"), foo=True)
with expect_error("unknown event name"):
    event.listen(s, "before_fluush", recorder("x"))
with expect_error("not a Session"):
    event.listen(User, "before_flush", recorder("x"))
with expect_error("instance of a mapped class"):
    event.listen(u, "after_commit", recorder("x"))
