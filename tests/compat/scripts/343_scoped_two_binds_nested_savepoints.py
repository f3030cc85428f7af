"""A scoped_session over a sessionmaker with two binds (User on one engine, Note on the
other): SAVEPOINTs three deep span both connections (each connection gets its SAVEPOINT
when first used inside the level); the inner level rolled back, the outer released, a
middle level rolled back through its object while a deeper one is open (the deeper one
ends with it); merge(load=False) and refresh(attribute_names=) inside a savepoint; remove()
closes the session and the registry makes a new one; both databases' committed rows."""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import declarative_base, relationship, scoped_session, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user", cascade="all, delete-orphan")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(Integer, ForeignKey("users.id"))


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    text = Column(String(50))


eng1, eng2 = engine(), engine()
Base.metadata.create_all(eng1)
Base.metadata.create_all(eng2)
Scoped = scoped_session(sessionmaker(binds={User: eng1, Address: eng1, Note: eng2}))

u1 = User(id=1, name="u1", addresses=[Address(id=1, email="a1")])
n1 = Note(id=1, text="n1")
Scoped.add_all([u1, n1])
Scoped.commit()

sp1 = Scoped.begin_nested()
u1.name = "in sp1"
sp2 = Scoped.begin_nested()
n1.text = "in sp2"
Scoped.add(Note(id=2, text="n2"))
sp3 = Scoped.begin_nested()
u1.addresses.append(Address(id=2, email="a2"))
Scoped.flush()
check("flushed in sp3", u1=u1, n1=n1)
sp3.rollback()
value("after sp3 rollback: addresses", sorted(a.email for a in u1.addresses))
value("n1.text (sp2 still open)", n1.text)
sp2.rollback()
value("after sp2 rollback: n1.text", n1.text)
members("new after sp2 rollback", Scoped.new)
value("u1.name (sp1 still open)", u1.name)
sp1.commit()
Scoped.commit()

# a middle level rolled back while a deeper one is open
sp1 = Scoped.begin_nested()
n1.text = "outer"
sp2 = Scoped.begin_nested()
u1.name = "middle"
sp3 = Scoped.begin_nested()
Scoped.add(Note(id=3, text="n3"))
Scoped.flush()
sp2.rollback()
value("sp3 active after its parent's rollback", sp3.is_active)
with expect_error("commit of the ended sp3"):
    sp3.commit()
value("u1.name after sp2 rollback", u1.name)
value("n1.text", n1.text)
sp1.commit()
value("notes in eng2", sorted(Scoped.scalars(select(Note.text)).all()))

# merge(load=False) and refresh(attribute_names=) inside a savepoint
Scoped.commit()
detached = User(id=1, name="merged")
sp = Scoped.begin_nested()
with expect_error("merge(load=False) of a dirty transient copy"):
    Scoped.merge(detached, load=False)
n1.text = "changed"
Scoped.refresh(n1, ["text"])
value("text after refresh", n1.text)
sp.rollback()
Scoped.commit()

first = Scoped()
Scoped.remove()
value("a new session after remove()", Scoped() is not first)
check("after remove", u1=u1, n1=n1)
Scoped.add(u1)
Scoped.delete(u1)
Scoped.commit()
Scoped.remove()
