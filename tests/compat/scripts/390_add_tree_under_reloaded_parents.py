"""A new subtree added under persistent nodes that were dropped by the program and loaded
again (their collections not loaded; the children attach through the many-to-one backref):
the per-object order of the self-referential flush, so the INSERTs and keys, as SQLAlchemy's.
The earlier trees are collected explicitly, so the reload does not depend on when the
garbage collector runs."""

import gc
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
rng = random.Random(390)


def random_tree(tag, n):
    nodes = [Node(name="%s%d" % (tag, i)) for i in range(n)]
    for i in range(1, n):
        nodes[i].parent = nodes[rng.randrange(i)]
    return nodes


s = Session(eng, expire_on_commit=False)
s.add_all(random_tree("a", 20))
s.add_all(random_tree("b", 20))
s.commit()
gc.collect()  # the trees were reference cycles only: gone from the identity map
value("in identity map", len(s.identity_map))

old = s.query(Node).filter(Node.name.in_(["a3", "b7", "b11"])).all()
fresh = random_tree("e", 14)
track(**{node.name: node for node in fresh})
fresh[0].parent = old[0]
fresh[4].parent = old[1]
fresh[9].parent = old[2]
s.add_all(fresh[::-1])
value("e: new, in order", names(list(s.new)))
s.flush()
value("e: parent ids by id", sorted((x.id, x.parent_id) for x in fresh))
s.commit()
s.close()
