"""get_bind() resolves as SQLAlchemy 2.x: an explicit bind; the Session's one bind when there
are no binds; a mapped class, then its __mro__ (a declarative base bound for all its
classes); the first ORM entity of a statement; a Table of the statement; the Session's bind
as fallback; else UnboundExecutionError naming the mapper and/or 'SQL expression'.
bind_mapper() / bind_table() add entries; bad bind keys are ArgumentErrors; an unmapped
class as mapper is UnmappedClassError.  Statements route by the same rules."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, Table, func, select, text
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()
Other = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)


class Log(Other):
    __tablename__ = "logs"
    id = Column(Integer, primary_key=True)
    msg = Column(String(50))


e1, e2, e3 = engine(), engine(), engine()
for eng in (e1, e2, e3):
    Base.metadata.create_all(eng)
    Other.metadata.create_all(eng)
names = {e1: "e1", e2: "e2", e3: "e3"}


def which(label, **kw):
    with expect_error(label):
        value(label, names.get(s.get_bind(**kw), "?"))


s = Session()
which("unbound, nothing")
which("unbound, mapper", mapper=User)
which("unbound, clause", clause=select(User))
which("unbound, mapper and clause", mapper=User, clause=text("SELECT 1"))
which("explicit bind", bind=e3)
which("unmapped class", mapper=int)
with expect_error("execute unbound"):
    s.execute(text("SELECT 1"))
with expect_error("connection unbound"):
    s.connection()
with expect_error("flush unbound"):
    s.add(User(id=1, name="x"))
    s.flush()
s.rollback()
s.close()

s = Session(e1)
which("one bind, mapper", mapper=User)
which("one bind, nothing")

s = Session(binds={Base: e2, Log.__table__: e3})
which("base class", mapper=User)
which("base class, Tag", mapper=Tag)
which("table key via mapper", mapper=Log)
which("clause: entity select", clause=select(User.name))
which("clause: table select", clause=select(Log.__table__))
which("clause: plain table of a class bound by base", clause=User.__table__.select())
which("clause: text", clause=text("SELECT 1"))
which("nothing")
s.bind_mapper(Tag, e1)
which("after bind_mapper", mapper=Tag)
which("after bind_mapper, Tag table", clause=select(Tag.__table__))
s.bind_table(User.__table__, e3)
which("bind_table does not beat the base class", mapper=User)
which("bind_table, clause", clause=User.__table__.select())
with expect_error("bad key: a number"):
    s.bind_mapper(5, e1)
with expect_error("bad key: a string"):
    Session(binds={"users": e1})
# (a Column as key: SQLAlchemy 2.1 fails with an AttributeError, ours an ArgumentError)
value("keys", sorted(k.__name__ if isinstance(k, type) else "table " + k.name
                     for k in s.binds))

s = Session(e1, binds={Log: e3})
which("fallback bind, mapper", mapper=User)
which("fallback bind, text", clause=text("SELECT 1"))
which("bound class", mapper=Log)

# statements go where get_bind() sends them
s = Session(binds={User: e1, Tag: e2, Log: e3})
s.add_all([User(id=1, name="u"), Tag(id=1), Tag(id=2), Log(id=1, msg="m")])
s.commit()
value("users on e1", s.scalar(select(func.count()).select_from(User)))
value("tags on e2", s.scalar(select(func.count(Tag.id))))
value("logs on e3", s.scalars(select(Log.msg)).all())
value("text with mapper", s.execute(text("SELECT count(*) FROM tags"),
                                    bind_arguments={"mapper": Tag}).scalar())
value("text with clause-less bind", s.scalar(text("SELECT count(*) FROM logs"),
                                             bind_arguments={"bind": e3}))
value("connection(mapper)", names[s.connection(bind_arguments={"mapper": Log}).engine])
value("get", s.get(Tag, 2).id)
value("query", [t.id for t in s.query(Tag).order_by(Tag.id)])
value("query count", s.query(User).count())
s.close()
