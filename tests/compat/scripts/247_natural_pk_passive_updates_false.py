"""A natural primary key that changes, with passive_updates=False (no ON UPDATE CASCADE in
the database): the ORM UPDATEs the children's foreign keys itself, loading a collection
that was not loaded; the many-to-one side (passive_updates=False on the backref) follows."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    username = Column(String(20), primary_key=True)
    fullname = Column(String(40))
    addresses = relationship("Address", back_populates="user", passive_updates=False)


class Address(Base):
    __tablename__ = "addresses"
    email = Column(String(40), primary_key=True)
    # checked at COMMIT (SQLite: DEFERRABLE INITIALLY DEFERRED), so the parent's key can
    # change before the children follow within the flush
    username = Column(String(20), ForeignKey("users.username", deferrable=True,
                                             initially="DEFERRED"))
    user = relationship("User", back_populates="addresses", passive_updates=False)


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
u = User(username="jack", fullname="Jack")
u.addresses = [Address(email="j1@x"), Address(email="j2@x")]
s.add(u)
s.add(User(username="ed"))
s.commit()

# loaded collection
addrs = list(u.addresses)
u.username = "jack2"
s.flush()
check("renamed", u=u)
value("fks", [a.username for a in addrs])
s.commit()

# collection not loaded: it is loaded by the flush
s.expire_all()
u = s.get(User, "jack2")
u.username = "jack3"
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Address.__table__).order_by(Address.email))])

# only the many-to-one side is loaded
s.close()
s = Session(eng)
a = s.get(Address, "j1@x")
usr = a.user
usr.username = "jack4"
s.flush()
value("a fk", a.username)
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Address.__table__).order_by(Address.email))])
s.close()
