"""Self-referential tree with children cascade "all, delete-orphan": deleting a subtree
deletes the deepest rows first (even when ids run the other way), moving a subtree to a new
parent updates only the moved node, removing a node from its parent's children deletes it
and its whole subtree, nodes created under existing nodes are inserted after them; swapping a
parent and its child in one flush is a CircularDependencyError in both ORMs."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50))
    children = relationship("Node", back_populates="parent", cascade="all, delete-orphan",
                            order_by="Node.id")
    parent = relationship("Node", back_populates="children", remote_side=[id])


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s:
    # ids deliberately against the tree order: children have lower ids than parents
    root = Node(id=100, name="root")
    a = Node(id=50, name="a", parent=root)
    b = Node(id=60, name="b", parent=root)
    Node(id=10, name="a1", parent=a)
    Node(id=11, name="a2", parent=a)
    a1x = Node(id=5, name="a1x")
    s.add(root)
    s.flush()
    s.get(Node, 10).children.append(a1x)
    b.children.append(Node(id=20, name="b1"))
    s.commit()


def tree(s):
    return sorted((n.id, n.parent_id) for n in s.scalars(select(Node)))


def load_subtree(n):
    return [n.name] + [load_subtree(c) for c in n.children]


# delete a middle node: its subtree goes, deepest first
s = Session(eng)
a = s.get(Node, 50)
value("subtree of a", load_subtree(a))
value("a.parent", a.parent.name)
s.delete(a)
s.flush()
value("after deleting a", tree(s))
s.rollback()

# move subtree a under b: one UPDATE of a's parent_id
a, b = s.get(Node, 50), s.get(Node, 60)
a.parent = b
s.flush()
value("after moving a under b", tree(s))
value("b.children", [n.name for n in b.children])
s.rollback()

# remove a from root.children: delete-orphan takes a and its subtree (loaded by the flush)
root, a = s.get(Node, 100), s.get(Node, 50)
root.children.remove(a)
s.flush()
check("orphaned a", a=a)
value("after orphaning a", tree(s))
s.rollback()

# new nodes under existing ones and a new subtree, in one flush
b = s.get(Node, 60)
n1 = Node(id=1, name="n1")
n2 = Node(id=2, name="n2")
b.children.append(n2)
n2.children.append(n1)
s.flush()
value("after adding n2/n1 under b", tree(s))

s.commit()

# delete the whole tree from the root
root = s.get(Node, 100)
value("whole tree", load_subtree(root))
s.delete(root)
s.commit()
value("after deleting root", tree(s))
s.close()

# a new root above the old one; then a node's children adopted by another before it goes
with Session(eng) as s:
    s.add(Node(id=200, name="r", children=[Node(id=201, name="x", children=[
        Node(id=202, name="x1"), Node(id=203, name="x2")]), Node(id=204, name="y")]))
    s.commit()
    r = s.get(Node, 200)
    value("r subtree", load_subtree(r))
    top = Node(id=150, name="new top")
    r.parent = top
    s.flush()
    x, y = s.get(Node, 201), s.get(Node, 204)
    for kid in list(x.children):
        kid.parent = y
    s.delete(x)
    s.flush()
    value("after adopting and deleting x", [row for row in tree(s) if row[0] >= 150])
    s.commit()

# swap a parent and its child: SQLAlchemy cannot order that in one flush either
with Session(eng) as s:
    s.add(Node(id=1, name="top", children=[Node(id=2, name="mid", children=[Node(id=3)])]))
    s.commit()
    top, mid, low = s.get(Node, 1), s.get(Node, 2), s.get(Node, 3)
    value("low.parent", low.parent.name)
    low.parent = top
    mid.parent = low
    try:
        s.flush()
    except Exception as e:  # noqa: BLE001 - the message lists the cycle in set order
        value("swap", type(e).__name__)
    s.rollback()
    low.parent = top  # one flush per step works
    s.flush()
    mid.parent = low
    s.commit()
    value("after the swap in two flushes", tree(s))
