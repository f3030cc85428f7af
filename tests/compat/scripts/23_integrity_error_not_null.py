"""IntegrityError during flush (NOT NULL): the flush fails, the next operation raises
PendingRollbackError, rollback() makes the session usable again; then commit good data."""

from harness import check, engine, expect_error, members, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
ok = User(name="ok")
s.add(ok)
s.commit()
bad = User()
s.add(bad)
with expect_error("flush"):
    s.flush()
check("after failed flush", bad=bad, ok=ok)
with expect_error("query after failed flush"):
    s.query(User).all()
with expect_error("commit after failed flush"):
    s.commit()
s.rollback()
check("after rollback", bad=bad, ok=ok)
members("new", s.new)
bad.name = "fixed"
s.add(bad)
s.commit()
value("ids", [ok.id, bad.id])
s.close()
