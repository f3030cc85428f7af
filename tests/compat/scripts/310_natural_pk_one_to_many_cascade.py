"""Natural primary keys that change (test_naturalpks): a user's username is the key its
addresses reference.  passive_updates=False: the ORM UPDATEs the children's foreign keys,
loaded or not (it loads the collection); passive_updates=True (ON UPDATE CASCADE in the
database): the ORM only fixes the loaded children in memory.  Both after expiry too."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    username = Column(String(50), primary_key=True)
    fullname = Column(String(100))
    addresses = relationship("Address", passive_updates=False, order_by="Address.email")


class Address(Base):
    __tablename__ = "addresses"
    email = Column(String(50), primary_key=True)
    # checked at COMMIT, so the parent key can change before its children follow
    username = Column(String(50), ForeignKey("users.username", deferrable=True,
                                             initially="DEFERRED"))


class Owner(Base):
    __tablename__ = "owners"
    name = Column(String(50), primary_key=True)
    pets = relationship("Pet", backref="owner", order_by="Pet.name")


class Pet(Base):
    __tablename__ = "pets"
    name = Column(String(50), primary_key=True)
    owner_name = Column(String(50), ForeignKey("owners.name", onupdate="CASCADE"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
jack = User(username="jack", fullname="jack")
jack.addresses = [Address(email="j1"), Address(email="j2")]
s.add(jack)
s.commit()
jack.username = "ed"  # collection not loaded (expired): loaded and UPDATEd
s.commit()
value("renamed unloaded", sorted(tuple(r) for r in s.execute(select(Address.email,
                                                                     Address.username))))
value("in memory", [a.username for a in jack.addresses])
jack.username = "fred"  # loaded now
s.commit()
value("renamed loaded", sorted(tuple(r) for r in s.execute(select(Address.email,
                                                                   Address.username))))
# rename and move an address away in one flush
wendy = User(username="wendy")
a2 = jack.addresses[1]
jack.addresses.remove(a2)
wendy.addresses.append(a2)
jack.username = "jack"
s.add(wendy)
s.commit()
value("moved", sorted(tuple(r) for r in s.execute(select(Address.email, Address.username))))
check("users", jack=jack, wendy=wendy)
s.close()

s = Session(eng)
o = Owner(name="o", pets=[Pet(name="rex"), Pet(name="tom")])
s.add(o)
s.commit()
rex = o.pets[0]
o.name = "p"  # the database cascades; the ORM syncs the loaded pets without UPDATE
s.commit()
value("passive", [p.owner_name for p in o.pets])
value("rows", sorted(tuple(r) for r in s.execute(select(Pet.name, Pet.owner_name))))
s.expire_all()
o.name = "q"  # pets not loaded: nothing to do in memory
s.commit()
value("passive unloaded", [rex.owner_name, sorted(p.name for p in o.pets)])
s.close()
