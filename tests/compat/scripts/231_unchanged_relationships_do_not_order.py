"""Only relationships with something to do in a flush order it (SQLAlchemy's
prop_has_changes): renaming nodes of a self-referential tree whose collections are not
loaded is one UPDATE executemany, not a per-object plan; INSERTs of classes whose
relationships are untouched come in class order."""

from harness import engine, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "node"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(ForeignKey("node.id"))
    children = relationship("Node", back_populates="parent")
    parent = relationship("Node", back_populates="children", remote_side=[id])


class Author(Base):
    __tablename__ = "author"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    books = relationship("Book", back_populates="author")


class Book(Base):
    __tablename__ = "book"
    id = Column(Integer, primary_key=True)
    title = Column(String(20))
    author_id = Column(ForeignKey("author.id"))
    author = relationship("Author", back_populates="books")


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
root = Node(name="root", children=[Node(name="a"), Node(name="b")])
s.add(root)
s.commit()

s2 = Session(eng)
nodes = s2.query(Node).order_by(Node.id).all()
for n in nodes:
    n.name = n.name.upper()
s2.commit()
value("names", [n.name for n in s2.query(Node).order_by(Node.id)])

# a book and an author, not related to each other: INSERTs in class order
s2.add(Book(title="b"))
s2.add(Author(name="a"))
s2.commit()
s2.close()
