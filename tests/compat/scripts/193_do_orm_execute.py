"""do_orm_execute: which executions a listener sees (Session.execute of ORM and Core
statements, scalars, scalar, legacy Query, Session.get, a lazy load, expired attributes,
refresh, ORM UPDATE/DELETE/INSERT) with the ORMExecuteState attributes both ORMs share;
where the autoflush comes; a listener that replaces the statement, adds parameters through
invoke_statement(), or returns a Result of its own."""

from harness import engine, expect_error, value
from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    String,
    delete,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)
with Session(eng) as s0:
    s0.add_all([User(id=1, name="ann", addresses=[Address(id=1, email="a@x")]),
                User(id=2, name="bob")])
    s0.commit()

s = Session(eng)
FLAGS = ("is_select", "is_insert", "is_update", "is_delete", "is_orm_statement",
         "is_executemany", "is_column_load", "is_relationship_load", "is_from_statement")


@event.listens_for(s, "do_orm_execute")
def seen(state):
    flags = [f for f in FLAGS if getattr(state, f)]
    mapper = state.bind_mapper
    value("do_orm_execute", [
        type(state.statement).__name__.replace("Annotated", ""),
        flags,
        [m.class_.__name__ for m in state.all_mappers],
        mapper.class_.__name__ if mapper is not None else None,
        state.session is s,
        sorted(k for k in state.execution_options if not k.startswith("_")),
        state.is_select and state.lazy_loaded_from is not None,
    ])


@event.listens_for(s, "before_flush")
def before_flush(session, context, instances):
    value("before_flush", None)


def step(label, fn):
    value("---", label)
    with expect_error(label):
        fn()


step("select entity", lambda: s.execute(select(User).order_by(User.id)).all())
step("scalars of a column", lambda: s.scalars(select(User.name)).all())
step("scalar", lambda: s.scalar(select(User).where(User.id == 2)))
step("text", lambda: s.execute(text("SELECT 1")).all())
step("Core table select", lambda: s.execute(select(User.__table__)).all())
step("execution options", lambda: s.execute(
    select(User).execution_options(autoflush=True), execution_options={"autoflush": True}).all())
step("legacy query", lambda: s.query(User).filter_by(name="ann").all())
step("legacy query count", lambda: s.query(User).count())
s.close()
step("get, then a lazy load", lambda: s.get(User, 1).addresses)
step("get from the identity map", lambda: s.get(User, 1))
u = s.get(User, 1)
s.expire(u)
step("expired attribute", lambda: u.name)
step("refresh", lambda: s.refresh(u))
step("ORM UPDATE", lambda: s.execute(update(User).where(User.id == 2).values(name="bob2")))
step("bulk UPDATE by primary key", lambda: s.execute(update(User), [{"id": 2, "name": "b"}]))
step("ORM DELETE", lambda: s.execute(delete(Address).where(Address.id == 99)))
step("bulk INSERT", lambda: s.execute(insert(Address), [{"id": 5, "email": "e@x"}]))
s.add(User(id=3, name="pending"))
step("autoflush comes after the event", lambda: s.execute(select(User.id)).all())
s.commit()
event.remove(s, "do_orm_execute", seen)


# a listener that changes the statement (a criteria added to every SELECT of User)
@event.listens_for(s, "do_orm_execute")
def only_ann(state):
    if state.is_select and not state.is_column_load and not state.is_relationship_load:
        state.statement = state.statement.where(User.name == "ann")


value("filtered", [u.name for u in s.scalars(select(User)).all()])
event.remove(s, "do_orm_execute", only_ann)


# invoke_statement() with more parameters, and its result returned
@event.listens_for(s, "do_orm_execute")
def reinvoke(state):
    if state.parameters and "n" in state.parameters:
        return state.invoke_statement(params={"n": "ann"})
    return None


value("reinvoked", [u.name for u in s.scalars(
    select(User).where(User.name == text(":n")), {"n": "nobody"}).all()])
value("reinvoked, text", s.execute(text("SELECT :n"), {"n": "x"}).scalar())
event.remove(s, "do_orm_execute", reinvoke)

# a listener's own Result replaces the execution
cached = s.execute(text("SELECT 42")).freeze()


@event.listens_for(s, "do_orm_execute")
def from_cache(state):
    return cached()


value("from cache", s.execute(text("SELECT 1")).scalar())
value("scalar from cache", s.scalar(text("SELECT 1")))
s.close()
