"""Row switch: deleting an object and adding a new one with the same primary key in one
flush is one UPDATE of the row (a versioned row keeps its version chain); the old object
ends deleted, the new one persistent; a new object clashing with one not deleted warns."""

import warnings

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    color = Column(String(20))


class Doc(Base):
    __tablename__ = "docs"
    id = Column(Integer, primary_key=True)
    title = Column(String(20))
    version = Column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
s.add_all([Tag(id=1, name="a", color="red"), Tag(id=2, name="b"), Doc(id=1, title="d")])
s.commit()

old = s.get(Tag, 1)
s.delete(old)
new = Tag(id=1, name="a2")
s.add(new)
s.flush()
check("switched", old=old, new=new)
value("new", (new.id, new.name, new.color))
old_doc = s.get(Doc, 1)
s.delete(old_doc)
new_doc = Doc(id=1, title="d2")
s.add(new_doc)
s.flush()
check("doc switched", old_doc=old_doc, new_doc=new_doc)
value("doc version", new_doc.version)
s.commit()
value("tags", [tuple(r) for r in s.execute(select(Tag.__table__))])
value("docs", [tuple(r) for r in s.execute(select(Doc.__table__))])

keep = s.get(Tag, 2)
clash = Tag(id=2, name="clash")
s.add(clash)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with expect_error("clash"):
        s.flush()
s.rollback()
check("after clash", keep=keep, clash=clash)
s.close()
