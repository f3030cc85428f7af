"""scoped_session: one Session per thread (real threads) or per scopefunc token; __call__ with
arguments when a Session exists raises; configure() warns when a Session exists and reaches
only new ones; remove() closes (rolling back) and forgets; the proxied methods and attributes
act on the current Session; query_property() hands the class to query_cls."""

import threading

from harness import check, engine, expect_error, expect_warnings, members, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Query, declarative_base, scoped_session, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

Session = scoped_session(sessionmaker(bind=eng))
s = Session()
value("same Session in one thread", Session() is s)
value("registry has", Session.registry.has())
with expect_error("arguments while present"):
    Session(autoflush=False)
with expect_warnings("configure while present"):
    Session.configure(autoflush=False)
value("existing Session unchanged", s.autoflush)

ed = User(name="ed")
Session.add(ed)
members("Session.new proxied", Session.new)
value("in proxied", ed in Session)
Session.commit()
check("after proxied commit", ed=ed)
ed.name = "eddie"
members("Session.dirty proxied", Session.dirty)
value("is_modified proxied", Session.is_modified(ed))
Session.autoflush = False
value("autoflush set through the proxy", s.autoflush)
with Session.no_autoflush as ns:
    value("no_autoflush gives the Session", ns is s)
value("scalars proxied", Session.scalars(select(User.name)).all())

Session.remove()
check("after remove (rolled back, closed)", ed=ed)
value("registry has after remove", Session.registry.has())
s2 = Session()
value("new Session after remove", s2 is not s)
value("configure() reached the new Session", s2.autoflush)

other = {}


def in_thread():
    other["session"] = Session()
    other["same"] = Session() is other["session"]
    other["user"] = Session.get(User, 1)
    Session.remove()


t = threading.Thread(target=in_thread)
t.start()
t.join()
value("other thread has its own Session", other["session"] is not s2)
value("stable within the thread", other["same"])
value("other thread loaded ed", other["user"].name)
value("this thread still has s2", Session() is s2)


class CountingQuery(Query):
    made = []

    def __init__(self, entities, session=None):
        CountingQuery.made.append((entities, session is s2))
        super().__init__(entities, session=session)


User.query = Session.query_property()
User.counted = Session.query_property(CountingQuery)
value("query_property", [u.name for u in User.query.all()])
value("query_property filter", User.query.filter_by(name="nobody").first())
value("custom query_cls rows", [u.name for u in User.counted.all()])
value("custom query_cls given the class", [(e is User, same) for e, same in CountingQuery.made])
value("identity_key classmethod", Session.identity_key(User, 1)[1])
value("object_session classmethod", Session.object_session(other["user"]))
Session.remove()

token = ["a"]
Scoped = scoped_session(sessionmaker(bind=eng), scopefunc=lambda: token[0])
sa = Scoped()
token[0] = "b"
sb = Scoped()
value("different tokens, different Sessions", sa is sb)
token[0] = "a"
value("token a again", Scoped() is sa)
Scoped.remove()
value("token a removed", Scoped.registry.has())
token[0] = "b"
value("token b kept", Scoped() is sb)
Scoped.remove()
