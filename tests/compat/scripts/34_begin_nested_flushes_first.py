"""begin_nested() flushes pending changes before the SAVEPOINT; releasing it does not commit;
closing without commit loses the rows."""

from harness import check, engine, expect_error, members, names, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u1 = User(name="u1")
s.add(u1)
nested = s.begin_nested()
check("after begin_nested", u1=u1)
u2 = User(name="u2")
s.add(u2)
nested.commit()
check("after release", u1=u1, u2=u2)
s.close()  # never committed: nothing is stored

s = Session(eng)
u3 = User(name="u3")
s.add(u3)
nested = s.begin_nested()
u4 = User(name="u4")
s.add(u4)
nested.rollback()
check("after rollback of nested", u3=u3, u4=u4)
s.commit()
value("users", s.scalars(select(User.name).order_by(User.name)).all())
s.close()
