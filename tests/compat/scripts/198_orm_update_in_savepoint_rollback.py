"""An ORM UPDATE ... WHERE inside a SAVEPOINT (synchronize_session 'evaluate' and 'fetch')
changes the loaded objects; rolling the SAVEPOINT back expires them, so they reload the
values from before (found by the fuzzer with hook recording, seed 6)."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String, update
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Maker(Base):
    __tablename__ = "maker"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
m1, m2 = Maker(name="m1"), Maker(name="m2")
s.add_all([m1, m2])
s.flush()
for sync in ("evaluate", "fetch"):
    sp = s.begin_nested()
    s.execute(update(Maker).where(Maker.id == 1).values(name="changed"),
              execution_options={"synchronize_session": sync})
    value("%s: in the savepoint" % sync, m1.name)
    sp.rollback()
    value("%s: loaded after the rollback" % sync, sorted(k for k in m1.__dict__ if k[0] != "_"))
    value("%s: reloaded" % sync, [m1.name, m2.name])
check("end", m1=m1, m2=m2)
s.commit()
