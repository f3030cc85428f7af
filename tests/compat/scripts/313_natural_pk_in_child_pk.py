"""A child whose primary key includes its parent's natural key (test_naturalpks' cascade
to a foreign key inside the primary key): renaming the parent with passive_updates=False
UPDATEs the child's primary key (its identity key changes); moving a child to another
parent changes its primary key too; non-primary-key natural keys (a unique username) as
the referenced column."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    username = Column(String(50), primary_key=True)
    addresses = relationship("Address", passive_updates=False, backref="user",
                             order_by="Address.email")


class Address(Base):
    __tablename__ = "addresses"
    username = Column(String(50), ForeignKey("users.username", deferrable=True,
                                             initially="DEFERRED"), primary_key=True)
    email = Column(String(50), primary_key=True)


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    login = Column(String(50), unique=True, nullable=False)
    posts = relationship("Post", passive_updates=False, order_by="Post.id")


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    login = Column(String(50), ForeignKey("accounts.login", deferrable=True,
                                          initially="DEFERRED"))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u = User(username="jack", addresses=[Address(email="j1"), Address(email="j2")])
s.add(u)
s.commit()
a1 = u.addresses[0]
u.username = "ed"
s.commit()
check("renamed", u=u, a1=a1)
value("rows", sorted(tuple(r) for r in s.execute(select(Address.username, Address.email))))
fred = User(username="fred")
fred.addresses.append(a1)
s.add(fred)
s.commit()
check("moved", a1=a1)
value("rows after move", sorted(tuple(r) for r in s.execute(select(Address.username,
                                                                    Address.email))))

acc = Account(id=1, login="x", posts=[Post(id=1), Post(id=2)])
s.add(acc)
s.commit()
value("old login", acc.login)  # (loaded: an expired key's change is not seen as one)
acc.login = "y"
s.commit()
value("posts", sorted(tuple(r) for r in s.execute(select(Post.id, Post.login))))
s.close()
