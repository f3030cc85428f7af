"""UPDATE contains only the changed columns; setting an attribute to its current value leaves
the object in session.dirty but emits no UPDATE; two dirty objects, two UPDATEs in PK order."""

from harness import check, engine, members, track, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    fullname = Column(String(100))
    age = Column(Integer)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)
u1 = User(name="ed", fullname="Ed Jones", age=30)
u2 = User(name="wendy", fullname="Wendy W", age=40)
s.add_all([u1, u2])
track(u1=u1, u2=u2)
s.commit()
u2.fullname = "Wendy Williams"
u1.age = 31
u1.name = "ed"  # same value
members("dirty", s.dirty)
s.flush()
members("dirty after flush", s.dirty)
u1.name = "ed"
members("dirty after same-value set", s.dirty)
s.flush()
s.commit()
check("end", u1=u1, u2=u2)
s.close()
