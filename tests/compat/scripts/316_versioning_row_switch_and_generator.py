"""Versioning with a row switch (test_versioning): a versioned object deleted and replaced
by a new one with the same key in one flush is an UPDATE checking the old version; a child
row switch under a versioned parent; a custom version generator (string versions) through
inserts, updates, a row switch and a stale update."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Parent(Base):
    __tablename__ = "parents"
    id = Column(Integer, primary_key=True)
    version = Column(Integer, nullable=False)
    data = Column(String(30))
    children = relationship("Child", cascade="all, delete-orphan", backref="parent",
                            order_by="Child.id")
    __mapper_args__ = {"version_id_col": version}


class Child(Base):
    __tablename__ = "children"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("parents.id"))
    version = Column(Integer, nullable=False)
    data = Column(String(30))
    __mapper_args__ = {"version_id_col": version}


def next_tag(current):
    return "v1" if current is None else "v%d" % (int(current[1:]) + 1)


class Tagged(Base):
    __tablename__ = "tagged"
    id = Column(Integer, primary_key=True)
    tag = Column(String(10), nullable=False)
    data = Column(String(30))
    __mapper_args__ = {"version_id_col": tag, "version_id_generator": next_tag}


def rows(*cols):
    return sorted(tuple(r) for r in s.execute(select(*cols)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
p = Parent(id=1, data="p", children=[Child(id=1, data="c1")])
s.add(p)
s.commit()
s.delete(p)
p2 = Parent(id=1, data="p2")
s.add(p2)
s.commit()
check("parent switched", p=p, p2=p2)
value("parents", rows(Parent.id, Parent.version, Parent.data))
value("children", rows(Child.id, Child.parent_id, Child.version))

c = Child(id=5, data="c5")
p2.children.append(c)
s.commit()
p2.children.remove(c)  # delete-orphan
p2.children.append(Child(id=5, data="c5 again"))
s.commit()
value("child switched", rows(Child.id, Child.parent_id, Child.version, Child.data))

t = Tagged(id=1, data="a")
s.add(t)
s.commit()
t.data = "b"
s.commit()
value("tags", [t.tag, rows(Tagged.id, Tagged.tag, Tagged.data)])
s.delete(t)
t2 = Tagged(id=1, data="c")
s.add(t2)
s.commit()
value("tag switch", rows(Tagged.id, Tagged.tag, Tagged.data))
s2 = Session(eng)
s2.get(Tagged, 1).data = "theirs"
s2.commit()
t2.data = "mine"
with expect_error("stale tag"):
    s.flush()
s.rollback()
value("end", rows(Tagged.id, Tagged.tag, Tagged.data))
s.close()
s2.close()
