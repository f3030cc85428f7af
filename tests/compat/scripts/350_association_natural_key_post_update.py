"""The shapes issue 8 added to the fuzzer's schema, in one script: an association object
whose primary key is its two foreign keys (moved to another pet: its key UPDATEd; removed from
the side without delete-orphan: the "blank-out primary key" AssertionError; one never given a
key column: the INSERT fails, nothing is blanked out), a natural primary key renamed with
its children following by ON UPDATE CASCADE (objects already in the session keep the old
key: the collection was not loaded at the flush) and by the ORM
(passive_updates=False), a post_update many-to-one in a cycle with that one-to-many, and a
delete with passive_deletes (the database's ON DELETE CASCADE removes the unloaded players)."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()


class Club(Base):
    __tablename__ = "club"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))


class Pet(Base):
    __tablename__ = "pet"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))


class Membership(Base):
    __tablename__ = "membership"
    club_id = Column(Integer, ForeignKey("club.id"), primary_key=True)
    pet_id = Column(Integer, ForeignKey("pet.id"), primary_key=True)
    name = Column(String(20))
    club = relationship("Club", backref=backref("memberships", cascade="all, delete-orphan"))
    pet = relationship("Pet", backref="memberships")


class Team(Base):
    __tablename__ = "team"
    name = Column(String(20), primary_key=True)
    captain_id = Column(Integer, ForeignKey("player.id", use_alter=True))
    players = relationship("Player", back_populates="team", foreign_keys="Player.team_name",
                           cascade="all", passive_deletes=True)
    fans = relationship("Fan", backref="team", passive_updates=False)
    captain = relationship("Player", foreign_keys=[captain_id], post_update=True)


class Player(Base):
    __tablename__ = "player"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    team_name = Column(String(20), ForeignKey("team.name", onupdate="CASCADE",
                                              ondelete="CASCADE"))
    team = relationship("Team", back_populates="players", foreign_keys=[team_name])


class Fan(Base):
    __tablename__ = "fan"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    team_name = Column(String(20), ForeignKey("team.name", deferrable=True, initially="DEFERRED"))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)

c = Club(id=1, name="c")
p = Pet(id=1, name="p")
p2 = Pet(id=2, name="p2")
m = Membership(club=c, pet=p, name="m")
t = Team(name="t1")
pl = Player(id=1, name="pl", team=t)
f = Fan(id=1, name="f", team=t)
t.captain = pl
s.add_all([c, m, t, p2])
s.commit()
check("after commit", m=m, t=t, pl=pl, f=f)

t.name = "t2"  # players: the database follows; fans: UPDATEd by the ORM
s.commit()
value("player's team", pl.team_name)
value("fan's team", f.team_name)

pl2 = Player(id=2, name="pl2", team=t)
t.captain = pl2  # post_update: the team row is UPDATEd after the player's INSERT
s.flush()
t.name = "t3"  # the players' collection is not loaded: they keep the old key in memory
s.flush()
value("loaded players", sorted(x.team_name for x in t.players))
s.commit()

m.pet = p2  # a key column of the association object changes: its row is UPDATEd
s.commit()
value("membership key", (m.club_id, m.pet_id))

p2.memberships.remove(m)  # no delete-orphan on this side: the key would be blanked out
with expect_error("blank-out"):
    s.flush()
s.rollback()

m2 = Membership(name="no key", pet=None)  # never given a key: nothing to blank out
s.add(m2)
with expect_error("null key"):
    s.flush()
s.rollback()

c.memberships.remove(m)  # delete-orphan on the club's side
s.commit()
check("orphan", m=m)

s.expire_all()
s.delete(t)  # players not loaded: ON DELETE CASCADE removes them (passive_deletes)
s.commit()
check("deleted", t=t, pl=pl, pl2=pl2, f=f)
value("players left", s.scalars(select(Player.id)).all())
value("fans left", [tuple(r) for r in s.execute(select(Fan.id, Fan.team_name))])
