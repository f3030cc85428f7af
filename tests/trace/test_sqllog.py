"""The SQL log: the session's statements with their step, origin, user line and diagnostics."""

import sys
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import Address, User, new_session  # noqa: E402

from inspector.orm import Session  # noqa: E402
from inspector.trace import (
    Recorder,  # noqa: E402
    sqllog,  # noqa: E402
)


def sql_of(rec):
    return rec.snapshot()["sql"]


def test_commit_logs_begin_flush_statements_and_commit_with_their_origin_and_line():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name="ann", addresses=[Address(email="a1"), Address(email="a2")]))
    s.commit()
    log = sql_of(rec)
    # the two addresses' INSERTs ran row by row (each fetching its key): one entry "× 2"
    assert [e["sql"].split(" (")[0] for e in log] == [
        "BEGIN", "INSERT INTO users", "INSERT INTO addresses", "COMMIT"]
    assert [(e["batch"], e["executions"]) for e in log] == [(1, 1), (1, 1), (2, 2), (1, 1)]
    assert log[2]["parameters"].startswith("2 sets, first ('a1', ")
    assert {tuple(e["stack"]) for e in log} == {()}  # one user frame: the source says it all
    assert {e["origin"] for e in log} == {"Session.commit"}
    assert all(e["source"].startswith("test_sqllog.py:") and "s.commit()" in e["source"]
               for e in log)
    begin, users, *_ , commit = log
    assert begin["in_flush"] and begin["step"] is None  # the flush's BEGIN is no plan step
    assert users["in_flush"] and users["step"] is not None and users["rows"] == 1
    assert "'ann'" in users["parameters"] and users["ms"] >= 0
    assert not commit["in_flush"] and commit["step"] is None
    steps = rec.snapshot()["flush"]["steps"]
    for entry in log[1:-1]:  # each INSERT is attributed to the step that ran it
        assert steps[entry["step"]]["label"].startswith("INSERT")
        assert entry["sql"] in [st["sql"] for st in steps[entry["step"]]["statements"]]


def test_stepped_flush_statements_belong_to_their_step():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name="ann", addresses=[Address(email="a1")]))
    rec.command("step")  # plans; nothing runs
    assert [e for e in sql_of(rec) if e["step"] is not None] == []
    while rec.snapshot()["flush"]["status"] == "open":
        rec.command("step")
    stepped = [e for e in sql_of(rec) if e["step"] is not None]
    assert [e["step"] for e in stepped] == sorted(e["step"] for e in stepped)
    assert {e["origin"] for e in stepped} <= {"stepped flush", "FlushStepper.step"}
    assert {e["source"] for e in stepped} == {"an inspector button"}


def test_loads_name_the_attribute_and_diagnose_n_plus_one_and_repeats():
    s, _ = new_session()
    s.add_all([User(name="u%d" % i, addresses=[Address(email="e%d" % i)]) for i in range(4)])
    s.commit()
    rec = Recorder(s)
    users = s.scalars(select(User)).all()
    for u in users:
        u.addresses  # noqa: B018 - one lazy load per user
    s.scalars(select(User)).all()
    log = sql_of(rec)
    loads = [e for e in log if e["origin"] == "load of User.addresses"]
    assert len(loads) == 4 and all("u.addresses" in e["source"] for e in loads)
    notes = rec.snapshot()["diagnostics"]
    assert any(n.startswith("N+1: load of User.addresses ran the same SELECT 4 times")
               for n in notes), notes
    assert any(n.startswith("Repeated query: SELECT users.id") for n in notes), notes
    assert not any(n.startswith("Autoflush") for n in notes)


def test_autoflush_before_a_query_is_named():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name="late"))
    s.scalars(select(User)).all()
    notes = rec.snapshot()["diagnostics"]
    assert any(n.startswith("Autoflush: Session.scalars flushed") for n in notes), notes
    s.flush()  # an explicit flush is no autoflush (nothing to flush: no SQL either)
    assert sum(n.startswith("Autoflush") for n in rec.snapshot()["diagnostics"]) == 1


def test_only_this_sessions_connections_are_logged():
    s, engine = new_session()
    rec = Recorder(s)
    other = Session(engine)
    other.add(User(name="other"))
    other.commit()
    assert sql_of(rec) == []
    s.add(User(name="mine"))
    s.commit()
    assert any("'mine'" in e["parameters"] for e in sql_of(rec))
    assert not any("'other'" in e["parameters"] for e in sql_of(rec))


def test_history_is_capped_and_counts_what_it_dropped(monkeypatch):
    monkeypatch.setattr(sqllog, "HISTORY", 5)
    s, _ = new_session()
    rec = Recorder(s)
    for i in range(4):
        s.add(User(name="u%d" % i))
        s.commit()  # BEGIN, INSERT, COMMIT each
    snap = rec.snapshot()
    assert len(snap["sql"]) == 5 and snap["sql_dropped"] == 7
    assert snap["sql"][-1]["seq"] == 12


def test_close_stops_listening_to_the_engine():
    s, engine = new_session()
    rec = Recorder(s)
    s.add(User(name="x"))
    s.commit()
    rec.close()
    from sqlalchemy import event

    from inspector.trace.sqllog import _HOOKS

    assert engine.dialect not in _HOOKS
    assert not event.contains(engine, "before_cursor_execute", rec._sql._before)


def test_a_reload_after_commit_is_no_repeated_query():
    s, _ = new_session()
    rec = Recorder(s)
    u = User(name="u")
    s.add(u)
    s.commit()
    u.name  # noqa: B018 - expired by commit: one SELECT in the second transaction
    s.commit()
    u.name  # noqa: B018 - and the same SELECT in the third
    assert [e["sql"] for e in sql_of(rec)].count(sql_of(rec)[-1]["sql"]) == 2
    assert not any(n.startswith("Repeated") for n in rec.snapshot()["diagnostics"])


def test_a_failed_statement_is_logged_as_failed_with_its_error():
    s, engine = new_session()
    rec = Recorder(s)
    s.add(User(name=None))  # NOT NULL
    try:
        s.commit()
    except Exception as e:  # noqa: BLE001
        error = e
    assert type(error).__name__ == "IntegrityError"
    log = sql_of(rec)
    failed = [e for e in log if e["error"]]
    assert len(failed) == 1 and failed[0]["sql"].startswith("INSERT INTO users")
    assert failed[0]["error"].startswith("IntegrityError: NOT NULL constraint failed")
    assert failed[0]["ms"] is not None and failed[0]["rows"] is None
    assert rec._sql._running == {}  # nothing left running
    s.rollback()
    with engine.connect() as other:  # a failure on a connection the session never used
        try:
            other.exec_driver_sql("SELECT nope")
        except Exception:  # noqa: BLE001
            pass
    assert [e for e in sql_of(rec) if e["error"]] == failed


def test_each_statement_keeps_the_users_stack():
    s, _ = new_session()
    rec = Recorder(s)

    def save(name):
        s.add(User(name=name))
        s.commit()

    save("ann")
    insert = next(e for e in sql_of(rec) if e["sql"].startswith("INSERT"))
    stack = insert["stack"]
    assert stack[-1] == insert["source"] + " (in save)"
    assert "save(\"ann\")" in stack[-2] and "test_each_statement_keeps_the_users_stack" in stack[-2]
    assert all(line.startswith("test_sqllog.py:") for line in stack)  # no pytest, no library


def test_similar_and_duplicate_queries_are_counted():
    s, _ = new_session()
    s.add_all([User(name="a"), User(name="b")])
    s.commit()
    rec = Recorder(s)
    for name in ("a", "b", "a"):
        s.execute(select(User).where(User.name == name)).all()
    s.execute(select(User.id)).all()
    log = [e for e in sql_of(rec) if e["sql"].startswith("SELECT")]
    assert [(e["similar"], e["duplicates"]) for e in log] == [(3, 2), (3, 0), (3, 2), (0, 0)]
    begin = sql_of(rec)[0]
    assert begin["sql"].startswith("BEGIN") and begin["similar"] == begin["duplicates"] == 0


def test_a_step_running_one_statement_row_by_row_is_one_entry():
    s, _ = new_session()
    rec = Recorder(s)
    u = User(name="ann", addresses=[Address(email="e%d" % i) for i in range(500)])
    s.add(u)
    s.commit()
    log = sql_of(rec)
    batch = next(e for e in log if e["sql"].startswith("INSERT INTO addresses"))
    assert (batch["batch"], batch["executions"]) == (500, 500)
    assert batch["parameters"].startswith("500 sets, first ('e0', ")
    whole = rec.full_text("sql:%d" % batch["seq"])
    assert "'e0'" in whole and "'e499'" in whole
    step = rec.snapshot()["flush"]["steps"][batch["step"]]
    st = next(x for x in step["statements"] if x["sql"].startswith("INSERT INTO addresses"))
    assert (st["table"], st["rows"]) == ("addresses", 500)
    for a in u.addresses[:3]:
        a.email = "x"
    s.flush()  # an executemany UPDATE is one entry already: batch 3, one execution
    update = [e for e in sql_of(rec) if e["sql"].startswith("UPDATE")]
    assert [(e["batch"], e["executions"]) for e in update] == [(3, 1)]


def test_the_log_leaves_cores_connection_events_off_and_other_listeners_their_turn():
    # a Core connection-event listener would slow every statement of the engine: the log
    # hears the dialect's do_execute & co. instead, and runs the listeners after it itself
    from sqlalchemy import event

    s, engine = new_session()
    rec, rec2 = Recorder(s), Recorder(s)
    seen = []

    def mine(cursor, statement, parameters, context):
        seen.append(statement.split()[0])

    event.listen(engine, "do_execute", mine)
    s.add(User(name="ann"))
    s.commit()
    assert not engine._has_events
    assert seen == ["INSERT"]
    for r in (rec, rec2):  # both recorders log it
        assert [e["sql"].split()[0] for e in sql_of(r)] == ["BEGIN", "INSERT", "COMMIT"]
    rec.close()
    rec2.close()
    assert engine.dialect not in sqllog._HOOKS
    s.add(User(name="bob"))
    s.commit()
    assert seen == ["INSERT", "INSERT"]
    event.remove(engine, "do_execute", mine)
