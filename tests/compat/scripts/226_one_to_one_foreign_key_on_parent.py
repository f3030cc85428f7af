"""One-to-one with the foreign key on the owning side: a many-to-one with delete-orphan and
single_parent, whose backref is a uselist=False one-to-many.  Swapping the target deletes
the old one; assigning from the backref side writes the owner's foreign key; a target
taken by a second owner is refused (single_parent)."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, backref, declarative_base, relationship

Base = declarative_base()


class Account(Base):
    __tablename__ = "account"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    settings_id = Column(ForeignKey("settings.id"))
    settings = relationship("Settings", cascade="all, delete-orphan", single_parent=True,
                            backref=backref("account", uselist=False))


class Settings(Base):
    __tablename__ = "settings"
    id = Column(Integer, primary_key=True)
    theme = Column(String(20))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
acc = Account(name="acc", settings=Settings(theme="dark"))
old = acc.settings
track(acc=acc, old=old)
value("old.account", old.account)
s.add(acc)
s.commit()

new = Settings(theme="light")
track(new=new)
acc.settings = new
value("new.account", new.account)
s.flush()
check("old settings deleted", old=old, new=new)
s.commit()

other = Settings(theme="blue")
track(other=other)
s.add(other)
other.account = acc
value("acc.settings", acc.settings)
s.flush()
check("replaced from the backref side", new=new, other=other)
s.commit()

acc2 = Account(name="acc2")
track(acc2=acc2)
s.add(acc2)
with expect_error("a second owner after a commit (who held it is forgotten)"):
    acc2.settings = other
s.rollback()
s3 = Settings(theme="x")
acc3, acc4 = Account(name="acc3", settings=s3), Account(name="acc4")
track(s3=s3, acc3=acc3, acc4=acc4)
with expect_error("a second owner of a single_parent target"):
    acc4.settings = s3
value("acc4.settings", acc4.settings)
s.delete(acc)
s.commit()
check("owner deleted with its settings", acc=acc, other=other)
s.close()
