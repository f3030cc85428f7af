"""A post_update many-to-one whose one-to-many backref inherits post_update (test_cycles'
post-update backref): appending through the backref, assigning through the many-to-one,
moving, and deleting the parent with the children nulled by the post-update."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()


class Person(Base):
    __tablename__ = "people"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    favorite_id = Column(Integer, ForeignKey("balls.id", name="fav"))
    favorite = relationship("Ball", foreign_keys=[favorite_id], post_update=True,
                            backref=backref("fans", order_by="Person.id"))


class Ball(Base):
    __tablename__ = "balls"
    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("people.id"))
    owner = relationship("Person", foreign_keys=[person_id], backref="balls")


def rows():
    return [sorted(tuple(r) for r in s.execute(select(Person.id, Person.favorite_id))),
            sorted(tuple(r) for r in s.execute(select(Ball.id, Ball.person_id)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)
p1, p2 = Person(id=1, name="p1"), Person(id=2, name="p2")
b1 = Ball(id=1, owner=p1)
b1.fans.append(p1)
b1.fans.append(p2)
s.add_all([p1, p2])
s.commit()
value("start", rows())
b2 = Ball(id=2, owner=p2)
p2.favorite = b2
s.commit()
value("moved", rows())
b1.owner = None
p1.favorite = None
s.delete(b1)
s.commit()
check("ball deleted", b1=b1)
value("end", rows())
s.close()
