"""Natural primary key changes through a many-to-many (test_naturalpks): passive_updates=
False UPDATEs the association rows of both sides' keys; and a self-referential many-to-one
on a natural key (a node's name is its key and its children's parent key), renamed with the
children loaded and not."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

users_items = Table(
    "users_items", Base.metadata,
    Column("username", String(50), ForeignKey("users.username", deferrable=True,
                                              initially="DEFERRED"), primary_key=True),
    Column("itemname", String(50), ForeignKey("items.itemname", deferrable=True,
                                              initially="DEFERRED"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"
    username = Column(String(50), primary_key=True)
    items = relationship("Item", secondary=users_items, passive_updates=False,
                         backref="users", order_by="Item.itemname")


class Item(Base):
    __tablename__ = "items"
    itemname = Column(String(50), primary_key=True)


class Node(Base):
    __tablename__ = "nodes"
    name = Column(String(50), primary_key=True)
    parent_name = Column(String(50), ForeignKey("nodes.name", deferrable=True,
                                                initially="DEFERRED"))
    parent = relationship("Node", remote_side=[name], passive_updates=False,
                          backref="children")


def assoc():
    return sorted(tuple(r) for r in s.execute(select(users_items)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
ed, jack = User(username="ed"), User(username="jack")
i1, i2 = Item(itemname="i1"), Item(itemname="i2")
ed.items = [i1, i2]
s.add_all([ed, jack])
s.commit()
jack.items.append(i1)
s.commit()
value("rows", assoc())
ed.username = "fred"
s.commit()
value("user renamed", assoc())
value("memory", [u.username for u in i1.users])
s.close()

s = Session(eng)
root = Node(name="root")
a, b = Node(name="a", parent=root), Node(name="b", parent=root)
s.add_all([a, b])
s.commit()
root.name = "top"  # the children are in the session (loaded): they follow
s.commit()
value("nodes", sorted(tuple(r) for r in s.execute(select(Node.name, Node.parent_name))))
check("nodes", root=root, a=a, b=b)
s.close()
