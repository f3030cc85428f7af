"""prepare() needs twophase=True and the root transaction ('twophase' mode not enabled ...);
a twophase Session with nothing to write prepares and commits; SQLite has no two-phase
commit, so a twophase Session fails as soon as it needs a connection (the dialect's
NotImplementedError; on PostgreSQL the commit succeeds).  get(with_for_update=...) always
SELECTs, even when the object is in the identity map (SQLite renders no FOR UPDATE), and
does not overwrite loaded values; refresh(with_for_update={}) is an ArgumentError;
select().with_for_update() runs."""

from harness import check, engine, expect_error, value
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
with expect_error("prepare without twophase"):
    s.prepare()
value("in transaction after refused prepare", s.in_transaction())
s.rollback()
with s.begin():
    with expect_error("transaction prepare without twophase"):
        s.get_transaction().prepare()
s.close()

s = Session(eng, twophase=True)
with expect_error("empty prepare"):
    s.prepare()
with expect_error("flush after prepare"):
    s.add(User(id=9, name="late"))
    s.flush()
s.expunge_all()
with expect_error("commit after prepare"):
    s.commit()
s.add(User(id=3, name="two-phase"))
with expect_error("twophase commit (on SQLite: NotImplementedError)"):
    s.commit()
value("in transaction", s.in_transaction())
s.rollback()
s.close()

with Session(eng) as s:
    s.add_all([User(id=1, name="ann"), User(id=2, name="bob")])
    s.commit()

s = Session(eng)
u1 = s.get(User, 1)
u1.name = "changed"
check("u1", u1=u1)
value("get for update, same object", s.get(User, 1, with_for_update=True) is u1)
value("name kept", u1.name)
value("get read lock", s.get(User, 2, with_for_update={"read": True}).name)
value("get blank dict", s.get(User, 2, with_for_update={}).name)
with expect_error("refresh blank dict"):
    s.refresh(u1, with_for_update={})
s.refresh(u1, with_for_update=True)
value("refreshed", u1.name)
value("select for update", [u.name for u in s.scalars(
    select(User).where(User.id == 2).with_for_update(nowait=True))])
s.commit()
s.close()
