"""merge() cascades: from the many-to-one side (the parent merged once, its collection not
walked back), a collection merged over a loaded one (members missing from the source are
removed: delete-orphan deletes them, a plain relationship nulls their key), a relationship
without the merge cascade is left alone, a graph with one object reached twice merges it once."""

from harness import check, engine, members, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user", cascade="all, delete-orphan")
    notes = relationship("Note", backref="user")
    tags = relationship("Tag", cascade="save-update")


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


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    label = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
s.add(User(name="ed", addresses=[Address(email="a1"), Address(email="a2")],
           notes=[Note(text="n1"), Note(text="n2")], tags=[Tag(label="t1")]))
s.commit()
s.close()

# from the child side: the transient address brings a detached user along
s1 = Session(eng)
ed = s1.get(User, 1)
value("loaded", (len(ed.addresses), len(ed.notes), len(ed.tags)))
s1.close()
a3 = Address(email="a3", user=ed)
s2 = Session(eng)
m3 = s2.merge(a3)
check("merged address", m3=m3, a3=a3, ed=ed)
value("its user merged", (m3.user.name, m3.user is ed))
members("new", s2.new)
members("dirty", s2.dirty)
s2.commit()
value("addresses", sorted(a.email for a in m3.user.addresses))
s2.close()

# the detached copy drops one address and one note, and has a new tag (no merge cascade)
s3 = Session(eng)
ed = s3.get(User, 1)
addrs = list(ed.addresses)
notes = list(ed.notes)
tags = list(ed.tags)
s3.close()
ed.addresses.remove(addrs[0])
ed.notes.remove(notes[0])
ed.tags.append(Tag(label="t2"))
ed.name = "eddie"
s4 = Session(eng)
m = s4.merge(ed)
value("merged", (m.name, sorted(a.email for a in m.addresses), sorted(n.text for n in m.notes),
                 sorted(t.label for t in m.tags)))
members("new", s4.new)
members("dirty", s4.dirty)
s4.commit()
value("notes table", sorted((n.text, n.user_id) for n in s4.query(Note)))
value("addresses table", sorted((a.email, a.user_id) for a in s4.query(Address)))
value("tags table", sorted((t.label, t.user_id) for t in s4.query(Tag)))

# one object reached twice in the graph is merged once
s5 = Session(eng)
u = User(id=7, name="seven")
shared = Address(id=70, email="shared")
u.addresses = [shared, Address(id=71, email="other")]
mu = s5.merge(u)
value("one copy of the shared address", sum(a.email == "shared" for a in mu.addresses))
s5.commit()
value("rows", sorted((a.id, a.email, a.user_id) for a in s5.query(Address)))
s5.close()
s4.close()
