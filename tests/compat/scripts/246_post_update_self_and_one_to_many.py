"""post_update on a self-referential "favorite child" pointer inside an adjacency list, and
on a one-to-many between two tables that reference each other (the children's foreign key
is written by a separate UPDATE, NULLed before their parent goes)."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    favorite_id = Column(Integer, ForeignKey("nodes.id"))
    children = relationship("Node", foreign_keys=[parent_id],
                            backref=backref("parent", remote_side=[id],
                                            foreign_keys=[parent_id]))
    favorite = relationship("Node", foreign_keys=[favorite_id], remote_side=[id],
                            post_update=True)


class Owner(Base):
    __tablename__ = "owners"
    id = Column(Integer, primary_key=True)
    main_pet_id = Column(Integer, ForeignKey("pets.id", name="fk_main"))
    pets = relationship("Pet", foreign_keys=lambda: [Pet.owner_id], post_update=True)
    main_pet = relationship("Pet", foreign_keys=[main_pet_id])


class Pet(Base):
    __tablename__ = "pets"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    owner_id = Column(Integer, ForeignKey("owners.id"))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
root = Node(name="root")
a, b = Node(name="a", parent=root), Node(name="b", parent=root)
root.favorite = b
a.favorite = a
s.add(root)
s.flush()
check("nodes", root=root, a=a, b=b)
value("favorites", (root.favorite_id, a.favorite_id, b.favorite_id))
root.favorite = a
b.favorite = root
s.flush()
s.delete(a)
root.favorite = None
s.flush()
s.commit()
value("nodes", [tuple(r) for r in s.execute(select(Node.__table__).order_by(Node.id))])

p1, p2 = Pet(name="p1"), Pet(name="p2")
o = Owner(pets=[p1, p2], main_pet=p1)
s.add(o)
s.flush()
check("owner", o=o, p1=p1, p2=p2)
value("pet owners", (p1.owner_id, p2.owner_id, o.main_pet_id))
o.main_pet = None
s.flush()
s.delete(o)
s.flush()
check("owner deleted", o=o, p1=p1, p2=p2)
s.commit()
value("pets", [tuple(r) for r in s.execute(select(Pet.__table__).order_by(Pet.id))])
s.close()
