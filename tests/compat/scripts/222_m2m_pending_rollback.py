"""Many-to-many and the session's bookkeeping: a backref append to a persistent object's
unloaded collection is kept pending and merged when it loads; a savepoint rolled back
restores the rows; rollback expires both collections; an end expunged from the session
and appended comes back through the save-update cascade; both ends deleted in one flush
delete each row once."""

from harness import check, engine, expect_error, names, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

links = Table(
    "links", Base.metadata,
    Column("author_id", ForeignKey("author.id"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id"), primary_key=True),
)


class Author(Base):
    __tablename__ = "author"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    topics = relationship("Topic", secondary=links, back_populates="authors")


class Topic(Base):
    __tablename__ = "topic"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    authors = relationship("Author", secondary=links, back_populates="topics")


def rows(s):
    return [tuple(r) for r in s.execute(select(links).order_by(links.c.author_id,
                                                               links.c.topic_id))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)
a1, a2 = Author(name="a1"), Author(name="a2")
t1, t2, t3 = Topic(name="t1"), Topic(name="t2"), Topic(name="t3")
track(a1=a1, a2=a2, t1=t1, t2=t2, t3=t3)
s.add_all([a1, a2, t1, t2, t3])
s.commit()

s.expire(t1, ["authors"])
a1.topics.append(t1)  # t1.authors is not loaded: the backref append waits
check("t1 modified", t1=t1)
value("dirty", len(s.dirty))
value("t1.authors (loads, then merges the pending append)", names(t1.authors))
s.commit()
value("rows", rows(s))

sp = s.begin_nested()
a2.topics.append(t2)
s.flush()
value("rows in the savepoint", rows(s))
sp.rollback()
value("rows after the savepoint rollback", rows(s))
value("a2.topics after the savepoint rollback", names(a2.topics))

a1.topics.append(t2)
s.flush()
s.rollback()
value("rows after rollback", rows(s))
value("a1.topics reloaded", names(a1.topics))
value("t2.authors reloaded", names(t2.authors))

s.expunge(t3)
a2.topics.append(t3)
with expect_error("flush with an end that was expunged"):
    s.flush()
value("rows", rows(s))
s.rollback()

a1.topics.append(t2)
s.commit()
s.delete(a1)
s.delete(t2)
s.commit()
check("both ends deleted", a1=a1, t2=t2)
value("rows at the end", rows(s))
s.close()
