"""A self-referential many-to-many plus a self-referential one-to-many on the same class
(test_unitofworkv2's single-cycle many-to-many), with a backref: a node deleted loses
its association rows of both directions.  (A row switch in such a cycle is
tests/orm/test_cycle_row_switch.py: SQLAlchemy 2.1 deletes the switched row after its
UPDATE.)"""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

links = Table(
    "links", Base.metadata,
    Column("from_id", ForeignKey("nodes.id"), primary_key=True),
    Column("to_id", ForeignKey("nodes.id"), primary_key=True),
)


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    data = Column(String(30))
    favorite_id = Column(Integer, ForeignKey("nodes.id"))
    favorite = relationship("Node", remote_side=[id], foreign_keys=[favorite_id])
    related = relationship("Node", secondary=links, primaryjoin=id == links.c.from_id,
                           secondaryjoin=id == links.c.to_id, order_by="Node.id",
                           backref="referrers")


def rows():
    return [sorted(tuple(r) for r in s.execute(select(Node.id, Node.favorite_id, Node.data))),
            sorted(tuple(r) for r in s.execute(select(links)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
n1, n2, n3 = Node(id=1, data="n1"), Node(id=2, data="n2"), Node(id=3, data="n3")
n1.related = [n2, n3]
n2.favorite = n3
n3.favorite = n1
s.add_all([n1, n2, n3])
s.commit()
value("built", rows())
n2.related.append(n1)
s.commit()
n1.related.remove(n3)
s.delete(n3)
n2.favorite = None
s.commit()
value("n3 gone", rows())
check("after delete", n1=n1, n2=n2, n3=n3)

s.delete(n2)
s.commit()
check("n2 deleted", n1=n1, n2=n2)
value("end", rows())
s.close()
