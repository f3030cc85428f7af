"""version_id_col as a counter: INSERT sets version 1; each UPDATE is WHERE id AND version
and bumps it; a second session's change makes the first one's UPDATE and DELETE fail with
StaleDataError; several versioned DELETEs of one flush."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Doc(Base):
    __tablename__ = "docs"
    id = Column(Integer, primary_key=True)
    title = Column(String(50))
    version = Column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
d1, d2, d3 = Doc(title="a"), Doc(title="b"), Doc(title="c")
s.add_all([d1, d2, d3])
s.flush()
value("versions", [d.version for d in (d1, d2, d3)])
d1.title = "a2"
d2.title = "b2"
s.flush()
value("versions", [d.version for d in (d1, d2, d3)])
s.commit()
d1.title = "a3"
s.commit()
value("d1 version", d1.version)

# a second session changes d1 and d3 underneath (both loaded here first)
value("loaded", (d1.title, d3.title))
s2 = Session(eng)
other = s2.get(Doc, d1.id)
other.title = "theirs"
other3 = s2.get(Doc, d3.id)
other3.title = "theirs3"
s2.commit()
s2.close()

d1.title = "mine"
with expect_error("stale update"):
    s.flush()
s.rollback()
check("after stale update", d1=d1)
value("d1 reloaded", (d1.title, d1.version))

s.delete(d3)
with expect_error("expired, so reloaded: no conflict"):
    s.flush()
s.rollback()
value("d3", d3.title)
s3 = Session(eng)
s3.get(Doc, d3.id).title = "again"
s3.commit()
s.delete(d3)
with expect_error("stale delete"):
    s.flush()
s.rollback()

# versioned deletes of several rows
s.delete(d1)
s.delete(d2)
s.flush()
check("deleted", d1=d1, d2=d2)
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Doc.__table__))])
s.close()
