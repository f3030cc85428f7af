"""rollback() after a flush: pending-then-flushed objects become transient (key removed),
persistent objects are expired and reload old values, deleted objects come back persistent."""

from harness import check, engine, members, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
keep, gone = User(name="keep"), User(name="gone")
s.add_all([keep, gone])
s.commit()
new = User(name="new")
s.add(new)
keep.name = "changed"
s.delete(gone)
s.flush()
check("after flush", keep=keep, gone=gone, new=new)
s.rollback()
check("after rollback", keep=keep, gone=gone, new=new)
members("identity map", s.identity_map.values())
value("keep.name", keep.name)
value("gone.name", gone.name)
value("new.id", new.id)
members("new", s.new)
s.close()
