"""post_update on versioned rows (test_versioning / test_cycles post-update shapes): the
post-update UPDATE bumps and checks the version (on insert, on a change of the link only,
on delete, where the link is cleared first), and setting a post_update many-to-one to None
is detected and written; a stale version on the post-update raises."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    version = Column(Integer, nullable=False)
    related_id = Column(Integer, ForeignKey("nodes.id"))
    related = relationship("Node", remote_side=[id], post_update=True)
    __mapper_args__ = {"version_id_col": version}


def rows():
    return sorted(tuple(r) for r in s.execute(select(Node.id, Node.version, Node.related_id)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)
a, b = Node(id=1), Node(id=2)
a.related = b
b.related = a
s.add_all([a, b])
s.commit()
value("inserted", rows())
a.related = a
s.commit()
value("self link", rows())
a.related = None
s.commit()
value("None detected", rows())

b.related = None
s.delete(a)
s.commit()
check("deleted", a=a)
value("after delete", rows())

s2 = Session(eng)
s2.get(Node, 2).related = s2.get(Node, 2)
s2.commit()
c = Node(id=3)
s.add(c)
b.related = c
with expect_error("stale post-update"):
    s.commit()
s.rollback()
value("end", rows())
s.close()
s2.close()
