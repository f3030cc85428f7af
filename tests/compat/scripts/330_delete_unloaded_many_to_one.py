"""Deleting rows whose many-to-one targets are not loaded (test_unitofworkv2's
many-to-one delete shapes): the child and its parent deleted together with the reference
never loaded (DELETE child first, found through the identity map or by the key), only
the child with an expired parent, the parent with passive_deletes on the one-to-many (no
SELECT of the children; the database's ON DELETE CASCADE removes them), and
passive_deletes="all" (children left as they are)."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Parent(Base):
    __tablename__ = "parents"
    id = Column(Integer, primary_key=True)
    kids = relationship("Kid", cascade="all, delete-orphan", passive_deletes=True,
                        backref="parent")
    toys = relationship("Toy", passive_deletes="all",
                        primaryjoin="Parent.id == foreign(Toy.parent_id)")


class Kid(Base):
    __tablename__ = "kids"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("parents.id", ondelete="CASCADE"))


class Toy(Base):
    __tablename__ = "toys"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer)  # no constraint: left pointing at nothing


def rows():
    return [sorted(tuple(r) for r in s.execute(select(Parent.id))),
            sorted(tuple(r) for r in s.execute(select(Kid.id, Kid.parent_id))),
            sorted(tuple(r) for r in s.execute(select(Toy.id, Toy.parent_id)))]


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s:
    for i in (1, 2, 3):
        s.add(Parent(id=i, kids=[Kid(id=i * 10), Kid(id=i * 10 + 1)]))
        s.add(Toy(id=i, parent_id=i))
    s.commit()

s = Session(eng)
k, p = s.get(Kid, 10), s.get(Parent, 1)
s.delete(k)
s.delete(p)
s.commit()
check("kid and parent", k=k, p=p)
value("after 1", rows())

k2 = s.get(Kid, 20)
s.expire(k2)
s.delete(k2)
s.commit()
value("expired kid", rows())

p2 = s.get(Parent, 2)
s.delete(p2)  # passive_deletes: kids not loaded, the database cascades
s.commit()
value("passive", rows())

p3 = s.get(Parent, 3)
p3.kids  # noqa: B018  (loaded: deleted by the ORM)
s.delete(p3)
s.commit()
value("loaded kids", rows())
s.close()
