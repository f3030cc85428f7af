"""Our Session against a real PostgreSQL (and, side by side, SQLAlchemy's).

Each test runs on both ORMs (``orm`` = ``inspector.orm`` or ``sqlalchemy.orm``) and checks
the same outcome: savepoints, two-phase commit across two databases, two concurrent
sessions under READ COMMITTED and REPEATABLE READ, row locks taken by ``with_for_update``,
and a concurrent DELETE surfacing as StaleDataError in the flush.
"""

from __future__ import annotations

import importlib
import types

import pytest
import sqlalchemy.exc as sa_exc
from sqlalchemy import Column, ForeignKey, Integer, String, event, select, text

ORMS = {"ours": "inspector.orm", "sqlalchemy": "sqlalchemy.orm"}


@pytest.fixture(params=list(ORMS))
def orm(request):
    """The ORM under test, with the models of these tests mapped by it."""
    module = importlib.import_module(ORMS[request.param])
    base = module.declarative_base()

    class Item(base):
        __tablename__ = "items"
        id = Column(Integer, primary_key=True)
        v = Column(String(30))

    class Note(base):  # lives in db_b
        __tablename__ = "notes"
        id = Column(Integer, primary_key=True)
        text = Column(String(30))
        item_ref = Column(Integer, ForeignKey("note_items.id", deferrable=True,
                                               initially="DEFERRED"))

    class NoteItem(base):  # db_b: the target of a deferred foreign key
        __tablename__ = "note_items"
        id = Column(Integer, primary_key=True)

    return types.SimpleNamespace(name=request.param, m=module, Base=base, Item=Item, Note=Note,
                                 NoteItem=NoteItem)


@pytest.fixture
def dbs(clean, orm):
    """Both databases emptied, the tables of ``orm`` created: items in db_a, notes in db_b."""
    ea, eb = clean
    orm.Item.__table__.create(ea)
    orm.NoteItem.__table__.create(eb)
    orm.Note.__table__.create(eb)
    return ea, eb


def rows(eng, table):
    """Committed rows, seen through a separate connection."""
    with eng.connect() as c:
        return [tuple(r) for r in c.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def prepared(eng):
    with eng.connect() as c:
        return c.execute(text("SELECT count(*) FROM pg_prepared_xacts")).scalar()


class Statements(list):
    """Collects the SQL an engine runs until ``remove_listener()``."""

    def __init__(self, eng):
        super().__init__()
        self.eng = eng
        event.listen(eng, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, params, context, many):
        self.append(" ".join(statement.split()))

    def remove_listener(self):
        event.remove(self.eng, "before_cursor_execute", self._record)


# --------------------------------------------------------------------------- savepoints


def test_savepoint_rollback_undoes_only_the_nested_part(dbs, orm):
    ea, _ = dbs
    Item = orm.Item
    s = orm.m.Session(ea)
    outer = Item(id=1, v="outer")
    s.add(outer)
    sp = s.begin_nested()  # flushes the outer INSERT first
    inner = Item(id=2, v="inner")
    s.add(inner)
    outer.v = "changed inside"
    sp2 = s.begin_nested()  # nested inside nested
    s.add(Item(id=3, v="innermost"))
    sp2.commit()  # RELEASE: id 3 belongs to sp now
    sp.rollback()  # ROLLBACK TO the first savepoint: 2 and 3 and the change are gone
    assert orm.m.object_session(inner) is None
    assert outer.v == "outer"  # expired by the rollback, reloaded
    assert sorted(s.scalars(select(Item.id))) == [1]
    with s.begin_nested():
        s.add(Item(id=4, v="kept"))
    with pytest.raises(sa_exc.IntegrityError):  # a failed savepoint keeps the outer usable
        with s.begin_nested():
            s.add(Item(id=1, v="duplicate"))
    s.commit()
    assert rows(ea, "items") == [(1, "outer"), (4, "kept")]
    s.close()


# --------------------------------------------------------------------------- two-phase commit


def test_two_phase_commit_across_two_databases(dbs, orm):
    ea, eb = dbs
    s = orm.m.Session(binds={orm.Item: ea, orm.Base: eb}, twophase=True)
    s.add_all([orm.Item(id=1, v="a"), orm.Note(id=1, text="b")])
    s.prepare()  # flush, then PREPARE TRANSACTION on both databases
    assert prepared(ea) == 2  # pg_prepared_xacts lists every database's
    assert rows(ea, "items") == [] and rows(eb, "notes") == []  # not visible yet
    with pytest.raises(sa_exc.InvalidRequestError, match="prepared"):
        s.add(orm.Item(id=2, v="late"))
        s.flush()
    s.expunge_all()
    s.commit()  # COMMIT PREPARED on both
    assert prepared(ea) == 0
    assert rows(ea, "items") == [(1, "a")]
    assert rows(eb, "notes") == [(1, "b", None)]
    # commit() alone runs both phases
    s.add_all([orm.Item(id=2, v="a2"), orm.Note(id=2, text="b2")])
    s.commit()
    assert [r[0] for r in rows(ea, "items")] == [1, 2]
    assert [r[0] for r in rows(eb, "notes")] == [1, 2]
    assert prepared(ea) == 0
    s.close()


def test_failing_prepare_leaves_nothing(dbs, orm):
    """A deferred foreign key is checked at PREPARE: db_b refuses, db_a is rolled back too."""
    ea, eb = dbs
    s = orm.m.Session(binds={orm.Item: ea, orm.Note: eb, orm.NoteItem: eb}, twophase=True)
    item, note = orm.Item(id=1, v="a"), orm.Note(id=1, text="b", item_ref=99)
    s.add_all([item, note])
    s.flush()  # the INSERTs succeed: the foreign key is deferred
    with pytest.raises(sa_exc.DBAPIError) as ei:
        s.prepare()
    # PREPARE TRANSACTION fails with the foreign key violation; psycopg has marked its
    # two-phase transaction prepared before running it, so the rollback that follows (as
    # in SQLAlchemy) fails too (ROLLBACK PREPARED of an unknown id): that error is raised,
    # the IntegrityError is its context
    chain, exc = [], ei.value
    while exc is not None:
        chain.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    assert "IntegrityError" in chain and "ForeignKeyViolation" in chain, chain
    assert not s.in_transaction()  # rolled back and closed
    assert orm.m.object_session(item) is None  # pending again: back to transient
    assert prepared(ea) == 0
    assert rows(ea, "items") == [] and rows(eb, "notes") == []
    s.add(orm.Item(id=5, v="again"))  # the session is usable
    s.commit()
    assert rows(ea, "items") == [(5, "again")]
    s.close()


def test_prepare_needs_twophase(dbs, orm):
    ea, _ = dbs
    s = orm.m.Session(ea)
    with pytest.raises(sa_exc.InvalidRequestError, match="'twophase' mode not enabled"):
        s.prepare()
    s.close()


# --------------------------------------------------------------------------- isolation


@pytest.mark.parametrize("level", ["READ COMMITTED", "REPEATABLE READ"])
def test_two_sessions_isolation(dbs, orm, level):
    ea, _ = dbs
    Item = orm.Item
    with orm.m.Session(ea) as s:
        s.add(Item(id=1, v="v1"))
        s.commit()
    eng = ea.execution_options(isolation_level=level)
    reader, writer = orm.m.Session(eng), orm.m.Session(eng)
    try:
        value = select(Item.v).where(Item.id == 1)
        assert reader.scalar(value) == "v1"  # reader's transaction (and snapshot) begins
        writer.add(Item(id=2, v="new"))
        writer.get(Item, 1).v = "v2"
        writer.flush()
        assert reader.scalar(value) == "v1"  # uncommitted: invisible at both levels
        writer.commit()
        if level == "READ COMMITTED":  # each statement sees what committed before it
            assert reader.scalar(value) == "v2"
            assert sorted(reader.scalars(select(Item.id))) == [1, 2]
        else:  # the first statement's snapshot, for the whole transaction
            assert reader.scalar(value) == "v1"
            assert sorted(reader.scalars(select(Item.id))) == [1]
            item = reader.get(Item, 1)
            assert item.v == "v1"
            item.v = "reader's"
            with pytest.raises(sa_exc.OperationalError, match="could not serialize"):
                reader.flush()  # the row changed since the snapshot
            reader.rollback()
        reader.rollback()
        assert reader.get(Item, 1).v == "v2"  # a new transaction sees the commit
    finally:
        reader.close()
        writer.close()


# --------------------------------------------------------------------------- row locks


def test_with_for_update_locks_the_row(dbs, orm):
    ea, _ = dbs
    Item = orm.Item
    with orm.m.Session(ea) as s:
        s.add_all([Item(id=1, v="v1"), Item(id=2, v="v2")])
        s.commit()
    nowait = select(Item).where(Item.id == 1).with_for_update(nowait=True)
    sql = Statements(ea)
    locker, other = orm.m.Session(ea), orm.m.Session(ea)
    try:
        item = locker.get(Item, 1, with_for_update=True)
        assert item.v == "v1"
        assert sql[-1].endswith("FOR UPDATE")
        with pytest.raises(sa_exc.OperationalError, match="could not obtain lock") as ei:
            other.execute(nowait)
        assert ei.value.orig.sqlstate == "55P03"  # lock_not_available
        other.rollback()
        # get() with_for_update SELECTs even when the object is in the identity map
        assert locker.get(Item, 1, with_for_update={"nowait": True}) is item
        assert sql[-1].endswith("FOR UPDATE NOWAIT")
        locker.commit()  # releases the lock
        assert other.execute(nowait).scalar_one().v == "v1"
        # refresh(with_for_update=) and select().with_for_update() lock too
        locker.refresh(locker.get(Item, 2), with_for_update={"nowait": True})
        assert sql[-1].endswith("FOR UPDATE NOWAIT")
        with pytest.raises(sa_exc.OperationalError, match="could not obtain lock"):
            locker.execute(nowait)  # other holds row 1 now
        locker.rollback()
        other.rollback()
        locker.scalars(select(Item).where(Item.id == 2).with_for_update(read=True)).one()
        assert sql[-1].endswith("FOR SHARE")
        with pytest.raises(sa_exc.ArgumentError, match="blank dictionary is ambiguous"):
            locker.refresh(item, with_for_update={})
    finally:
        sql.remove_listener()
        locker.close()
        other.close()


# --------------------------------------------------------------------------- stale data


def test_concurrent_delete_is_stale_data(dbs, orm):
    ea, _ = dbs
    Item = orm.Item
    with orm.m.Session(ea) as s:
        s.add_all([Item(id=1, v="v1"), Item(id=2, v="v2")])
        s.commit()
    mine, theirs = orm.m.Session(ea), orm.m.Session(ea)
    try:
        a, b = mine.get(Item, 1), mine.get(Item, 2)
        theirs.delete(theirs.get(Item, 1))
        theirs.commit()
        a.v, b.v = "mine", "mine too"
        with pytest.raises(orm.m.exc.StaleDataError) as ei:
            mine.flush()
        assert str(ei.value) == (
            "UPDATE statement on table 'items' expected to update 2 row(s); 1 were matched."
        )
        with pytest.raises(sa_exc.PendingRollbackError):
            mine.execute(select(Item))
        mine.rollback()
        assert rows(ea, "items") == [(2, "v2")]
    finally:
        mine.close()
        theirs.close()


def test_concurrent_delete_of_one_row(dbs, orm):
    """One row: UPDATE matching nothing is StaleDataError; a DELETE matching nothing warns."""
    ea, _ = dbs
    Item = orm.Item
    with orm.m.Session(ea) as s:
        s.add_all([Item(id=1, v="v1"), Item(id=2, v="v2")])
        s.commit()
    mine, theirs = orm.m.Session(ea), orm.m.Session(ea)
    try:
        a, b = mine.get(Item, 1), mine.get(Item, 2)
        theirs.execute(text("DELETE FROM items"))
        theirs.commit()
        mine.delete(b)
        with pytest.warns(sa_exc.SAWarning, match=(
                r"DELETE statement on table 'items' expected to delete 1 row\(s\); "
                r"0 were matched\.  Please set confirm_deleted_rows=False")):
            mine.flush()
        a.v = "mine"
        with pytest.raises(orm.m.exc.StaleDataError, match=(
                r"^UPDATE statement on table 'items' expected to update 1 row\(s\); "
                r"0 were matched\.$")):
            mine.flush()
        mine.rollback()
        assert rows(ea, "items") == []
    finally:
        mine.close()
        theirs.close()
