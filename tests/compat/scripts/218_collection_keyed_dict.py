"""Dictionary collections keyed by an attribute of each member: attribute_keyed_dict (and the
classic attribute_mapped_collection, and column_keyed_dict of a Table column, from
sqlalchemy.orm.collections); setting a key,
replacing a key's member (the old one orphaned), del, pop, the backref filling the dict,
lazy load into a dict, assignment of a whole dict."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, attribute_keyed_dict, declarative_base, relationship
from sqlalchemy.orm.collections import attribute_mapped_collection, column_keyed_dict

Base = declarative_base()


class Mark(Base):
    __tablename__ = "marks"
    id = Column(Integer, primary_key=True)
    code = Column(String(20))
    doc_id = Column(ForeignKey("docs.id"))


class Doc(Base):
    __tablename__ = "docs"
    id = Column(Integer, primary_key=True)
    title = Column(String(20))
    notes = relationship("Note", collection_class=attribute_keyed_dict("keyword"),
                         cascade="all, delete-orphan", backref="doc")
    tags = relationship("Tag", collection_class=attribute_mapped_collection("name"))
    marks = relationship("Mark", collection_class=column_keyed_dict(Mark.__table__.c.code))


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    keyword = Column(String(20))
    text = Column(String(50))
    doc_id = Column(ForeignKey("docs.id"))


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    doc_id = Column(ForeignKey("docs.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
d = Doc(title="d")
a, b, b2 = Note(keyword="a", text="A"), Note(keyword="b", text="B"), Note(keyword="b", text="B2")
track(d=d, a=a, b=b, b2=b2)
d.notes["a"] = a
c = Note(keyword="c", text="C", doc=d)
track(c=c)
value("keys", sorted(d.notes))
d.tags = {"x": Tag(name="x")}
d.marks["m"] = Mark(code="m")
s.add(d)
s.commit()
value("notes (lazy)", sorted((k, v.text) for k, v in d.notes.items()))
value("tags (lazy)", sorted(d.tags))
value("marks (lazy)", sorted(d.marks))
d.notes["b"] = b
s.flush()
d.notes["b"] = b2
s.flush()
check("replaced member orphaned", b=b, b2=b2)
del d.notes["a"]
popped = d.notes.pop("c")
value("popped", popped.text)
s.commit()
check("deleted orphans", a=a, c=c)
value("notes", sorted((k, v.text) for k, v in d.notes.items()))
with expect_error("assign a list to a dict collection"):
    d.tags = [Tag(name="z")]
with expect_error("missing key"):
    d.notes.pop("nope")
value("get default", d.notes.get("nope", "default"))
d.notes.clear()
s.commit()
value("notes after clear", dict(d.notes))
s.close()
