"""A self-referential one-to-many with all, delete-orphan (test_cascade's self-referential
delete-orphan): deleting the root deletes the whole tree, children before parents;
removing a subtree from its parent deletes the subtree; moving a subtree to another
parent keeps it."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(20))
    children = relationship("Node", cascade="all, delete-orphan", order_by="Node.id",
                            backref=None)


def rows():
    return sorted(tuple(r) for r in s.execute(select(Node.id, Node.parent_id)))


def tree(i, depth):
    n = Node(id=i, name="n%d" % i)
    if depth:
        n.children = [tree(i * 10 + k, depth - 1) for k in (1, 2)]
    return n


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)  # (a flush loads expired rows in set order)
root = tree(1, 2)
s.add(root)
s.commit()
value("tree", rows())
sub = root.children[0]
root.children.remove(sub)
s.commit()
check("subtree removed", sub=sub)
value("after remove", rows())

other = root.children[0]
moving = other.children[0]
other.children.remove(moving)
root.children.append(moving)
s.commit()
check("moved", moving=moving)
value("after move", rows())

s.delete(root)
s.commit()
check("root deleted", root=root, other=other, moving=moving)
value("end", rows())
s.close()
