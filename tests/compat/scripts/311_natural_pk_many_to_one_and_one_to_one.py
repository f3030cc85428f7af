"""Natural primary key changes seen from the many-to-one side (test_naturalpks): a
many-to-one with passive_updates=False and no one-to-many back (the referencing objects in
the session get the new key and are UPDATEd), uselist many-to-one with a backref, and a
one-to-one (uselist=False) whose target's key changes; bidirectional non-passive."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    username = Column(String(50), primary_key=True)
    profile = relationship("Profile", uselist=False, back_populates="user",
                           passive_updates=False)


class Address(Base):
    __tablename__ = "addresses"
    email = Column(String(50), primary_key=True)
    # checked at COMMIT, so the parent key can change before its children follow
    username = Column(String(50), ForeignKey("users.username", deferrable=True,
                                             initially="DEFERRED"))
    user = relationship("User", passive_updates=False)


class Profile(Base):
    __tablename__ = "profiles"
    id = Column(String(10), primary_key=True)
    # checked at COMMIT, so the parent key can change before its children follow
    username = Column(String(50), ForeignKey("users.username", deferrable=True,
                                             initially="DEFERRED"))
    user = relationship("User", back_populates="profile", passive_updates=False)


def rows():
    return [sorted(tuple(r) for r in s.execute(select(Address.email, Address.username))),
            sorted(tuple(r) for r in s.execute(select(Profile.id, Profile.username)))]


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng, expire_on_commit=False)  # (a key switch loads expired rows in set order)
jack = User(username="jack")
a1, a2 = Address(email="a1", user=jack), Address(email="a2", user=jack)
p = Profile(id="p", user=jack)
s.add_all([a1, a2, p])
s.commit()
jack.username = "ed"
s.commit()
value("renamed", rows())
value("memory", [a1.username, a2.username, p.username])
check("objects", jack=jack, a1=a1, p=p)

# one address expired: it is loaded (passive_updates=False) and follows
s.expire(a2)
jack.username = "fred"
s.commit()
value("renamed again", rows())

# the one-to-one moves to a new user while the old one is renamed
wendy = User(username="wendy")
p.user = wendy
jack.username = "jack"
s.add(wendy)
s.commit()
value("moved profile", rows())
value("backref", [jack.profile, wendy.profile is p])
s.close()
