"""A natural primary key changes under many-to-one references that have no one-to-many
backref: with passive_updates=False the flush finds the referencing objects in the session
and UPDATEs their foreign keys; with passive updates (the default) it only copies the new
key into their loaded attributes (the database cascades)."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Country(Base):
    __tablename__ = "countries"
    code = Column(String(5), primary_key=True)
    name = Column(String(20))


class City(Base):
    __tablename__ = "cities"
    id = Column(Integer, primary_key=True)
    country_code = Column(String(5), ForeignKey("countries.code", deferrable=True,
                                                initially="DEFERRED"))
    country = relationship(Country, passive_updates=False)


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)
    country_code = Column(String(5), ForeignKey("countries.code", onupdate="CASCADE"))
    country = relationship(Country)


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
fr, de = Country(code="FR", name="France"), Country(code="DE", name="Germany")
s.add_all([City(id=1, country=fr), City(id=2, country=fr), City(id=3, country=de),
           Team(id=1, country=fr)])
s.commit()

c1, c2 = s.get(City, 1), s.get(City, 2)
t1 = s.get(Team, 1)
value("loaded", (c1.country.code, t1.country.code))  # c2's country is not loaded
fr = s.get(Country, "FR")
fr.code = "FRA"
s.flush()
value("c2 country loaded by the flush", "country" in c2.__dict__)
value("fks", (c1.country_code, c2.country_code, t1.country_code))
check("after", c1=c1, c2=c2, t1=t1, fr=fr)
s.commit()
value("cities", [tuple(r) for r in s.execute(select(City.__table__).order_by(City.id))])
value("teams", [tuple(r) for r in s.execute(select(Team.__table__))])
s.close()
