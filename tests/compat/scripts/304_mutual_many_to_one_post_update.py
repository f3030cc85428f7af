"""Two tables whose rows reference each other through many-to-ones, one side post_update
(test_cycles' bidirectional many-to-one shape): new pairs, a reflush that re-points both
sides, moving the references to other rows, None, and deleting rows on both sides."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Ping(Base):
    __tablename__ = "pings"
    id = Column(Integer, primary_key=True)
    data = Column(String(30))
    pong_id = Column(Integer, ForeignKey("pongs.id"))
    pong = relationship("Pong", foreign_keys=[pong_id], post_update=True)


class Pong(Base):
    __tablename__ = "pongs"
    id = Column(Integer, primary_key=True)
    data = Column(String(30))
    ping_id = Column(Integer, ForeignKey("pings.id"))
    ping = relationship("Ping", foreign_keys=[ping_id])


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)  # (a flush loads expired rows in set order)
a1, b1 = Ping(id=1, data="a1"), Pong(id=1, data="b1")
a2, b2 = Ping(id=2, data="a2"), Pong(id=2, data="b2")
a1.pong, b1.ping = b1, a1
a2.pong, b2.ping = b2, a2
s.add_all([a1, a2])
s.commit()
check("pairs", a1=a1, b1=b1, a2=a2, b2=b2)

# reflush: cross the references
a1.pong, a2.pong = b2, b1
b1.ping, b2.ping = a2, a1
s.commit()
value("crossed", sorted(tuple(r) for r in s.execute(select(Ping.id, Ping.pong_id))))

# a new row joins the cycle of persistent ones
a3 = Ping(id=3, data="a3", pong=b1)
b1.ping = a3
s.add(a3)
s.flush()
a1.pong = None
s.commit()
value("after a3", sorted(tuple(r) for r in s.execute(select(Pong.id, Pong.ping_id))))

# deletes on both sides in one flush: the post_update side's reference to a deleted row
# is not nulled when its own row goes too (a3 -> b1): the DELETE order decides
b1.ping = None
s.delete(a3)
s.delete(b1)
with expect_error("delete both, a3 still pointing at b1"):
    s.flush()
s.rollback()
check("after rollback", a3=a3, b1=b1)
a3.pong = a2.pong = None
b1.ping = None
s.delete(b1)  # the references to it nulled by the post-update UPDATEs first
s.commit()
s.delete(a3)
s.commit()
check("deleted", a3=a3, b1=b1, a1=a1)
value("left", [sorted(tuple(r) for r in s.execute(select(Ping.id, Ping.pong_id))),
               sorted(tuple(r) for r in s.execute(select(Pong.id, Pong.ping_id)))])
s.close()
