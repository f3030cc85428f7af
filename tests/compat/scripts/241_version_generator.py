"""version_id_generator: a custom function (string versions from a counter), and False with
the application setting the version itself; conflicts on both raise StaleDataError."""

import itertools

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()
_counter = itertools.count(1)


def next_version(current):
    return "v%d-%s" % (next(_counter), current)


class Page(Base):
    __tablename__ = "pages"
    id = Column(Integer, primary_key=True)
    body = Column(String(50))
    rev = Column(String(80), nullable=False)
    __mapper_args__ = {"version_id_col": rev, "version_id_generator": next_version}


class Manual(Base):
    __tablename__ = "manual"
    id = Column(Integer, primary_key=True)
    body = Column(String(50))
    ver = Column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": ver, "version_id_generator": False}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
p = Page(id=1, body="x")
m = Manual(id=1, body="x", ver=10)
s.add_all([p, m, Page(id=2, body="y")])
s.commit()
value("versions", (p.rev, m.ver))
p.body = "x2"
m.body = "x2"
m.ver = 11
s.flush()
value("versions", (p.rev, m.ver))
m.body = "x3"  # version not changed by hand: UPDATE with the same version
s.flush()
value("versions", (p.rev, m.ver))
s.commit()

value("loaded", (p.body, m.body))
s2 = Session(eng)
s2.get(Page, 1).body = "theirs"
s2.get(Manual, 1).ver = 50
s2.commit()
s2.close()

m.body = "mine"
m.ver = 12
with expect_error("stale manual"):
    s.flush()
s.rollback()
value("manual", (m.body, m.ver))
p.body = "mine"
with expect_error("stale page (expired by the rollback: reloaded, no conflict)"):
    s.flush()
s.rollback()
value("page", (p.body, p.rev))
m.ver = 51  # set on an expired object: the old version is loaded first
s.flush()
s.delete(p)
s.delete(s.get(Page, 2))
s.flush()
check("deleted", p=p)
m2 = Manual(id=2, body="no version")
s.add(m2)
with expect_error("no version value"):
    s.flush()
s.rollback()
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Manual.__table__))])
s.close()
