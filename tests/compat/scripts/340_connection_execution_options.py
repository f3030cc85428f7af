"""Session.connection(execution_options=): applied to the connection when this call is the
one that acquires it in the transaction (the root level's, also from inside SAVEPOINTs);
a SAWarning "execution_options ignored" when the transaction already holds it (empty
options say nothing); the next transaction's connection starts without them; an
AUTOCOMMIT isolation level makes a flush outlive rollback(); a Session bound to a
Connection gets the options on that Connection."""

from harness import engine, expect_warnings, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)


def opts(conn):
    return sorted((k, v) for k, v in conn.get_execution_options().items()
                  if k in ("logging_token", "isolation_level"))


s = Session(eng)
with expect_warnings("first connection() with options"):
    c = s.connection(execution_options={"logging_token": "first",
                                        "isolation_level": "SERIALIZABLE"})
value("options of the first connection", opts(c))
value("its isolation level", c.get_isolation_level())
with expect_warnings("connection() again, other options"):
    c2 = s.connection(execution_options={"logging_token": "second"})
value("the same connection", c2 is c)
value("options kept", opts(c2))
with expect_warnings("connection() again, empty options"):
    s.connection(execution_options={})
with expect_warnings("connection() again, no options"):
    s.connection()
s.add(User(name="u1"))
s.flush()
s.commit()
value("after commit: a new connection without them", opts(s.connection()))
s.close()

# acquired from inside SAVEPOINTs: the root acquires it and applies the options
s = Session(eng)
s.begin_nested()
s.begin_nested()
with expect_warnings("connection(options) inside two SAVEPOINTs"):
    c = s.connection(execution_options={"logging_token": "nested"})
value("options from inside the savepoints", opts(c))
value("in nested transaction", s.in_nested_transaction())
with expect_warnings("again, inside"):
    s.connection(execution_options={"logging_token": "again"})
s.rollback()
s.close()

# a flush has already acquired the connection
s = Session(eng)
s.add(User(name="u2"))
s.flush()
with expect_warnings("connection(options) after a flush"):
    c = s.connection(execution_options={"logging_token": "late"})
value("options after the flush", opts(c))
s.rollback()
s.close()

# AUTOCOMMIT: each statement commits at once, rollback() cannot undo the flush
s = Session(eng)
s.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
s.add(User(name="u3"))
s.flush()
s.rollback()
s.close()
with Session(eng) as s2:
    value("names after the AUTOCOMMIT rollback", sorted(s2.scalars(select(User.name)).all()))

# a Session bound to a Connection: the options go onto that Connection
conn = eng.connect()
s = Session(conn)
with expect_warnings("connection(options) of a Connection-bound Session"):
    c = s.connection(execution_options={"logging_token": "bound"})
value("the Connection itself", c is conn)
value("its options", opts(conn))
s.close()
conn.close()
