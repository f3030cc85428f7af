"""ORM UPDATE / DELETE with criteria: update(User).where(...).values(...) and
delete(User).where(...) under synchronize_session 'auto' (evaluate in Python, else fetch with
RETURNING), 'evaluate', 'fetch' and False; loaded objects get the new values (or are
expired when a value can't be computed, or become deleted), NULL comparisons don't match,
partially expired objects still match, wholly expired ones are left alone."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, delete, func, update
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    age = Column(Integer)


eng = engine()
Base.metadata.create_all(eng)


def loaded(*objs):
    return [{k: v for k, v in sorted(o.__dict__.items()) if not k.startswith("_")} for o in objs]


s = Session(eng)
ed, wendy, mary = User(name="ed", age=10), User(name="wendy", age=20), User(name="mary", age=30)
nobody = User(name="nobody", age=None)
s.add_all([ed, wendy, mary, nobody])
s.commit()
for u in (ed, wendy, mary, nobody):
    u.name  # load
r = s.execute(update(User).where(User.age > 15).values(name="old"))
value("auto/evaluate rowcount", r.rowcount)
value("auto", loaded(ed, wendy, mary, nobody))
r = s.execute(update(User).where(User.age != 20).values(age=User.age + 1),
              execution_options={"synchronize_session": "evaluate"})
value("evaluate arithmetic + NULL", (r.rowcount, loaded(ed, wendy, mary, nobody)))
s.execute(update(User).where((User.id == 1) | (User.name.in_(["old"]) & (User.age < 30)))
          .values(name="or-and"))
value("or / and / in_", loaded(ed, wendy, mary))
r = s.execute(update(User).where(func.lower(User.name) == "ed").values(age=99))
value("auto falls back to fetch", (r.rowcount, loaded(ed)))
s.execute(update(User).where(User.id == 2).values(name=func.upper(User.name)))
value("value not computable: expired", loaded(wendy))
value("reloaded", wendy.name)
r = s.execute(update(User).where(User.age > 20).values(name="fetched", age=User.age * 2),
              execution_options={"synchronize_session": "fetch"})
value("fetch", (r.rowcount, loaded(ed, wendy, mary)))
s.execute(update(User).where(User.age > 0).values(name="unsynced"),
          execution_options={"synchronize_session": False})
value("False", loaded(ed, wendy, mary))
with expect_error("evaluate can't"):
    s.execute(update(User).where(func.lower(User.name) == "x").values(age=1),
              execution_options={"synchronize_session": "evaluate"})
with expect_error("bad strategy"):
    s.execute(update(User).values(age=1), execution_options={"synchronize_session": "x"})
s.commit()
s.expire(ed)
wendy.name
s.expire(wendy, ["age"])
mary.name
s.execute(update(User).where(User.age > 0).values(name="expired-case"))
value("expired objects", loaded(ed, wendy, mary))
check("before delete", ed=ed, wendy=wendy, mary=mary, nobody=nobody)
r = s.execute(delete(User).where(User.name == "expired-case"))
value("delete rowcount", r.rowcount)
check("after delete", ed=ed, wendy=wendy, mary=mary, nobody=nobody)
s.execute(delete(User).where(User.age.is_(None)),
          execution_options={"synchronize_session": "fetch"})
check("after delete fetch", nobody=nobody)
s.commit()
check("after commit", ed=ed, wendy=wendy, mary=mary, nobody=nobody)
s.close()
