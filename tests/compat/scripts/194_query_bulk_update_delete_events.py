"""Legacy Query.update() / Query.delete(): the rows they change, the objects they
synchronise, their matched row counts, and the after_bulk_update / after_bulk_delete hooks
(with do_orm_execute before them) and what their context objects hold."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String, event
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    age = Column(Integer)


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
ann, bob, cy = User(name="ann", age=30), User(name="bob", age=40), User(name="cy", age=50)
s.add_all([ann, bob, cy])
s.commit()
check("loaded", ann=ann, bob=bob, cy=cy)


@event.listens_for(s, "do_orm_execute")
def on_execute(state):
    value("do_orm_execute", [type(state.statement).__name__, state.is_update, state.is_delete,
                             sorted(k for k in state.execution_options if not k.startswith("_"))])


@event.listens_for(s, "after_bulk_update")
def after_update(context):
    value("after_bulk_update", [context.session is s, context.query is not None,
                                context.values, context.result.rowcount])


@event.listens_for(s, "after_bulk_delete")
def after_delete(context):
    value("after_bulk_delete", [context.session is s, context.result.rowcount])


value("update count", s.query(User).filter(User.age > 35).update({"age": User.age + 1}))
value("ages", [ann.age, bob.age, cy.age])
value("update by filter_by, fetch",
      s.query(User).filter_by(name="ann").update({"name": "anna"}, synchronize_session="fetch"))
value("ann's name", ann.name)
value("update without sync",
      s.query(User).filter_by(name="bob").update({"name": "rob"}, synchronize_session=False))
value("bob's name (not synchronised)", bob.name)
value("delete count", s.query(User).filter(User.age > 45).delete())
check("after delete", ann=ann, bob=bob, cy=cy)
value("delete nothing", s.query(User).filter(User.id == 99).delete())
s.commit()
check("committed", ann=ann, bob=bob, cy=cy)
