"""add_all() of a random self-referential tree built by assigning node.parent (each node's parent
picked among all earlier nodes), the nodes passed in creation order, reversed and shuffled, and
with duplicates and already-persistent nodes mixed in: the same nodes become pending, in the same
order, and the INSERTs (so the primary keys) come out as in SQLAlchemy."""

import random

from harness import engine, names, track, value
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
rng = random.Random(53)


def random_tree(tag, n):
    nodes = [Node(name="%s%d" % (tag, i)) for i in range(n)]
    for i in range(1, n):
        nodes[i].parent = nodes[rng.randrange(i)]
    track(**{node.name: node for node in nodes})
    return nodes


s = Session(eng, expire_on_commit=False)
# every tree stays referenced: a3 and c7 below are the objects flushed earlier, whenever the
# garbage collector runs (an unreferenced tree is a reference cycle, gone at the next
# collection: then the query would load fresh objects, and the plan would differ)
trees = []
for tag, arrange in [("a", lambda ns: ns), ("b", lambda ns: ns[::-1]),
                     ("c", lambda ns: rng.sample(ns, len(ns))),
                     ("d", lambda ns: ns[5:9] + ns[::3] + ns[5:9])]:
    nodes = random_tree(tag, 24)
    trees.append(nodes)
    s.add_all(arrange(nodes))
    value("%s: new, in order" % tag, names(list(s.new)))
    s.flush()
    value("%s: parent ids by id" % tag, sorted((x.id, x.parent_id) for x in nodes))

# a new subtree under persistent nodes, added through its leaves
old = s.query(Node).filter(Node.name.in_(["a3", "c7"])).all()
fresh = random_tree("e", 12)
fresh[0].parent = old[0]
fresh[5].parent = old[1]
s.add_all(fresh[::-2])
value("e: new, in order", names(list(s.new)))
s.commit()
s.close()
