"""Self-referential adjacency list (Node.parent_id -> nodes.id, children / parent with
remote_side): a three-level tree inserted in one flush, parents before children, FKs synced."""

from harness import check, engine, names, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50))
    children = relationship("Node", back_populates="parent")
    parent = relationship("Node", back_populates="children", remote_side=[id])


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)
root = Node(name="root")
c1, c2 = Node(name="c1", parent=root), Node(name="c2")
root.children.append(c2)
g1 = Node(name="g1")
c1.children.append(g1)
s.add(g1)  # the whole tree cascades from the grandchild up and down
check("after add", root=root, c1=c1, c2=c2, g1=g1)
s.commit()
value("parent ids", [root.parent_id, c1.parent_id, c2.parent_id, g1.parent_id])
value("root.children", names(root.children))
value("g1.parent.parent", g1.parent.parent)
s.close()
