"""Rolling the whole session back while a SAVEPOINT is still open: what the root level's
snapshot restores (the inspector's rollback preview mirrors it).  Objects INSERTed inside
the open SAVEPOINT are not in the root level's snapshot; pending ones go back to transient,
deleted ones come back, and every object is expired."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
ann = User(name="ann")
s.add(ann)
s.commit()
ann.name = "bob"
s.begin_nested()  # flushes the rename into the root level first
cat = User(name="cat")
s.add(cat)
s.flush()  # INSERTed inside the SAVEPOINT
s.delete(ann)
dee = User(name="dee")
s.add(dee)
check("before rollback", ann=ann, cat=cat, dee=dee)
s.rollback()
check("after rollback", ann=ann, cat=cat, dee=dee)
value("ann's name reloads", ann.name)
with expect_error("cat's row is gone"):
    value("cat's name", cat.name)
s.close()

# rolling back only the SAVEPOINT
s = Session(eng)
ann = s.get(User, 1)
ann.name = "eve"
sp = s.begin_nested()
fay = User(name="fay")
s.add(fay)
s.flush()
ann.name = "gil"
s.delete(ann)
sp.rollback()
check("after savepoint rollback", ann=ann, fay=fay)
value("ann keeps the outer rename", ann.name)
s.commit()
