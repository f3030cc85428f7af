"""A self-referential many-to-many with a backref (friends / friend_of): links added on
either side (one object per flush: SQLAlchemy writes one flush's association rows in set
order), a link in both directions, removing from the other side, and deleting a node
that is linked in both directions (its rows of both directions deleted first)."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

friendship = Table(
    "friendship", Base.metadata,
    Column("a_id", ForeignKey("people.id"), primary_key=True),
    Column("b_id", ForeignKey("people.id"), primary_key=True),
)


class Person(Base):
    __tablename__ = "people"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    friends = relationship("Person", secondary=friendship,
                           primaryjoin=id == friendship.c.a_id,
                           secondaryjoin=id == friendship.c.b_id,
                           backref="friend_of", order_by="Person.id")


def links():
    return sorted(tuple(r) for r in s.execute(select(friendship)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
a, b, c = Person(id=1, name="a"), Person(id=2, name="b"), Person(id=3, name="c")
s.add_all([a, b, c])
s.commit()
a.friends.append(b)
s.commit()
c.friend_of.append(b)  # b -> c
s.commit()
b.friends.append(a)  # both directions
s.commit()
value("links", links())
value("views", [[p.name for p in b.friends], sorted(p.name for p in b.friend_of)])
a.friend_of.remove(b)  # removes b -> a
s.commit()
value("removed", links())
b.friends.append(a)
s.commit()
s.delete(b)
s.commit()
check("b deleted", b=b)
value("end", links())
value("memory", [[p.name for p in a.friends], [p.name for p in c.friend_of]])
s.close()
