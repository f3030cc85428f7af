"""active_history=True: replacing a many-to-one or a uselist=False one-to-many loads the old
value at once (without autoflush); without it the many-to-one's old value is looked up in
the identity map only and the one-to-many's is loaded by the flush."""

from harness import engine, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, relationship
from sqlalchemy.orm.attributes import get_history

Base = declarative_base()


class Team(Base):
    __tablename__ = "team"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    captain = relationship("Player", uselist=False, viewonly=True)
    mascot = relationship("Mascot", uselist=False)


class Player(Base):
    __tablename__ = "player"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    team_id = Column(ForeignKey("team.id"))
    team = relationship("Team", active_history=True)
    old_team = relationship("Team", viewonly=True)


class Mascot(Base):
    __tablename__ = "mascot"
    id = Column(Integer, primary_key=True)
    team_id = Column(ForeignKey("team.id"))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
t1, t2 = Team(name="t1", mascot=Mascot()), Team(name="t2")
p = Player(name="p", team=t1)
track(t1=t1, t2=t2, p=p)
s.add_all([p, t2])
s.commit()
s.expunge(t1)
p.team = t2  # the old team is loaded now (it left the identity map)
value("history", [list(h) for h in get_history(p, "team")])
s.rollback()
s.expire(p)
p.old_team = t2  # no active history: the old value is unknown
value("history", [list(h) for h in get_history(p, "old_team")])
s.rollback()
t2.captain = p
value("captain history", [list(h) for h in get_history(t2, "captain")])
t1 = s.get(Team, 1)
t1.mascot = Mascot()
value("mascot history deleted (loaded on asking)",
      [len(h) for h in get_history(t1, "mascot")])
s.commit()
s.close()
