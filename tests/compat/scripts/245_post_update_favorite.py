"""post_update on a many-to-one that closes a cycle: a parent with children whose
'favorite' points back at one child.  INSERTs first, then a separate UPDATE of the parent's
favorite_id; changing the favorite is one post-update; deleting NULLs the link first."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Parent(Base):
    __tablename__ = "parents"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    favorite_id = Column(Integer, ForeignKey("children.id", name="fk_fav"))
    children = relationship("Child", foreign_keys=lambda: [Child.parent_id],
                            cascade="all, delete-orphan")
    favorite = relationship("Child", foreign_keys=[favorite_id], post_update=True)


class Child(Base):
    __tablename__ = "children"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(Integer, ForeignKey("parents.id"))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
c1, c2 = Child(name="c1"), Child(name="c2")
p = Parent(name="p", children=[c1, c2], favorite=c2)
s.add(p)
s.flush()
check("inserted", p=p, c1=c1, c2=c2)
value("favorite_id", p.favorite_id)
p.favorite = c1
s.flush()
value("favorite_id", p.favorite_id)
p.favorite = None
s.flush()
p.favorite = c2
s.commit()
s.delete(p)
s.flush()
check("deleted", p=p, c1=c1, c2=c2)
s.commit()
value("parents", [tuple(r) for r in s.execute(select(Parent.__table__))])
value("children", [tuple(r) for r in s.execute(select(Child.__table__))])
s.close()
