"""Imperative (classical) mapping, the seeds' style: plain classes mapped with
registry().map_imperatively(Class, table, properties={...}): a column under another
attribute name (properties={"name": users.c.user_name}), a relationship with a backref,
column_property() for a renamed column, exclude_properties, joined-table inheritance with
inherits=/polymorphic_on=/polymorphic_identity=; registry.dispose() unmaps its classes and
they can be mapped again (clear_mappers() would unmap every class of the test process)."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, select
from sqlalchemy.orm import Session, column_property, registry, relationship

metadata = MetaData()
users = Table("users", metadata,
              Column("user_id", Integer, primary_key=True),
              Column("user_name", String(40)),
              Column("secret", String(40)))
addresses = Table("addresses", metadata,
                  Column("address_id", Integer, primary_key=True),
                  Column("user_id", ForeignKey("users.user_id")),
                  Column("email_address", String(80)))
people = Table("people", metadata,
               Column("person_id", Integer, primary_key=True),
               Column("name", String(40)),
               Column("kind", String(20)))
engineers = Table("engineers", metadata,
                  Column("person_id", ForeignKey("people.person_id"), primary_key=True),
                  Column("language", String(20)))


class User:
    def __init__(self, name=None):
        self.name = name


class Address:
    def __init__(self, email=None):
        self.email = email


class Person:
    pass


class Engineer(Person):
    pass


def map_all():
    reg = registry()
    reg.map_imperatively(User, users, properties={
        "id": users.c.user_id,
        "name": users.c.user_name,
        "addresses": relationship(Address, backref="user", order_by=addresses.c.address_id),
    }, exclude_properties=["secret"])
    reg.map_imperatively(Address, addresses, properties={
        "email": column_property(addresses.c.email_address),
    })
    reg.map_imperatively(Person, people, polymorphic_on=people.c.kind,
                         polymorphic_identity="person")
    reg.map_imperatively(Engineer, engineers, inherits=Person,
                         polymorphic_identity="engineer")
    return reg


reg = map_all()
value("user attributes", (hasattr(User, "name"), hasattr(User, "secret"),
                          hasattr(User, "user_name")))
eng = engine()
metadata.create_all(eng)
s = Session(eng)
u = User("jack")
u.addresses.append(Address("jack@example.org"))
u.addresses.append(Address("j@example.org"))
p = Person()
p.name = "pat"
e = Engineer()
e.name = "eve"
e.language = "python"
value("discriminators", (p.kind, e.kind))
s.add_all([u, p, e])
s.commit()
check("committed", u=u, p=p, e=e)
value("backref", u.addresses[0].user is u)
value("renamed column query", [x.name for x in s.scalars(select(User).where(User.name == "jack"))])
s.expunge_all()
value("polymorphic", [(type(x).__name__, x.name) for x in s.scalars(select(Person))])
value("emails", [a.email for a in s.get(User, 1).addresses])
a = s.scalars(select(Address).where(Address.email == "j@example.org")).one()
a.email = "jj@example.org"
s.commit()
s.close()

reg.dispose()
value("unmapped", (hasattr(User, "name"), hasattr(Address, "email")))
with_plain = User("plain")
value("plain object", with_plain.name)
reg = map_all()
s = Session(eng)
value("mapped again", [x.name for x in s.scalars(select(User))])
s.close()
reg.dispose()
