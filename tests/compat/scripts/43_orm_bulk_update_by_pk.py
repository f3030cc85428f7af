"""ORM bulk UPDATE by primary key: session.execute(update(User), [dicts]) emits
UPDATE ... WHERE id = ? (executemany per run of equal keys, never an UPDATE without WHERE),
autoflushes first, gives already-loaded objects the new values (not with
synchronize_session=False); a record without its primary key and a primary key that matches
no row are errors; 'fetch' is refused for bulk updates."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, update
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
ed, wendy, mary = User(name="ed", age=10), User(name="wendy", age=20), User(name="mary", age=30)
s.add_all([ed, wendy, mary])
s.commit()
value("loaded", [(u.name, u.age) for u in (ed, wendy, mary)])
jack = User(name="jack", age=40)
s.add(jack)
s.execute(update(User), [{"id": 1, "name": "Ed"}, {"id": 2, "name": "Wendy"},
                         {"id": 3, "age": 31}, {"id": 1, "age": 11}, {"id": 2, "bogus": 0}])
check("after bulk update", ed=ed, wendy=wendy, mary=mary, jack=jack)
value("objects in step (no SQL)", [(u.name, u.age) for u in (ed, wendy, mary)])
value("dirty", len(s.dirty))
s.execute(update(User), [{"id": 3, "name": "MARY"}],
          execution_options={"synchronize_session": False})
value("synchronize_session=False leaves mary", mary.name)
with expect_error("missing primary key"):
    s.execute(update(User), [{"name": "nobody"}])
with expect_error("fetch for bulk"):
    s.execute(update(User), [{"id": 1, "name": "x"}],
              execution_options={"synchronize_session": "fetch"})
s.commit()
value("after commit", [(u.name, u.age) for u in (ed, wendy, mary)])
with expect_error("no such row"):
    s.execute(update(User), [{"id": 99, "name": "ghost"}])
s.rollback()
s.close()
