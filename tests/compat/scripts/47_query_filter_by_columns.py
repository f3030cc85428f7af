"""Query.filter_by() on column queries is not silently dropped: session.query(User.name),
query(func.count(User.id)) and query(users.c.name) look the keys up in User / the table;
after join(Address) the keys belong to Address; an unknown key is an error."""

from harness import engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, func
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(ForeignKey("users.id"))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
s.add_all([User(name="ed", addresses=[Address(email="ed@x")]), User(name="wendy")])
s.commit()
value("query(User.name)", s.query(User.name).filter_by(name="ed").all())
value("query(count)", s.query(func.count(User.id)).filter_by(name="ed").all())
value("query(table column)", s.query(User.__table__.c.name).filter_by(name="wendy").all())
value("after join", [u.name for u in s.query(User).join(Address, Address.user_id == User.id)
                     .filter_by(email="ed@x")])
with expect_error("unknown key"):
    s.query(User.name).filter_by(nope=1).all()
s.close()
