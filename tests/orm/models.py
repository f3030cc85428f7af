"""A tiny users/addresses model shared by the ORM and trace unit tests."""

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine

from inspector.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)
    addresses = relationship("Address", backref="user")


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(50))
    user_id = Column(Integer, ForeignKey("users.id"))


def new_session(path=None):
    engine = create_engine("sqlite:///%s" % path if path else "sqlite://")
    Base.metadata.create_all(engine)
    return Session(engine), engine
