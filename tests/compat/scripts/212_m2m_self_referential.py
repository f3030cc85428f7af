"""Self-referential many-to-many: primaryjoin/secondaryjoin name which association column
points at which end; a backref swaps them.  Following and followers stay symmetric, rows are
written and deleted, and deleting a node removes the rows on both of its sides."""

from harness import check, engine, names, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()

follows = Table(
    "follows", Base.metadata,
    Column("follower_id", ForeignKey("nodes.id"), primary_key=True),
    Column("followed_id", ForeignKey("nodes.id"), primary_key=True),
)


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    following = relationship(
        "Node", secondary=follows,
        primaryjoin=id == follows.c.follower_id,
        secondaryjoin=id == follows.c.followed_id,
        backref=backref("followers", order_by=name),
        order_by=name,
    )


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
a, b, c = Node(name="a"), Node(name="b"), Node(name="c")
track(a=a, b=b, c=c)
a.following = [b]
value("b.followers", names(b.followers))
s.add(a)
s.flush()
a.following.append(c)  # one object per side per flush: SQLAlchemy's row order is set order
s.flush()
check("flushed", a=a, b=b, c=c)
b.following.append(c)
s.flush()
value("c.followers", names(c.followers))
s.commit()

value("a.following (lazy, ordered)", names(a.following))
value("c.followers (lazy, ordered)", names(c.followers))
a.following.remove(b)
s.commit()
s.delete(c)
s.flush()
check("c deleted", c=c)
value("rows", [tuple(r) for r in s.execute(select(follows))])
s.commit()
s.close()
