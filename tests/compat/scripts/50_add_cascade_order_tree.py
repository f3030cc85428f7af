"""Order of the save-update cascade in a self-referential tree (three levels below the root):
add() walks depth first, a node's relationships in declaration order and each collection in list
order, so INSERTs and generated primary keys follow SQLAlchemy's walk whichever node is added."""

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


def tree(tag):
    """root -> (c1 -> (g1, g2 -> h2), c2 -> (g3 -> h1)), built through both sides."""
    n = {k: Node(name="%s-%s" % (tag, k)) for k in "root c1 c2 g1 g2 g3 h1 h2".split()}
    n["c1"].parent = n["root"]
    n["root"].children.append(n["c2"])
    n["c1"].children.append(n["g1"])
    n["g2"].parent = n["c1"]
    n["g3"].parent = n["c2"]
    n["c2"].children[0].children.append(n["h1"])
    n["h2"].parent = n["g2"]
    track(**{"%s_%s" % (tag, k): v for k, v in n.items()})
    return n


def ids(n):
    return {k: v.id for k, v in n.items()}


s = Session(eng, expire_on_commit=False)
for tag, start in [("a", ["root"]), ("b", ["g3"]), ("c", ["h1"]), ("d", ["c1"]),
                   ("e", ["g2", "c2"]), ("f", ["h2", "g1", "root"])]:
    n = tree(tag)
    s.add_all([n[k] for k in start])
    value("%s: new, in order" % tag, names(list(s.new)))
    s.flush()
    value("%s: ids" % tag, ids(n))
s.commit()
s.close()
