"""More string forms of relationship() arguments: a primaryjoin string using foreign() and
remote() annotations, primaryjoin/secondaryjoin strings of a self-referential many-to-many
naming the secondary table's columns (friendships.c.left_id), foreign_keys given as a list
of strings, remote_side as a string with a backref, order_by "[Cls.a, Cls.b.desc()]", and
arguments given as lambdas."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()

friendships = Table(
    "friendships", Base.metadata,
    Column("left_id", ForeignKey("users.id"), primary_key=True),
    Column("right_id", ForeignKey("users.id"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    rank = Column(Integer)
    friends = relationship(
        "User", secondary="friendships",
        primaryjoin="User.id == friendships.c.left_id",
        secondaryjoin="User.id == friendships.c.right_id",
        order_by="[User.rank, User.name.desc()]")
    notes = relationship("Note", primaryjoin="User.id == foreign(Note.author_key)",
                         order_by=lambda: Note.id, back_populates="author")
    manager_id = Column(Integer, ForeignKey("users.id"))
    reports = relationship("User", foreign_keys="[User.manager_id]",
                           backref=backref("manager", remote_side="User.id"),
                           order_by="User.id")


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    author_key = Column(Integer)  # no ForeignKey: foreign() in the join says which side
    text = Column(String(30))
    author = relationship("User", primaryjoin=lambda: remote(User.id) == foreign(Note.author_key),
                          back_populates="notes")
    pin_id = Column(Integer, ForeignKey("users.id"))
    pinned_by = relationship(lambda: User, foreign_keys=[pin_id])


from sqlalchemy.orm import foreign, remote  # noqa: E402  (used by the lambda above)

eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
a = User(id=1, name="a", rank=2)
b = User(id=2, name="b", rank=1, manager=a)
c = User(id=3, name="c", rank=1, manager=a)
a.friends = [b, c]
n1 = Note(id=1, text="hi", author=a, pinned_by=b)
n2 = Note(id=2, text="yo")
a.notes.append(n2)
s.add_all([a, n1])
s.commit()
b.friends.append(a)  # (one object's association rows per flush: SQLAlchemy's set order)
s.commit()
check("saved", a=a, b=b, c=c, n1=n1, n2=n2)
s.close()

s = Session(eng)
a = s.get(User, 1)
value("friends", [u.name for u in a.friends])
value("reports", [u.name for u in a.reports])
value("notes", [n.text for n in a.notes])
n1 = s.get(Note, 1)
value("note links", [n1.author.name, n1.pinned_by.name])
b = s.get(User, 2)
value("manager", b.manager.name)
b.manager = None
n1.author = b
a.friends.remove(b)
s.commit()
value("rows", sorted(tuple(r) for r in s.execute(select(friendships))))
value("users", sorted(tuple(r) for r in s.execute(select(User.id, User.manager_id))))
value("notes", sorted(tuple(r) for r in s.execute(select(Note.id, Note.author_key))))
s.close()
