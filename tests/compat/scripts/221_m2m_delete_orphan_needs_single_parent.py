"""delete-orphan on a many-to-many without single_parent=True is refused when the mappers are
configured (ArgumentError)."""

from harness import engine, expect_error
from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.orm import configure_mappers, declarative_base, relationship

Base = declarative_base()
t = Table("x_y", Base.metadata, Column("x_id", ForeignKey("x.id")),
          Column("y_id", ForeignKey("y.id")))


class X(Base):
    __tablename__ = "x"
    id = Column(Integer, primary_key=True)
    ys = relationship("Y", secondary=t, cascade="all, delete-orphan")


class Y(Base):
    __tablename__ = "y"
    id = Column(Integer, primary_key=True)


eng = engine()
Base.metadata.create_all(eng)
with expect_error("configure"):
    configure_mappers()
