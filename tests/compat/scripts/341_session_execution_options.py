"""Session(execution_options=) and sessionmaker(execution_options=): the Session's
options go onto each connection it acquires and under every statement it executes (the
statement's own options and those given to execute() win); Core execution options given to
execute() / scalars() pass through an ORM SELECT, ORM UPDATE and a Core statement (seen by a
before_execute listener); a bad value fails as in SQLAlchemy."""

from harness import engine, expect_error, value
from sqlalchemy import Column, Integer, String, event, select, text, update
from sqlalchemy.orm import Session, declarative_base, sessionmaker

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)
seen = []
SHOWN = ("logging_token", "stream_results", "max_row_buffer", "preserve_rowcount")


@event.listens_for(eng, "before_execute")
def _before(conn, clause, multiparams, params, execution_options):
    given = sorted((k, v) for k, v in execution_options.items() if k in SHOWN)
    merged = {**conn.get_execution_options(), **getattr(clause, "_execution_options", {}),
              **execution_options}
    seen.append((given, merged.get("logging_token")))


def show(label):
    value(label, list(seen))
    seen.clear()


maker = sessionmaker(eng, execution_options={"logging_token": "maker"})
s = maker()
value("s.execution_options", dict(s.execution_options))
value("its connection's token", s.connection().get_execution_options().get("logging_token"))
s.add(User(id=1, name="a"))
s.flush()
show("the flush")
s.execute(update(User).where(User.id == 1).values(name="b"),
          execution_options={"preserve_rowcount": True})
show("ORM UPDATE with preserve_rowcount")
s.execute(select(User).execution_options(logging_token="statement"),
          execution_options={"stream_results": True}).all()
show("ORM SELECT, the statement's own token, stream_results")
value("scalars with max_row_buffer",
      s.scalars(select(User.name), execution_options={"max_row_buffer": 5}).all())
show("scalars")
s.execute(text("SELECT 1"), execution_options={"logging_token": "given"}).all()
show("text() with a token given to execute()")
s.commit()
s.close()

s = Session(eng, execution_options={"logging_token": "session"})
value("get()", s.get(User, 1).name)
show("get()")
s.close()
value("a plain Session's options", dict(Session(eng).execution_options))
with expect_error("execution_options=5"):
    Session(eng, execution_options=5)
