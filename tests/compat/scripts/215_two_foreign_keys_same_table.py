"""Two foreign keys to the same table: foreign_keys= picks the one each relationship uses (as
a column, an attribute, a string, a list), a string primaryjoin does the same; each writes
its own column, and a relationship without either is ambiguous."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, configure_mappers, declarative_base, relationship

Base = declarative_base()


class Address(Base):
    __tablename__ = "address"
    id = Column(Integer, primary_key=True)
    street = Column(String(50))


class Customer(Base):
    __tablename__ = "customer"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    billing_address_id = Column(ForeignKey("address.id"))
    shipping_address_id = Column(ForeignKey("address.id"))
    billing_address = relationship("Address", foreign_keys=[billing_address_id])
    shipping_address = relationship("Address", foreign_keys="Customer.shipping_address_id")


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    buyer_id = Column(ForeignKey("customer.id"))
    seller_id = Column(ForeignKey("customer.id"))
    buyer = relationship("Customer", primaryjoin="Order.buyer_id == Customer.id",
                         backref="purchases")
    seller = relationship("Customer", primaryjoin="Customer.id == Order.seller_id",
                          backref="sales")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
home, work = Address(street="home"), Address(street="work")
c1 = Customer(name="c1", billing_address=home, shipping_address=work)
c2 = Customer(name="c2", billing_address=work, shipping_address=work)
o = Order(buyer=c1, seller=c2)
track(home=home, work=work, c1=c1, c2=c2, o=o)
value("c1.purchases", c1.purchases)
value("c2.sales", c2.sales)
s.add_all([c1, c2])
s.commit()
check("committed", c1=c1, c2=c2, o=o)

value("c1 addresses", [c1.billing_address.street, c1.shipping_address.street])
value("c2.purchases (lazy)", c2.purchases)
value("c2.sales (lazy)", c2.sales)
c1.shipping_address = home
c2.sales.remove(o)
c1.sales.append(o)
s.commit()
value("o.seller", o.seller)
value("o.buyer", o.buyer)
s.close()

Base2 = declarative_base()


class Address2(Base2):
    __tablename__ = "address"
    id = Column(Integer, primary_key=True)


class Customer2(Base2):
    __tablename__ = "customer"
    id = Column(Integer, primary_key=True)
    billing_address_id = Column(ForeignKey("address.id"))
    shipping_address_id = Column(ForeignKey("address.id"))
    address = relationship("Address2")


with expect_error("ambiguous foreign keys"):
    configure_mappers()
