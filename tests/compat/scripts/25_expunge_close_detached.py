"""expunge() and close() make objects detached; loaded attributes stay readable, an expired
attribute or an unloaded lazy relationship raises DetachedInstanceError; add() re-attaches."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String
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
ed, wendy = User(name="ed", addresses=[Address(email="e")]), User(name="wendy")
s.add_all([ed, wendy])
s.commit()
value("wendy.name", wendy.name)
s.expunge(wendy)
check("after expunge", wendy=wendy, ed=ed)
value("wendy.name detached", wendy.name)
with expect_error("lazy load on detached"):
    wendy.addresses  # noqa: B018
s.close()
check("after close", ed=ed)
with expect_error("expired attribute on detached"):
    ed.name  # noqa: B018
s2 = Session(eng)
s2.add(ed)
check("re-attached", ed=ed)
value("ed.name", ed.name)
s2.close()
