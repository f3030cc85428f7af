"""An error while a flush is being planned (here: the SELECT that loads a deleted user's
unloaded collection fails) fails the flush like an error in its INSERT/UPDATE/DELETE: the
transaction is rolled back, the next use raises PendingRollbackError, rollback() recovers."""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, ForeignKey, Integer, String, event, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    addresses = relationship("Address", back_populates="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String(50))
    user = relationship("User", back_populates="addresses")


eng = engine()
Base.metadata.create_all(eng)
broken = {"on": False}


@event.listens_for(eng, "before_cursor_execute")
def fail_address_selects(conn, cursor, statement, parameters, context, executemany):
    if broken["on"] and statement.startswith("SELECT") and "FROM addresses" in statement:
        raise RuntimeError("the addresses SELECT failed")


with Session(eng) as s:
    s.add(User(id=1, name="ann", addresses=[Address(id=5, email="a@x")]))
    s.add(User(id=2, name="bob"))
    s.commit()

s = Session(eng)
ann, bob = s.get(User, 1), s.get(User, 2)
bob.name = "robert"
newcomer = User(id=3, name="cy")
s.add(newcomer)
s.delete(ann)  # its addresses are not loaded: the flush plan has to load them
broken["on"] = True
with expect_error("flush"):
    s.flush()
broken["on"] = False
value("is_active", s.is_active)
check("after failed planning", ann=ann, bob=bob, newcomer=newcomer)
with expect_error("query after the failed flush"):
    s.scalars(select(User)).all()
with expect_error("flush again"):
    s.flush()
s.rollback()
check("after rollback", ann=ann, bob=bob, newcomer=newcomer)
members("deleted", s.deleted)
value("bob.name", bob.name)
s.delete(ann)
s.commit()
value("users", [u.name for u in s.scalars(select(User).order_by(User.id))])
s.close()
