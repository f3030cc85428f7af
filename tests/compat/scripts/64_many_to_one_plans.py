"""Many-to-one flush plans: set to None or reassigned on an object whose attributes were
expired (the old target is unknown), for a self-referential class (ordered object by object)
and for two classes; a row deleted together with the row it references; a delete and an
insert of a self-referential class (saves first); a many-to-one with cascade delete, and
one with delete-orphan."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50))
    parent = relationship("Node", remote_side=[id])


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Player(Base):
    __tablename__ = "players"
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id"))
    team = relationship(Team)
    badge_id = Column(Integer, ForeignKey("badges.id"))
    badge = relationship("Badge", cascade="all")
    pass_id = Column(Integer, ForeignKey("passes.id"))
    pass_ = relationship("Pass", cascade="all, delete-orphan", single_parent=True)


class Badge(Base):
    __tablename__ = "badges"
    id = Column(Integer, primary_key=True)


class Pass(Base):
    __tablename__ = "passes"
    id = Column(Integer, primary_key=True)


eng = engine()
Base.metadata.create_all(eng)

with Session(eng) as s:
    # (one class per flush: with a self-referential class in a flush, SQLAlchemy runs
    # independent steps in set order)
    s.add(Node(id=1, name="top"))
    s.flush()
    s.add_all([Node(id=2, name="mid", parent_id=1), Node(id=3, name="low", parent_id=2)])
    s.flush()
    s.add_all([Team(id=1, name="red"), Team(id=2, name="blue")])
    s.add_all([Player(id=1, team_id=1, badge=Badge(id=7), pass_=Pass(id=1)),
               Player(id=2, team_id=1, pass_=Pass(id=2))])
    s.commit()


def rows(s, cls):
    return [tuple(r) for r in s.execute(select(cls.__table__).order_by(cls.__table__.c.id))]


s = Session(eng)
mid, low, top = s.get(Node, 2), s.get(Node, 3), s.get(Node, 1)
s.expire(mid)
s.expire(low)
mid.parent = None  # the old parent was never loaded
low.parent = top
s.flush()
value("nodes", rows(s, Node))
s.rollback()

p1, p2 = s.get(Player, 1), s.get(Player, 2)
s.expire(p1)
s.expire(p2)
p1.team = None
p2.team = s.get(Team, 2)
s.flush()
value("players", rows(s, Player))
s.rollback()

# the referring row and its target deleted in one flush, targets with lower ids
for n in [s.get(Node, 1), s.get(Node, 2), s.get(Node, 3)]:
    s.delete(n)
s.flush()
value("nodes after deleting all", rows(s, Node))
s.rollback()

# a delete and an insert of the self-referential class in one flush: the insert first
s.delete(s.get(Node, 3))
s.add(Node(id=4, name="new", parent_id=2))
s.flush()
value("nodes after delete + insert", rows(s, Node))
s.rollback()

# cascade delete along a many-to-one: the player row goes before its badge
p1 = s.get(Player, 1)
s.delete(p1)
s.flush()
check("deleted player", p1=p1)
value("badges", rows(s, Badge))
s.rollback()

# the players re-pointed before their old team goes; a team still referenced cannot go
p1, p2, red, blue = s.get(Player, 1), s.get(Player, 2), s.get(Team, 1), s.get(Team, 2)
value("passes held", [p1.pass_.id, p2.pass_.id])  # (a flush would load them in set order)
p1.team = blue
p2.team = blue
s.delete(red)
s.flush()
value("teams after re-pointing", rows(s, Team))
s.delete(blue)
try:
    s.flush()
except Exception as e:  # noqa: BLE001
    value("deleting a referenced team", type(e).__name__)
s.rollback()

# a many-to-one with delete-orphan (single_parent): replacing or removing the target
# deletes the old one
p1, p2 = s.get(Player, 1), s.get(Player, 2)
p1.pass_ = Pass(id=3)
p2.pass_ = None
s.flush()
value("passes", rows(s, Pass))
s.rollback()
s.close()
