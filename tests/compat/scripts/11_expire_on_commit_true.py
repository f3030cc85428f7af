"""Default expire_on_commit=True: after commit every attribute is expired and the first access
emits one SELECT by primary key; later accesses emit nothing."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    fullname = Column(String(100))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u1, u2 = User(name="ed", fullname="Ed"), User(name="wendy", fullname="Wendy")
s.add_all([u1, u2])
s.commit()
check("after commit", u1=u1, u2=u2)
value("u2.fullname (reload)", u2.fullname)
value("u2.name (no SQL)", u2.name)
value("u1.id (reload)", u1.id)
s.commit()
value("u1.name after second commit", u1.name)
s.close()
