"""A self-referential relationship on a unique non-primary-key column (test_cycles'
self-referential no-pk shape): children reference their parent's uuid, not its id; a
tree inserted in one flush (uuids assigned by the application), the lazy load by uuid,
a move, and deletes."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    uuid = Column(String(32), unique=True, nullable=False)
    parent_uuid = Column(String(32), ForeignKey("items.uuid"))
    children = relationship("Item", backref=backref("parent", remote_side="Item.uuid"),
                            order_by="Item.uuid")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
root = Item(uuid="r")
kids = [Item(uuid="k1"), Item(uuid="k2")]
root.children = kids
kids[0].children.append(Item(uuid="g1"))
s.add(root)
s.commit()
value("rows", sorted(tuple(r) for r in s.execute(select(Item.uuid, Item.parent_uuid))))
s.close()

s = Session(eng)
g1 = s.scalars(select(Item).where(Item.uuid == "g1")).one()
value("lazy by uuid", [g1.parent.uuid, g1.parent.parent.uuid])
k2 = s.scalars(select(Item).where(Item.uuid == "k2")).one()
g1.parent = k2
s.commit()
value("moved", sorted(tuple(r) for r in s.execute(select(Item.uuid, Item.parent_uuid))))
value("loaded before the delete", [g1.parent.uuid, k2.parent.uuid, len(g1.children),
                                   len(k2.children)])
s.delete(g1)
s.delete(k2)
s.commit()
check("deleted", g1=g1, k2=k2)
value("end", sorted(tuple(r) for r in s.execute(select(Item.uuid, Item.parent_uuid))))
s.close()

# a deleted row's many-to-one by uuid, never loaded: SQLAlchemy loads it (not by primary
# key, so not from the identity map)
s = Session(eng)
k1 = s.scalars(select(Item).where(Item.uuid == "k1")).one()
s.delete(k1)
s.commit()
value("k1 deleted", sorted(tuple(r) for r in s.execute(select(Item.uuid, Item.parent_uuid))))
s.close()
