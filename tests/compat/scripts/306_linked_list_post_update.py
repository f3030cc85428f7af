"""A self-referential tree whose nodes also form a doubly linked list of siblings through
two post_update many-to-ones (test_cycles' self-referential post_update shape): building
it, inserting a node in the middle, removing one (re-linking its neighbours) and deleting
the whole tree by cascade.  Only the needed post-update UPDATEs are emitted."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    path = Column(String(50), nullable=False)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    prev_id = Column(Integer, ForeignKey("nodes.id"))
    next_id = Column(Integer, ForeignKey("nodes.id"))
    children = relationship("Node", primaryjoin="Node.id == Node.parent_id",
                            cascade="all", order_by="Node.id", backref=None)
    prev_sibling = relationship("Node", primaryjoin="Node.prev_id == Node.id",
                                remote_side="Node.id", uselist=False, post_update=True)
    next_sibling = relationship("Node", primaryjoin="Node.next_id == Node.id",
                                remote_side="Node.id", uselist=False, post_update=True)


def append(parent, child):
    if parent.children:
        last = parent.children[-1]
        last.next_sibling = child
        child.prev_sibling = last
    parent.children.append(child)


def links():
    return sorted(tuple(r) for r in s.execute(
        select(Node.id, Node.parent_id, Node.prev_id, Node.next_id)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
root = Node(id=1, path="/")
about, stories, bruce = Node(id=2, path="about"), Node(id=3, path="stories"), \
    Node(id=4, path="bruce")
append(root, about)
append(root, stories)
append(root, bruce)
s.add(root)
s.commit()
value("built", links())

# insert between about and stories
mid = Node(id=5, path="mid")
mid.prev_sibling, mid.next_sibling = about, stories
about.next_sibling, stories.prev_sibling = mid, mid
root.children.append(mid)
s.commit()
value("inserted", links())

# remove stories: its neighbours point at each other
mid.next_sibling, bruce.prev_sibling = bruce, mid
root.children.remove(stories)
s.delete(stories)
s.commit()
value("removed", links())

s.delete(root)
s.commit()
check("tree deleted", root=root, about=about, mid=mid, bruce=bruce)
value("rows", links())
s.close()
