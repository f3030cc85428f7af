"""2.x declarative: foreign_keys= and remote_side= naming mapped_column() attributes of the
class body, for two foreign keys to one table and a self-referential many-to-one."""

from harness import engine, track, value
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class City(Base):
    __tablename__ = "city"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Trip(Base):
    __tablename__ = "trip"
    id: Mapped[int] = mapped_column(primary_key=True)
    origin_id: Mapped[int] = mapped_column(ForeignKey("city.id"))
    destination_id: Mapped[int] = mapped_column(ForeignKey("city.id"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("trip.id"))
    origin: Mapped[City] = relationship(foreign_keys=[origin_id])
    destination: Mapped[City] = relationship(foreign_keys=[destination_id])
    previous: Mapped["Trip | None"] = relationship(remote_side=[id])


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
a, b = City(name="a"), City(name="b")
t1 = Trip(origin=a, destination=b)
t2 = Trip(origin=b, destination=a, previous=t1)
track(a=a, b=b, t1=t1, t2=t2)
s.add(t2)
s.commit()
value("t2", [t2.origin.name, t2.destination.name, t2.previous is t1])
s.close()
