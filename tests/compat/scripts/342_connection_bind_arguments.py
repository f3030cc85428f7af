"""Session.connection(bind_arguments=, execution_options=) with two binds: the mapper, a
clause or an explicit bind picks the connection; options apply per bind when that bind's
connection is first acquired (the other bind's connection is unaffected, no warning);
execute(bind_arguments={"bind": ...}) overrides the routing; no context in a multi-bind
Session is UnboundExecutionError."""

from harness import engine, expect_error, expect_warnings, value
from sqlalchemy import Column, Integer, String, select, text
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    text = Column(String(50))


eng1, eng2 = engine(), engine()
Base.metadata.create_all(eng1)
Base.metadata.create_all(eng2)


def which(conn):
    return "eng1" if conn.engine is eng1 else "eng2" if conn.engine is eng2 else "other"


def token(conn):
    return conn.get_execution_options().get("logging_token")


s = Session(binds={User: eng1, Note: eng2})
with expect_error("connection() without context"):
    s.connection()
with expect_warnings("User's connection with options"):
    cu = s.connection(bind_arguments={"mapper": User},
                      execution_options={"logging_token": "users"})
value("User's", [which(cu), token(cu)])
with expect_warnings("Note's connection, by clause, with options"):
    cn = s.connection(bind_arguments={"clause": select(Note)},
                      execution_options={"logging_token": "notes"})
value("Note's", [which(cn), token(cn)])
with expect_warnings("explicit bind eng1 again, with options"):
    ce = s.connection(bind_arguments={"bind": eng1}, execution_options={"logging_token": "x"})
value("explicit eng1 is User's connection", [ce is cu, token(ce)])
s.add_all([User(id=1, name="u"), Note(id=1, text="n")])
s.flush()
value("rows of users via eng2 (bind argument)",
      s.execute(text("SELECT count(*) FROM users"), bind_arguments={"bind": eng2}).scalar())
value("rows of notes via Note's mapper",
      s.execute(text("SELECT count(*) FROM notes"),
                bind_arguments={"mapper": Note}).scalar())
s.commit()
value("after commit, fresh connections", [token(s.connection(bind_arguments={"mapper": m}))
                                          for m in (User, Note)])
s.close()
