"""Order of the save-update cascade across several relationships: a user's relationships are
walked in declaration order (orders before addresses), relationships made by backrefs come after
the declared ones, in the order their mappers were defined (Tag.users before Tag.addresses), and
each member's own relationships are walked before its next sibling (depth first)."""

from harness import engine, names, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    tag_id = Column(ForeignKey("tags.id"))
    orders = relationship("Order", back_populates="user")
    addresses = relationship("Address", backref="user")
    tag = relationship("Tag", backref="users")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    user_id = Column(ForeignKey("users.id"))
    tag_id = Column(ForeignKey("tags.id"))
    tag = relationship("Tag", backref="addresses")


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    user_id = Column(ForeignKey("users.id"))
    user = relationship("User", back_populates="orders")


eng = engine()
Base.metadata.create_all(eng)


def graph(tag):
    """Two users sharing one tag; addresses tagged too; orders on both users."""
    t = Tag(name=tag + "-t")
    u1, u2 = User(name=tag + "-u1", tag=t), User(name=tag + "-u2")
    a1, a2, a3 = (Address(name="%s-a%d" % (tag, i)) for i in (1, 2, 3))
    u1.addresses = [a1, a2]
    a3.user = u2
    a2.tag = t
    a3.tag = t
    t.users.append(u2)
    o1, o2, o3 = (Order(name="%s-o%d" % (tag, i)) for i in (1, 2, 3))
    o1.user = u1
    u2.orders.append(o2)
    o3.user = u1
    objs = dict(t=t, u1=u1, u2=u2, a1=a1, a2=a2, a3=a3, o1=o1, o2=o2, o3=o3)
    track(**{"%s_%s" % (tag, k): v for k, v in objs.items()})
    return objs


s = Session(eng, expire_on_commit=False)
for tag, start in [("a", ["u1"]), ("b", ["t"]), ("c", ["a3"]), ("d", ["o2"]),
                   ("e", ["a2", "o1"]), ("f", ["o3", "u2", "t"])]:
    g = graph(tag)
    if len(start) == 1:
        s.add(g[start[0]])
    else:
        s.add_all([g[k] for k in start])
    value("%s: new, in order" % tag, names(list(s.new)))
    s.flush()
    value("%s: ids" % tag, {k: v.id for k, v in g.items()})
s.commit()
s.close()
