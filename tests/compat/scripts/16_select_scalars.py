"""2.x style: session.execute(select(Model)).scalars().all(), session.scalars(select(...)),
where/order_by, scalar(); rows map to the identity-map objects already in the session."""

from harness import engine, names, track, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
ed, wendy = User(name="ed"), User(name="wendy")
s.add_all([ed, wendy])
s.commit()
track(ed=ed, wendy=wendy)
value("execute scalars all", names(s.execute(select(User).order_by(User.id)).scalars().all()))
value("scalars where", names(s.scalars(select(User).where(User.name == "wendy"))))
value("scalars order desc", names(s.scalars(select(User).order_by(User.name.desc())).all()))
value("scalar", s.scalar(select(User).where(User.id == 1)) is ed)
rows = s.execute(select(User.id, User.name).order_by(User.id)).all()
value("column rows", [tuple(r) for r in rows])
s.close()
