"""The association object pattern: a mapped class for the association table with its own
column and two many-to-ones (composite primary key from both foreign keys), delete-orphan
from the one side, back_populates on both ends; moving, removing and deleting."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    lines = relationship("Line", back_populates="order", cascade="all, delete-orphan",
                         order_by="Line.product_id")


class Line(Base):
    __tablename__ = "lines"
    order_id = Column(ForeignKey("orders.id"), primary_key=True)
    product_id = Column(ForeignKey("products.id"), primary_key=True)
    quantity = Column(Integer, nullable=False)
    order = relationship("Order", back_populates="lines")
    product = relationship("Product", back_populates="lines")


class Product(Base):
    __tablename__ = "products"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    lines = relationship("Line", back_populates="product")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
o = Order(name="o")
pen, ink = Product(name="pen"), Product(name="ink")
l1 = Line(product=pen, quantity=2)
l2 = Line(product=ink, quantity=5)
track(o=o, pen=pen, ink=ink, l1=l1, l2=l2)
o.lines.append(l1)
o.lines.append(l2)
value("pen.lines", pen.lines)
s.add(o)
s.commit()
check("committed", l1=l1, l2=l2)
value("products of o", [(ln.product.name, ln.quantity) for ln in o.lines])

l1.quantity = 3
o.lines.remove(l2)
s.flush()
check("removed line deleted", l2=l2)
value("ink.lines after flush (stale)", ink.lines)
s.commit()
value("ink.lines after commit", ink.lines)

o2 = Order(name="o2")
track(o2=o2)
s.add(o2)
l3 = Line(order=o2, product=ink, quantity=1)
track(l3=l3)
s.add(l3)  # a many-to-one backref does not cascade it into the session (2.x)
s.commit()
value("o2.lines", o2.lines)
s.delete(o2)
s.commit()
check("o2 and its line deleted", o2=o2, l3=l3)
s.delete(pen)
with expect_error("deleting a product blanks a primary key column of its line"):
    s.flush()
s.rollback()
value("rows", [tuple(r) for r in s.execute(select(Line.__table__))])
s.close()
