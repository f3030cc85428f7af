"""Moving a child between parents through the backref: it leaves the old parent's loaded
collection; with delete-orphan a pending orphan is expunged, a persistent one deleted."""

from harness import check, engine, expect_error, members, names, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user")
    notes = relationship("Note", backref="user", cascade="all, delete-orphan")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    text = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u1, u2 = User(name="u1"), User(name="u2")
a = Address(email="a")
n = Note(text="n")
u1.addresses.append(a)
u1.notes.append(n)
s.add_all([u1, u2])
s.commit()
value("u1.addresses", names(u1.addresses))
value("u1.notes", names(u1.notes))
value("u2.addresses", names(u2.addresses))
a.user = u2
n.user = u2
value("u1.addresses after move", names(u1.addresses))
value("u2.addresses after move", names(u2.addresses))
value("u1.notes after move", names(u1.notes))
s.commit()
value("u1.addresses after commit", names(u1.addresses))
value("u2.notes after commit", names(u2.notes))

pn = Note(text="pending")
u1.notes.append(pn)
check("pending note", pn=pn)
u1.notes.remove(pn)
check("pending orphan", pn=pn)
s.flush()
check("after flush", pn=pn)
n.user = None
check("persistent orphan", n=n)
s.commit()
check("after commit", n=n)
value("notes", s.scalars(select(Note.text)).all())

# moving through the new parent's collection: it leaves the old one too
q = Note(text="q")
u2.notes.append(q)
s.commit()
value("u2.notes before", names(u2.notes))
value("u1.notes before", names(u1.notes))
u1.notes.append(q)
value("u2.notes after append to u1", names(u2.notes))
value("u1.notes after append to u1", names(u1.notes))
# a pending child moved between two pending parents: SQLAlchemy treats it as an orphan
p1, p2 = User(name="p1"), User(name="p2")
m = Note(text="m")
p1.notes.append(m)
s.add_all([p1, p2])
p2.notes.append(m)
check("moved pending note", m=m)
s.commit()
value("notes", s.scalars(select(Note.text)).all())
s.close()
