"""When a versioned row gets a new version (test_versioning's no-bump-on-relationship):
changing a one-to-many collection does not touch the parent row (no bump); changing a
many-to-one changes the row's foreign key (bump); a manual version (version_id_generator=
False) is written as given and checked; a joined-inheritance subclass with the version on
the base table bumps it when only the subclass table changes."""

from harness import engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Parent(Base):
    __tablename__ = "parents"
    id = Column(Integer, primary_key=True)
    version = Column(Integer, nullable=False)
    children = relationship("Child", backref="parent")
    __mapper_args__ = {"version_id_col": version}


class Child(Base):
    __tablename__ = "children"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("parents.id"))
    version = Column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class Manual(Base):
    __tablename__ = "manual"
    id = Column(Integer, primary_key=True)
    vers = Column(Integer, nullable=False)
    data = Column(String(20))
    __mapper_args__ = {"version_id_col": vers, "version_id_generator": False}


class Base1(Base):
    __tablename__ = "base1"
    id = Column(Integer, primary_key=True)
    version = Column(Integer, nullable=False)
    type = Column(String(10))
    data = Column(String(20))
    __mapper_args__ = {"version_id_col": version, "polymorphic_on": type,
                       "polymorphic_identity": "base"}


class Sub1(Base1):
    __tablename__ = "sub1"
    id = Column(Integer, ForeignKey("base1.id"), primary_key=True)
    sub_data = Column(String(20))
    __mapper_args__ = {"polymorphic_identity": "sub"}


def versions():
    return [sorted(tuple(r) for r in s.execute(select(Parent.id, Parent.version))),
            sorted(tuple(r) for r in s.execute(select(Child.id, Child.version,
                                                      Child.parent_id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
p1, p2 = Parent(id=1), Parent(id=2)
c = Child(id=1)
p1.children.append(c)
s.add_all([p1, p2])
s.commit()
value("start", versions())
p1.children.remove(c)
p2.children.append(c)
s.commit()
value("moved by collection", versions())
c.parent = p1
s.commit()
value("moved by many-to-one", versions())

m = Manual(id=1, vers=1, data="a")
s.add(m)
s.commit()
m.data = "b"
m.vers = 5
s.commit()
value("manual", [m.vers])
m.data = "c"  # version not changed: the UPDATE checks and keeps 5
s.commit()
value("manual kept", sorted(tuple(r) for r in s.execute(select(Manual.id, Manual.vers,
                                                                Manual.data))))
s2 = Session(eng)
s2.get(Manual, 1).vers = 9
s2.commit()
m.data = "d"
m.vers = 6
with expect_error("manual stale"):
    s.flush()
s.rollback()

sub = Sub1(id=1, data="x", sub_data="y")
s.add(sub)
s.commit()
sub.sub_data = "z"
s.commit()
value("sub bump", [sub.version, sorted(tuple(r) for r in s.execute(select(Base1.__table__)))])
s.close()
s2.close()
