"""A self-referential one-to-many (test_unitofworkv2's single cycle): saving a three-level
tree (children INSERTed row by row after their parents), deleting a whole level, deleting
only the parent (children's keys set to NULL), a delete whose children were never loaded
(loaded to null their keys), and moving a subtree under a new parent in the same flush."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    data = Column(String(30))
    children = relationship("Node", order_by="Node.id")


def rows():
    return sorted(tuple(r) for r in s.execute(select(Node.id, Node.parent_id)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)  # (a flush loads expired rows in set order)
n1 = Node(data="n1")
n2, n3 = Node(data="n2"), Node(data="n3")
n1.children = [n2, n3]
n2.children = [Node(data="n4"), Node(data="n5")]
s.add(n1)
s.commit()
value("tree", rows())

# delete the parent only: children point at nothing
s.delete(n3)
s.delete(n1)
s.commit()
value("parent gone", rows())
check("statuses", n1=n1, n2=n2, n3=n3)
s.close()

# children never loaded: the delete loads them to null their keys
s = Session(eng)
n2 = s.get(Node, 2)
s.delete(n2)
s.commit()
value("unloaded children", rows())
s.close()

# a new parent adopts persistent orphans and a new child in one flush
s = Session(eng)
orphans = s.scalars(select(Node).order_by(Node.id)).all()
top = Node(data="top", children=orphans + [Node(data="new")])
s.add(top)
s.commit()
value("adopted", rows())
# and a subtree moves under a new middle node
mid = Node(data="mid")
mid.children = list(top.children[:2])
top.children.append(mid)
s.commit()
value("moved", rows())
everything = s.scalars(select(Node).order_by(Node.id)).all()
value("collections", [len(n.children) for n in everything])  # loaded in a known order
for n in everything:
    s.delete(n)
s.commit()
value("all deleted", rows())
s.close()
