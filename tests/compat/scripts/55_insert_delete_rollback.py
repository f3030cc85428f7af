"""An object inserted and deleted inside one transaction (flush, delete, flush, or an ORM
DELETE matching it) becomes transient again on rollback; a committed object deleted in the
same transaction comes back as persistent."""

from harness import check, engine
from sqlalchemy import Column, Integer, String, delete
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
old = User(name="old")
s.add(old)
s.commit()
new = User(name="new")
s.add(new)
s.flush()
s.delete(new)
s.delete(old)
s.flush()
check("deleted", new=new, old=old)
s.rollback()
check("after rollback", new=new, old=old)
other = User(name="other")
s.add(other)
s.execute(delete(User))
check("ORM delete of all", other=other, old=old)
s.rollback()
check("after second rollback", other=other, old=old)
s.close()
