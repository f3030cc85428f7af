"""Dependency cycles through an inheritance hierarchy (test_cycles' inheritance shapes):
one joined subclass referencing a sibling subclass (the whole hierarchy is one class of
rows: a many-to-one between two of its subclasses orders its rows object by object, new
and persistent targets), and a subclass whose base table references another table that
references the base table back (post_update on one side) — imperative mapping."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, select
from sqlalchemy.orm import Session, registry, relationship

metadata = MetaData()
parent = Table("parent", metadata,
               Column("id", Integer, primary_key=True),
               Column("parent_data", String(50)),
               Column("type", String(10)))
child1 = Table("child1", metadata,
               Column("id", Integer, ForeignKey("parent.id"), primary_key=True),
               Column("child1_data", String(50)))
child2 = Table("child2", metadata,
               Column("id", Integer, ForeignKey("parent.id"), primary_key=True),
               Column("child1_id", Integer, ForeignKey("child1.id"), nullable=False),
               Column("child2_data", String(50)))
a = Table("a", metadata,
          Column("id", Integer, primary_key=True),
          Column("cid", Integer, ForeignKey("c.id")),
          Column("type", String(10)))
b = Table("b", metadata, Column("id", Integer, ForeignKey("a.id"), primary_key=True))
c = Table("c", metadata,
          Column("id", Integer, primary_key=True),
          Column("aid", Integer, ForeignKey("a.id", name="foo")))


class Parent:
    pass


class Child1(Parent):
    pass


class Child2(Parent):
    pass


class A:
    pass


class B(A):
    pass


class C:
    pass


reg = registry()
reg.map_imperatively(Parent, parent, polymorphic_on=parent.c.type,
                     polymorphic_identity="parent")
reg.map_imperatively(Child1, child1, inherits=Parent, polymorphic_identity="child1")
reg.map_imperatively(Child2, child2, inherits=Parent, polymorphic_identity="child2",
                     properties={"child1": relationship(
                         Child1, primaryjoin=child2.c.child1_id == child1.c.id)})
reg.map_imperatively(A, a, polymorphic_on=a.c.type, polymorphic_identity="a",
                     properties={"cs": relationship(C, primaryjoin=a.c.id == c.c.aid,
                                                    order_by=c.c.id),
                                 "c": relationship(C, primaryjoin=a.c.cid == c.c.id,
                                                   post_update=True)})
reg.map_imperatively(B, b, inherits=A, polymorphic_identity="b")
reg.map_imperatively(C, c)

eng = engine()
metadata.create_all(eng)

s = Session(eng)
c1 = Child1()
c1.child1_data = "qwerty"
s.add(c1)
s.flush()
s.expunge_all()
c1 = s.scalars(select(Child1).filter_by(child1_data="qwerty")).one()
c2 = Child2()
c2.child1 = c1
c2.child2_data = "asdfgh"
s.add(c2)
s.flush()
# new target and new referrer in one flush, the target added after
c2b = Child2()
c1b = Child1()
c2b.child1 = c1b
s.add(c2b)
s.add(c1b)
s.commit()
check("hierarchy", c1=c1, c2=c2, c1b=c1b, c2b=c2b)
value("child2", sorted(tuple(r) for r in s.execute(select(child2.c.id, child2.c.child1_id))))

bb = B()
cc = C()
bb.cs.append(C())
bb.cs.append(cc)
bb.c = cc
s.add(bb)
s.commit()
value("a/c", [sorted(tuple(r) for r in s.execute(select(a.c.id, a.c.cid))),
              sorted(tuple(r) for r in s.execute(select(c.c.id, c.c.aid)))])
bb.c = None
s.delete(cc)
s.commit()
value("after delete", [sorted(tuple(r) for r in s.execute(select(a.c.id, a.c.cid))),
                       sorted(tuple(r) for r in s.execute(select(c.c.id, c.c.aid)))])
s.close()
