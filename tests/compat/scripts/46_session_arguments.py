"""Session / sessionmaker arguments of older SQLAlchemy versions are not silently ignored:
future=False is an ArgumentError, weak_identity_map= and unknown names are
TypeErrors (also through sessionmaker, at the
latest when it makes a Session), unknown keywords of get/query/execute/scalars/merge/refresh/
connection are TypeErrors; 2.x arguments given with the value that means the default work.
(autocommit=True, 0.4's transactional= and the 0.4-0.8 extension= are refused by SQLAlchemy
2.x but accepted here, warned, as the seeds' legacy forms: tests/orm/test_legacy_transactions.py
and the SessionExtension tests.)"""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

with expect_error("future=False"):
    Session(eng, future=False)
with expect_error("weak_identity_map"):
    Session(eng, weak_identity_map=False)
with expect_error("unknown"):
    Session(eng, no_such_argument=1)
with expect_error("join_transaction_mode bogus"):
    Session(eng, join_transaction_mode="bogus")
with expect_error("sessionmaker unknown"):
    Maker = sessionmaker(bind=eng, no_such_argument=1)
    Maker()

s = Session(eng, autocommit=False, future=True, twophase=False, binds={},
            enable_baked_queries=True)
u = User(name="ed")
s.add(u)
s.commit()
check("defaults work", u=u)
with expect_error("get"):
    s.get(User, 1, no_such=1)
with expect_error("query"):
    s.query(User, no_such=1)
with expect_error("execute"):
    s.execute(select(User), no_such=1)
with expect_error("scalars"):
    s.scalars(select(User), no_such=1)
with expect_error("merge"):
    s.merge(u, no_such=1)
with expect_error("refresh"):
    s.refresh(u, no_such=1)
with expect_error("connection"):
    s.connection(no_such=1)
value("get with defaults", s.get(User, 1, populate_existing=False, options=None) is u)
value("merge load=True", s.merge(u, load=True) is u)
s.close()
s2 = sessionmaker(eng, autoflush=False, expire_on_commit=False)()
value("sessionmaker options", (s2.autoflush, s2.expire_on_commit))
s2.close()
