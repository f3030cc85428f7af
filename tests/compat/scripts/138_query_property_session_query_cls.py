"""scoped_session.query_property() without query_cls uses the Session's own query_cls
(sessionmaker(query_cls=...)); with one it overrides it; several properties on one class."""

from harness import engine, value
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Query, declarative_base, scoped_session, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class SessionQuery(Query):
    pass


class PropertyQuery(Query):
    pass


eng = engine()
Base.metadata.create_all(eng)
Session = scoped_session(sessionmaker(bind=eng, query_cls=SessionQuery))
Session.add_all([User(name="ed"), User(name="wendy")])
Session.commit()

User.query = Session.query_property()
User.other = Session.query_property(PropertyQuery)
value("session's query_cls", type(User.query).__name__)
value("property's query_cls", type(User.other).__name__)
value("rows", [u.name for u in User.query.order_by(User.id)])
value("other rows", [u.name for u in User.other.filter(User.name == "wendy")])
value("instances see it too", type(User.query.first().query).__name__)
Session.remove()
