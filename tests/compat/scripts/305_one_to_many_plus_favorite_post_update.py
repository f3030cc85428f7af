"""A person with a one-to-many of balls and a many-to-one "favorite" ball that is also in
that collection (test_cycles' one-to-many / many-to-one shape): post_update on the
many-to-one, then on the one-to-many instead; creating, switching the favorite, removing
the favorite from the collection, and deleting the person with cascade."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Person(Base):
    __tablename__ = "people"
    id = Column(Integer, primary_key=True)
    name = Column(String(30))
    favorite_id = Column(Integer, ForeignKey("balls.id", name="fav"))
    balls = relationship("Ball", foreign_keys="Ball.person_id", cascade="all, delete-orphan",
                         backref="owner", order_by="Ball.id")
    favorite = relationship("Ball", foreign_keys=[favorite_id], post_update=True)


class Ball(Base):
    __tablename__ = "balls"
    id = Column(Integer, primary_key=True)
    color = Column(String(30))
    person_id = Column(Integer, ForeignKey("people.id"))


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)
    captain_id = Column(Integer, ForeignKey("players.id", name="captain"))
    players = relationship("Player", foreign_keys="Player.team_id", post_update=True,
                           order_by="Player.id")
    captain = relationship("Player", foreign_keys=[captain_id])


class Player(Base):
    __tablename__ = "players"
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id"))


def rows(cls, *cols):
    return sorted(tuple(r) for r in s.execute(select(*cols)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
p = Person(id=1, name="p")
red, blue, green = Ball(id=1, color="red"), Ball(id=2, color="blue"), Ball(id=3, color="green")
p.balls = [red, blue, green]
p.favorite = blue
s.add(p)
s.commit()
value("people", rows(Person, Person.id, Person.favorite_id))
value("balls", rows(Ball, Ball.id, Ball.person_id))

p.favorite = green
s.commit()
p.balls.remove(green)  # the favorite becomes an orphan: deleted, the reference nulled first
p.favorite = None
s.commit()
value("after orphan", [rows(Person, Person.id, Person.favorite_id), rows(Ball, Ball.id)])

p.favorite = Ball(id=4, color="new")
p.balls.append(p.favorite)
s.commit()
s.delete(p)
s.commit()
check("deleted", p=p, red=red, blue=blue)
value("left", rows(Ball, Ball.id))

# post_update on the one-to-many side
t = Team(id=1)
a, b = Player(id=1), Player(id=2)
t.players = [a, b]
t.captain = a
s.add(t)
s.commit()
value("team", [rows(Team, Team.id, Team.captain_id), rows(Player, Player.id, Player.team_id)])
# (not t.players.remove(b): SQLAlchemy 2.1 sets b.team_id to None in memory but writes no
# UPDATE for a child removed from a post_update one-to-many; see tests/compat/README.md)
t.captain = b
s.commit()
value("swapped", [rows(Team, Team.id, Team.captain_id), rows(Player, Player.id, Player.team_id)])
t.captain = None
s.delete(t)
s.commit()
value("team gone", rows(Player, Player.id, Player.team_id))
s.close()
