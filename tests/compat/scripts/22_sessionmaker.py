"""sessionmaker(bind=engine): Session() instances share the configuration; sessionmaker.begin()
as a context manager commits; two sessions see committed data through separate identity maps."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import declarative_base, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

Session = sessionmaker(bind=eng)
with Session.begin() as s:
    ed = User(name="ed")
    s.add(ed)
check("after Session.begin() block", ed=ed)

s1, s2 = Session(), Session()
u1 = s1.get(User, 1)
u2 = s2.get(User, 1)
value("different sessions, different objects", u1 is u2)
u1.name = "eddie"
s1.commit()
value("s2 still sees its loaded value", u2.name)
s2.expire(u2)
value("s2 after expire", u2.name)
s1.close()
s2.close()
