"""Many-to-many through a secondary Table with back_populates: association rows inserted
after both ends (one executemany), deleted on remove, lazy loads from both sides, and both
collections kept symmetric in memory.

SQLAlchemy writes the rows of one flush object by object in ``set`` order; each flush here
changes the collections of one object of the side processed first (Account sorts before
Keyword) so that the row order is the collection's order."""

from harness import check, engine, names, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

account_keywords = Table(
    "account_keywords", Base.metadata,
    Column("account_id", ForeignKey("accounts.id"), primary_key=True),
    Column("keyword_id", ForeignKey("keywords.id"), primary_key=True),
)


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    keywords = relationship("Keyword", secondary=account_keywords, back_populates="users")


class Keyword(Base):
    __tablename__ = "keywords"
    id = Column(Integer, primary_key=True)
    word = Column(String(50))
    users = relationship("Account", secondary=account_keywords, back_populates="keywords")


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
u1, u2 = Account(name="u1"), Account(name="u2")
k1, k2, k3 = Keyword(word="k1"), Keyword(word="k2"), Keyword(word="k3")
u1.keywords = [k2, k1]
value("k1.users (backref)", names(k1.users))
s.add(u1)
check("after add", u1=u1, u2=u2, k1=k1, k2=k2, k3=k3)
s.flush()
u2.keywords.append(k1)
value("k1.users (backref)", names(k1.users))
s.add_all([u2, k3])
s.flush()
check("after flush", u1=u1, u2=u2, k1=k1, k2=k2, k3=k3)

u1.keywords.remove(k1)
value("k1.users after remove", names(k1.users))
u1.keywords.append(k3)
value("k3.users after append", names(k3.users))
s.flush()
s.commit()

value("u1.keywords (lazy)", names(u1.keywords))
value("k1.users (lazy)", names(k1.users))
value("k3.users (lazy)", names(k3.users))
k2.users.append(u2)
value("u2.keywords", names(u2.keywords))
s.commit()

s2 = Session(eng)
u = s2.get(Account, 2)
value("u2 keywords in a new session", sorted(k.word for k in u.keywords))
k = s2.get(Keyword, 3)
value("k3 users in a new session", sorted(x.name for x in k.users))
s2.close()
s.close()
