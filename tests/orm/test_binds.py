"""Session binds beyond the compat scripts: what SQLAlchemy gets wrong or we refuse, the
binds mapping, sessionmaker(binds=), and a flush that writes through two engines."""

import pytest
from models import Address, User
from sqlalchemy import create_engine, event, select
from sqlalchemy.exc import ArgumentError, InvalidRequestError

from inspector.orm import Session, sessionmaker


@pytest.fixture
def engines():
    e1, e2 = create_engine("sqlite://"), create_engine("sqlite://")
    for e in (e1, e2):
        User.metadata.create_all(e)
    yield e1, e2
    e1.dispose()
    e2.dispose()


def test_bind_keys(engines):
    e1, e2 = engines
    s = Session(binds={User: e1})
    assert dict(s.binds) == {User: e1, User.__table__: e1}
    with pytest.raises(TypeError):
        s.binds[Address] = e2  # immutable, as SQLAlchemy's: use bind_mapper()
    s.bind_mapper(User.__mapper__, e2)
    assert s.get_bind(User) is e2
    with pytest.raises(ArgumentError, match="Not an acceptable bind target"):
        s.bind_table(User.__table__.c.id, e1)  # SQLAlchemy 2.1: AttributeError


def test_sessionmaker_binds_and_twophase(engines):
    e1, e2 = engines
    maker = sessionmaker(binds={User: e1, Address: e2}, twophase=False)
    s = maker()
    assert s.get_bind(Address) is e2 and s.twophase is False
    maker.configure(twophase=True)
    assert maker().twophase is True


def test_twophase_refuses_connections(engines):
    e1, _ = engines
    with e1.connect() as conn:
        with pytest.raises(NotImplementedError, match="twophase"):
            Session(conn, twophase=True)
        s = Session(twophase=True)
        with pytest.raises(NotImplementedError, match="twophase"):
            s.bind_mapper(User, conn)


def test_flush_writes_each_mapper_through_its_bind(engines):
    e1, e2 = engines
    seen = []
    for name, e in (("e1", e1), ("e2", e2)):
        event.listen(e, "before_cursor_execute",
                     lambda c, cur, stmt, *a, name=name: seen.append((name, stmt.split()[0])))
    s = Session(binds={User: e1, Address: e2})
    u = User(name="ed")
    s.add(u)
    s.flush()
    s.add(Address(email="x", user_id=u.id))  # no relationship: the FK table is elsewhere
    s.flush()
    assert seen == [("e1", "INSERT"), ("e2", "INSERT")]
    assert len(s.get_transaction().connections) == 2
    s.commit()
    with e2.connect() as c:
        assert c.execute(select(Address.__table__.c.email)).scalars().all() == ["x"]
    with e1.connect() as c:
        assert c.execute(select(Address.__table__.c.email)).scalars().all() == []
    s.close()


def test_prepare_on_a_nested_transaction_is_refused(engines):
    e1, _ = engines
    s = Session(e1, twophase=True)
    s.begin()
    with pytest.raises(InvalidRequestError, match="not root transaction"):
        s.begin_nested().prepare()
    s.close()
