"""How a flush batches: INSERTs with their keys given go as one executemany, without keys
one by one (or insertmanyvalues with RETURNING where Core offers it); UPDATEs grouped by the
set of changed columns, in primary key order; DELETEs in one executemany; a DELETE that
matches fewer rows than expected warns."""

import warnings

from harness import engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, delete, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Shelf(Base):
    __tablename__ = "shelves"
    id = Column(Integer, primary_key=True)
    books = relationship("Book", cascade="all, delete-orphan")


class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    shelf_id = Column(Integer, ForeignKey("shelves.id"))
    title = Column(String(20))
    author = Column(String(20))
    pages = Column(Integer)


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
s.add_all([Shelf(id=1, books=[Book(id=i, title="t%d" % i) for i in range(1, 6)]),
           Shelf(books=[Book(title="n%d" % i, pages=i) for i in range(3)])])
s.add_all([Book(title="loose", author="a"), Book(title="loose2", author="b")])
s.flush()
books = s.scalars(select(Book).order_by(Book.id)).all()
for b in books[:3]:
    b.title = b.title + "!"
for b in books[3:6]:
    b.author = "x"
books[6].title, books[6].pages = "both", 99
books[1].pages = 5
s.flush()
for b in books[2:8]:
    s.delete(b)
s.flush()
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Book.__table__).order_by(Book.id))])
b = s.get(Book, 1)
s.execute(delete(Book.__table__).where(Book.id == 1))
s.delete(b)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with expect_error("row already gone"):
        s.flush()
s.rollback()
s.close()
