"""Two rows exchange composite natural primary keys in one flush (test_naturalpks' reverse
primary keys): the UPDATEs go in primary key order so that each finds its new key free,
the identity map follows both objects, a get() by each new key returns the right object;
inside a SAVEPOINT rolled back with the transaction, the objects keep the keys they were
given (expired, their rows no longer found)."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()
PUBLISHED, EDITABLE, ARCHIVED = 1, 2, 3


class Doc(Base):
    __tablename__ = "docs"
    code = Column(Integer, primary_key=True, autoincrement=False)
    status = Column(Integer, primary_key=True, autoincrement=False)
    title = Column(String(50), nullable=False)


def rows():
    return sorted(tuple(r) for r in s.execute(select(Doc.code, Doc.status, Doc.title)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
published = Doc(code=1, status=PUBLISHED, title="published")
s.add(published)
s.commit()
editable = Doc(code=1, status=EDITABLE, title="editable")
s.add(editable)
s.commit()

published.status = ARCHIVED
editable.status = PUBLISHED
s.commit()
check("reversed", published=published, editable=editable)
value("gets", [s.get(Doc, (1, PUBLISHED)) is editable, s.get(Doc, (1, ARCHIVED)) is published])
value("rows", rows())

published.status = PUBLISHED
editable.status = EDITABLE
s.commit()
value("back", [s.get(Doc, (1, PUBLISHED)) is published, s.get(Doc, (1, EDITABLE)) is editable])

sp = s.begin_nested()
published.status = ARCHIVED
editable.status = PUBLISHED
sp.commit()
check("in savepoint", published=published, editable=editable)
s.rollback()
check("rolled back", published=published, editable=editable)
with expect_error("reload after rollback"):  # the keys they hold now match no row
    value("after rollback", [published.status, editable.status])
value("end", rows())
s.close()
