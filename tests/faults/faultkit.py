"""Fault injection for the differential scenarios in ``tests/faults/scenarios``.

A scenario is a plain SQLAlchemy script run by ``tests/compat/harness.py`` on both ORMs (the
oracle ``sqlalchemy.orm`` and ``inspector.orm``).  Besides the harness's recording API it uses:

``arm(eng)``
    install a Core ``before_cursor_execute`` hook on the engine that counts the statements
    sent to the database from now on and makes the ``FAULT_AT``-th one fail with the driver's
    ``sqlite3.OperationalError`` (which Core wraps as ``sqlalchemy.exc.OperationalError``, as
    it would a real database failure).  ``FAULT_AT`` is set by the test before each run;
    ``None`` runs without a fault (to count the positions).  SAVEPOINT / RELEASE / ROLLBACK TO
    go through the cursor too, so they are positions as well.  ``arm(eng, commit=True)``
    also makes the Core COMMIT one more position (the ``commit`` event, after the cursor
    statements).
``disarm()``
    remove the hook; records how many positions the armed region had and whether the fault
    fired.
``state(label, session, **objs)``
    a snapshot of what must match between the ORMs: each object's status, identity key,
    membership and loaded ``__dict__`` (read without loading; related objects by name; the
    foreign-key values of objects without an identity are left out: a flush that fails
    half-way leaves on them the keys it had copied so far, and once a flush has a cycle
    SQLAlchemy runs the key copies of one round in set order),
    the identity map's keys (of the objects the script holds), ``session.new/dirty/deleted``,
    the transaction flags, and the committed contents of every table read through a
    separate sqlite3 connection.  It also returns the snapshot so a script can compare two
    points of its own run.
``committed_unchanged(label)``
    records whether the committed tables equal what they were when ``arm()`` was called.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import harness
from sqlalchemy import event

#: position (1-based) of the statement that fails in the next run; None: no fault
FAULT_AT: int | None = None

_armed: dict[str, Any] = {}
_baseline: dict[str, Any] = {}


def _tables() -> dict[str, list[tuple]]:
    run = harness._run()
    out: dict[str, list[tuple]] = {}
    for i, eng in enumerate(run.engines):
        out.update(harness._dump(eng, prefix="" if i == 0 else f"db{i}."))
    return out


def arm(eng: Any, commit: bool = False) -> None:
    """Count the statements sent to ``eng`` from now on; fail the ``FAULT_AT``-th one."""
    if _armed:
        raise RuntimeError("faultkit: already armed")
    counter = {"n": 0, "fired": None}

    def _position(what: str) -> None:
        counter["n"] += 1
        if FAULT_AT is not None and counter["n"] == FAULT_AT:
            counter["fired"] = what
            raise sqlite3.OperationalError(f"injected fault at position {FAULT_AT}")

    def _before(conn, cursor, statement, parameters, context, executemany):
        _position(" ".join(statement.split())[:40])

    def _commit(conn):
        from sqlalchemy.exc import OperationalError

        try:
            _position("COMMIT")
        except sqlite3.OperationalError as e:
            raise OperationalError("COMMIT", (), e) from e

    event.listen(eng, "before_cursor_execute", _before)
    if commit:
        event.listen(eng, "commit", _commit)
    _armed.update(eng=eng, before=_before, commit=_commit if commit else None, counter=counter)
    _baseline["tables"] = _tables()


def disarm() -> int:
    """Remove the hook; record and return the number of positions the armed region had."""
    eng = _armed["eng"]
    event.remove(eng, "before_cursor_execute", _armed["before"])
    if _armed["commit"] is not None:
        event.remove(eng, "commit", _armed["commit"])
    counter = _armed["counter"]
    harness.value("positions", counter["n"])
    harness.value("fault fired at", counter["fired"])
    _armed.clear()
    return counter["n"]


def reset() -> None:
    """Forget any hook of a previous run (the runner calls it before each run)."""
    _armed.clear()
    _baseline.clear()


def fired() -> bool:
    """Whether the armed fault has fired (call before ``disarm()``)."""
    return bool(_armed.get("counter", {}).get("fired"))


def committed_unchanged(label: str) -> bool:
    """Record whether the committed tables are still those seen by ``arm()``."""
    same = _tables() == _baseline["tables"]
    harness.value(f"committed unchanged [{label}]", same)
    return same


def _foreign_keys(cls: type) -> set[str]:
    table = getattr(cls, "__table__", None)
    return {c.key for c in table.columns if c.foreign_keys} if table is not None else set()


def state(label: str, session: Any, **objs: Any) -> tuple:
    """Record (and return) what both ORMs must agree on; see the module docstring."""
    run = harness._run()
    for name, obj in objs.items():
        if obj not in run.names:
            run.names[obj] = name
    models = tuple({type(o) for o in objs.values()})
    per_object = []
    for name, obj in objs.items():
        st = run.inspect(obj)
        fks = _foreign_keys(type(obj)) if st.key is None else ()
        loaded = tuple(
            (k, harness._loaded_value(run, v, models))
            for k, v in sorted(obj.__dict__.items())
            if not k.startswith("_") and k not in fks
        )
        per_object.append((name, harness._status(st), harness._key(st), obj in session, loaded))
    # the identity map is weak: whether an object nobody references is still in it depends
    # on when the garbage (a failed flush's traceback, say) goes, in SQLAlchemy too; only
    # the objects the script holds are listed
    identity = sorted(
        harness._key(run.inspect(o)) + "=" + harness._ref(run, o, models)
        for o in session.identity_map.values()
        if o in run.names
    )
    snap = (
        ("objects", tuple(per_object)),
        ("identity map", tuple(identity)),
        ("new", tuple(sorted(harness._ref(run, o, models) for o in session.new))),
        ("dirty", tuple(sorted(harness._ref(run, o, models) for o in session.dirty))),
        ("deleted", tuple(sorted(harness._ref(run, o, models) for o in session.deleted))),
        ("flags", (session.is_active, session.in_transaction(),
                   session.in_nested_transaction())),
        ("committed", tuple(sorted(_tables().items()))),
    )
    run.add("value", f"state [{label}]", snap)
    return snap
