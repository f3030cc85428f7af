"""Session.get and a many-to-one lazy load that hit an *expired* object in the identity map:
SQLAlchemy refreshes it (SELECT by primary key) before returning it; a deleted row found this
way makes get() return None (SQLAlchemy 2.x tries the refresh, then a plain load)."""

from harness import engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, delete
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    user = relationship(User)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u, w = User(name="ed"), User(name="wendy")
a = Address(user=u)
s.add_all([a, w])
s.commit()
value("get expired is same object", s.get(User, 2) is w)
value("a.user_id", a.user_id)
value("a.user is u", a.user is u)
s.commit()
s.execute(delete(User).where(User.id == 2))
value("get of expired, deleted row", s.get(User, 2))
s.rollback()
s.close()
