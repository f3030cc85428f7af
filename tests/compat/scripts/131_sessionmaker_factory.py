"""sessionmaker: configure() reaches later Sessions, __call__ arguments override the factory's,
info is merged (call) or replaced (configure), class_= makes instances of that Session class,
begin() commits the block or rolls it back on an exception and closes; create_session() (the
0.6 factory, kept by SQLAlchemy 2.1) has autoflush and expire_on_commit off."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, create_session, declarative_base, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class MySession(Session):
    pass


eng = engine()
Base.metadata.create_all(eng)

maker = sessionmaker(eng, class_=MySession, info={"a": 1}, autoflush=False)
s = maker()
value("class_", isinstance(s, MySession))
value("autoflush from the factory", s.autoflush)
value("info copied", (s.info, s.info is maker.kw["info"]))
value("info merged with the call's", maker(info={"b": 2}).info)
s2 = maker(autoflush=True, expire_on_commit=False)
value("call overrides", (s2.autoflush, s2.expire_on_commit))
maker.configure(expire_on_commit=False, info={"c": 3})
s3 = maker()
value("configure reaches new Sessions", (s3.expire_on_commit, s3.info))
value("but not made ones", s.expire_on_commit)

with maker.begin() as s4:
    ed = User(name="ed")
    s4.add(ed)
check("after begin() block", ed=ed)
value("begin() block closed the Session", s4.in_transaction())
with expect_error("exception inside begin()"):
    with maker.begin() as s5:
        wendy = User(name="wendy")
        s5.add(wendy)
        s5.flush()
        raise ValueError("boom")
check("rolled back", wendy=wendy)
with Session(eng) as check_s:
    value("rows", check_s.scalars(select(User.name).order_by(User.id)).all())

cs = create_session(eng)
value("create_session defaults", (type(cs) is Session, cs.autoflush, cs.expire_on_commit))
jack = User(name="jack")
cs.add(jack)
value("no autoflush before a query", cs.scalars(select(User.name).order_by(User.id)).all())
cs.commit()
check("committed", jack=jack)
value("not expired by commit", "name" in jack.__dict__)
cs.close()
cs2 = create_session(bind=eng, autoflush=True)
value("create_session arguments", cs2.autoflush)
cs2.close()
