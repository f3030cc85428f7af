"""Transaction behaviour that compat scripts cannot show: where inspector.orm deliberately
differs from SQLAlchemy 2.1 (see docs/transactions.md)."""

from sqlalchemy import Column, String, create_engine

from inspector.orm import Session, declarative_base

Base = declarative_base()


class Item(Base):
    __tablename__ = "items"
    code = Column(String(10), primary_key=True)
    label = Column(String(10))


def _session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return Session(engine)


def test_root_rollback_restores_a_key_changed_before_and_inside_a_released_savepoint():
    # SQLAlchemy 2.1 keeps the SAVEPOINT's "original" key ('b2') when it is released, so a
    # root rollback leaves the object keyed 'b2' and its next load raises
    # ObjectDeletedError; we keep the transaction's original key 'b'
    s = _session()
    s.add(Item(code="b", label="B"))
    s.commit()
    b = s.get(Item, "b")
    b.code = "b2"
    s.flush()
    sp = s.begin_nested()
    b.code = "b3"
    s.flush()
    sp.commit()
    s.rollback()
    assert b.code == "b" and b.label == "B"
    assert s.get(Item, "b") is b


def test_nested_rollback_restores_the_key_changed_inside():
    s = _session()
    s.add(Item(code="c", label="C"))
    s.commit()
    c = s.get(Item, "c")
    sp = s.begin_nested()
    c.code = "c2"
    s.flush()
    assert s.get(Item, "c2") is c
    sp.rollback()
    assert c.code == "c"
    assert s.get(Item, "c") is c
    s.commit()


def test_changes_on_an_inactive_transaction_warn_and_are_discarded():
    import pytest
    from sqlalchemy.exc import IntegrityError, SAWarning

    s = _session()
    s.add(Item(code="a", label="A"))
    s.commit()
    s.add(Item(code="a", label="dup"))
    with pytest.raises(IntegrityError):
        s.flush()
    x = Item(code="x")
    s.add(x)  # on the inactive transaction
    with pytest.warns(SAWarning, match="changed on a non-active transaction"):
        s.rollback()
    assert x not in s and not s.new
