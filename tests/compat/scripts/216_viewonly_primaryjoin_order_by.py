"""A viewonly relationship with a custom primaryjoin (extra criteria, foreign()) loads but
never writes: appending to it changes no row; order_by on collections (ascending,
descending, several columns) orders the lazy load."""

from harness import engine, value
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, and_, select
from sqlalchemy.orm import Session, declarative_base, foreign, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", back_populates="user",
                             order_by="Address.email.desc()")
    by_kind = relationship("Address", order_by="(Address.kind, Address.id)",
                           viewonly=True)
    active_addresses = relationship(
        "Address",
        primaryjoin="and_(User.id == Address.user_id, Address.active == True)",
        viewonly=True, order_by="Address.email")
    same_name = relationship(
        "Address", primaryjoin=lambda: foreign(Address.email) == User.name, viewonly=True)


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    kind = Column(String(10))
    active = Column(Boolean, default=True)
    user_id = Column(ForeignKey("users.id"))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(name="c@x", addresses=[
    Address(email="b@x", kind="home"), Address(email="c@x", kind="work", active=False),
    Address(email="a@x", kind="home")])
s.add(u)
s.commit()
value("addresses (email desc)", [a.email for a in u.addresses])
value("by_kind", [a.email for a in u.by_kind])
value("active", [a.email for a in u.active_addresses])
value("same_name", [a.email for a in u.same_name])

extra = Address(email="z@x", kind="home")
u.active_addresses.append(extra)
s.add(extra)
s.commit()
value("extra.user_id (viewonly wrote nothing)", extra.user_id)
value("active after commit", [a.email for a in u.active_addresses])
u.active_addresses.remove(u.active_addresses[0])
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Address.__table__).order_by(Address.id))])
s.close()
