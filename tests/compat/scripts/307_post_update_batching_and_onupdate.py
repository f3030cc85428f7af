"""Several post_update many-to-ones on one class (test_cycles' post-update batching): the
links of one row go in one UPDATE; the post-update UPDATE also carries the row's onupdate
column and a version counter bumped (test_cycles / test_versioning post-update shapes), on
insert, update and delete."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


def bump(context):
    return 42


class Parent(Base):
    __tablename__ = "parent"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)
    c1_id = Column(Integer, ForeignKey("child1.id", name="c1"))
    c2_id = Column(Integer, ForeignKey("child2.id", name="c2"))
    c3_id = Column(Integer, ForeignKey("child3.id", name="c3"))
    touched = Column(Integer, default=0, onupdate=bump)
    c1 = relationship("Child1", foreign_keys=[c1_id], post_update=True)
    c2 = relationship("Child2", foreign_keys=[c2_id], post_update=True)
    c3 = relationship("Child3", foreign_keys=[c3_id], post_update=True)
    c1s = relationship("Child1", foreign_keys="Child1.parent_id", cascade="all")
    c2s = relationship("Child2", foreign_keys="Child2.parent_id", cascade="all")
    c3s = relationship("Child3", foreign_keys="Child3.parent_id", cascade="all")


class Child1(Base):
    __tablename__ = "child1"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("parent.id"), nullable=False)


class Child2(Base):
    __tablename__ = "child2"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("parent.id"), nullable=False)


class Child3(Base):
    __tablename__ = "child3"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("parent.id"), nullable=False)


class Doc(Base):
    __tablename__ = "docs"
    id = Column(Integer, primary_key=True)
    version = Column(Integer, nullable=False)
    head_id = Column(Integer, ForeignKey("pages.id", name="head"))
    head = relationship("Page", foreign_keys=[head_id], post_update=True)
    pages = relationship("Page", foreign_keys="Page.doc_id", cascade="all, delete-orphan")
    __mapper_args__ = {"version_id_col": version}


class Page(Base):
    __tablename__ = "pages"
    id = Column(Integer, primary_key=True)
    doc_id = Column(Integer, ForeignKey("docs.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
p = Parent(id=1, name="p")
for i in range(1, 4):
    p.c1s.append(Child1(id=i))
    p.c2s.append(Child2(id=i))
    p.c3s.append(Child3(id=i))
p.c1, p.c2, p.c3 = p.c1s[0], p.c2s[1], p.c3s[2]
s.add(p)
s.commit()
value("links", [p.c1_id, p.c2_id, p.c3_id, p.touched])
p.c1, p.c3 = p.c1s[2], None
s.commit()
value("relinked", [p.c1_id, p.c2_id, p.c3_id, p.touched])
s.delete(p)
s.commit()
check("deleted", p=p)

d = Doc(id=1)
d.pages = [Page(id=1), Page(id=2)]
d.head = d.pages[0]
s.add(d)
s.commit()
value("doc", [d.version, d.head_id])
d.head = d.pages[1]
s.commit()
value("doc relinked", [d.version, d.head_id])
s.delete(d)
s.commit()
value("doc deleted", sorted(tuple(r) for r in s.execute(select(Page.id))))
s.close()
