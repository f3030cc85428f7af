"""sessionmaker(expire_on_commit=False): attributes stay loaded after commit (no SELECT), also
after close (detached objects still readable)."""

from harness import check, engine, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

Session = sessionmaker(bind=eng, expire_on_commit=False)
s = Session()
u = User(name="ed")
s.add(u)
s.commit()
value("u.name (no SQL)", u.name)
value("u.id", u.id)
s.close()
check("after close", u=u)
value("u.name detached", u.name)
