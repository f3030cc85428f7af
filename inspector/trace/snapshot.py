# trace/snapshot.py
"""Frozen, JSON-ready views of a Session at one instant: the only data widgets ever see.

Every value that came from user data is already turned into text (``repr``), so a
snapshot never aliases a live object and later changes cannot rewrite it.  Call
:func:`to_json` for the plain ``dict`` that widgets sync.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

#: the five lifecycle statuses of an object, in the order a newcomer meets them
STATUSES = ("transient", "pending", "persistent", "deleted", "detached")


@dataclass(frozen=True)
class AttributeView:
    """One mapped attribute of one object, with its history since the last flush."""

    name: str
    kind: str  # "column" | "relationship"
    value: str  # repr of the current value ("<expired>" / "<not loaded>" when not in __dict__)
    changed: bool
    added: tuple[str, ...] = ()  # history: values set since the last flush
    deleted: tuple[str, ...] = ()  # history: the values they replaced


@dataclass(frozen=True)
class ObjectView:
    """One object the session holds, or held since the recorder started (``in_session``)."""

    id: str  # stable per object for the recorder's lifetime, e.g. "o3"
    cls: str  # class name
    label: str  # short human label, e.g. "User(1)" or "User (pending)"
    identity: str | None  # identity key as text, e.g. "(1,)"; None before the first flush
    status: str  # one of STATUSES
    modified: bool
    expired: tuple[str, ...]  # names of expired attributes
    attributes: tuple[AttributeView, ...]
    #: False once the object left the session (rolled back to transient, expunged, detached):
    #: views list it apart from what the session holds
    in_session: bool = True


@dataclass(frozen=True)
class RollbackView:
    """What a rollback of one transaction level would restore (at the snapshot's instant).

    Lists are capped (:data:`inspector.trace.recorder.PREVIEW_CAP` entries each); ``more``
    counts what was left out.
    """

    level: str  # the TransactionView id whose snapshot is restored (a subtransaction's parent)
    to_transient: tuple[str, ...] = ()  # ObjectView ids expunged back to transient
    undeleted: tuple[str, ...] = ()  # ObjectView ids that come back from deleted
    restored: tuple[str, ...] = ()  # e.g. "User(1).name: 'new' → 'old'" (unflushed changes)
    reloaded: tuple[str, ...] = ()  # ObjectView ids whose flushed UPDATEs are undone
    keys: tuple[str, ...] = ()  # e.g. "User(2) gets identity (1,) back"
    expired: int = 0  # objects whose attributes expire (reload from the database)
    expires_all: bool = False  # the root level: every object in the identity map expires
    more: int = 0  # entries left out of the lists above
    to_transient_total: int = 0  # how many go back to transient (the list is capped)
    undeleted_total: int = 0  # how many come back from deleted


@dataclass(frozen=True)
class TransactionView:
    """One level of the transaction stack, outermost first."""

    id: str  # stable per transaction, e.g. "t2"
    kind: str  # "root" | "subtransaction" | "nested"
    status: str  # "active" | "prepared" | "committed" | "deactive" | "closed"
    connections: int  # connections (Core transactions) this level holds
    new: int = 0  # objects added while this level was innermost (snapshot accounting)
    deleted: int = 0
    origin: str = ""  # what began it: "autobegin" | "begin" | "begin_nested" | "subtransaction"
    binds: tuple[str, ...] = ()  # the database of each connection it holds (passwords hidden)
    savepoint: str = ""  # the SAVEPOINT name(s) a nested level emitted, e.g. "sa_savepoint_1"
    rollback: RollbackView | None = None  # what its rollback would restore (None: inactive)


@dataclass(frozen=True)
class StatementView:
    """One SQL statement executed by a flush step."""

    sql: str
    parameters: str  # repr of the parameter set(s)
    rowcount: int | None
    keys: tuple[str, ...] = ()  # primary keys generated, as text
    table: str = ""  # the table written
    rows: int = 1  # parameter sets (rows) of the batch
    executions: int = 1  # cursor executions: 1 for one statement or one executemany


@dataclass(frozen=True)
class SqlView:
    """One entry of the session's SQL log: a statement, or BEGIN / COMMIT / ROLLBACK."""

    seq: int  # 1, 2, ... for the recorder's lifetime (gaps: older entries dropped)
    sql: str  # the statement text, whitespace collapsed
    parameters: str  # repr of the parameters ("N sets, first {...}" for an executemany)
    rows: int | None  # rows affected (None: unknown, e.g. a SELECT on SQLite)
    batch: int  # parameter sets sent at once (executemany, or folded executions); 1 otherwise
    ms: float | None  # duration in milliseconds (None: still running or failed)
    origin: str  # the ORM call behind it, e.g. "Session.commit", "attribute load"
    source: str  # the user's line, e.g. "cell, line 3: s.commit()"; "" when unknown
    step: int | None  # index of the flush plan step that ran it, if any
    in_flush: bool  # run inside a flush (a step, or the flush's own loads)
    flush: int = 0  # which flush ran it (FlushView.number); 0: none
    error: str | None = None  # "IntegrityError: ..." when the statement failed
    stack: tuple[str, ...] = ()  # the user's frames that led to it, outermost first
    similar: int = 0  # statements of the log with this SQL (0: no other)
    duplicates: int = 0  # statements of the log with this SQL and these parameters (0: none)
    #: cursor executions this entry stands for: a flush step that runs one statement row by
    #: row (fetching each row's key) is one entry "× rows", not one entry per row
    executions: int = 1


@dataclass(frozen=True)
class StepView:
    """One node of the flush plan, in execution order."""

    index: int
    node: str  # graph node id, also used in the DOT text
    kind: str  # "save" | "delete" | "process" (dependency) | "post-update" | "association"
    label: str  # e.g. "INSERT/UPDATE User", "sync User.addresses -> Address.user_id"
    mapper: str  # class name
    objects: tuple[str, ...]  # ObjectView ids this step touches
    state: str  # "pending" | "current" | "done" | "failed"
    statements: tuple[StatementView, ...] = ()  # filled once executed
    synced: tuple[str, ...] = ()  # e.g. "Address(pending).user_id = 1"


@dataclass(frozen=True)
class EdgeView:
    source: str
    target: str
    reason: str
    cycle: bool = False  # part of a cycle no order resolves (drawn highlighted)


@dataclass(frozen=True)
class NodeView:
    """One node of the plan graph (a step may run several: a batch)."""

    id: str
    label: str
    kind: str  # as StepView.kind
    per_object: bool = False  # one object's action: a class's actions split by a cycle
    group: str = ""  # the broken cycle it came from, "cycle on Node: split into per-row steps"
    cycle: bool = False  # in a cycle no order resolves (CircularDependencyError)


@dataclass(frozen=True)
class FlushView:
    """A flush plan and how far it has run."""

    status: str  # "open" | "complete" | "aborted" | "failed"
    cursor: int  # index of the next step to run (== len(steps) when all ran)
    steps: tuple[StepView, ...]
    edges: tuple[EdgeView, ...]
    cycles: tuple[tuple[str, ...], ...]
    dot: str  # DOT text of the plan graph, the cursor step highlighted
    error: str | None = None
    number: int = 0  # 1, 2, ... per recorder: the flush SqlView.flush refers to
    nodes: tuple[NodeView, ...] = ()  # every node of the graph (steps hold the ordered ones)
    #: what the plan cannot order, as sentences (a foreign key with no relationship())
    diagnostics: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventView:
    """One sentence of narration and where it happened, for grouping by cell and flush."""

    text: str
    cell: int | None = None  # the notebook cell's execution count (None: outside a cell)
    flush: int = 0  # the flush it belongs to (FlushView.number); 0: none
    command: str = ""  # the inspector command that caused it ("step", "run_to", ...), if any


@dataclass(frozen=True)
class SessionSnapshot:
    """Everything a widget shows about one session at one instant."""

    seq: int  # increases with every snapshot of this recorder
    session: str  # e.g. "Session 1"
    objects: tuple[ObjectView, ...]  # identity map + pending + deleted, stable order
    new: tuple[str, ...]  # ObjectView ids
    dirty: tuple[str, ...]
    deleted: tuple[str, ...]
    transactions: tuple[TransactionView, ...]  # outermost first; empty when none begun
    flush: FlushView | None  # the open or last flush plan
    #: recent narration, newest last: one sentence each, with its cell, flush and command
    narration: tuple[EventView, ...] = ()
    sql: tuple[SqlView, ...] = ()  # the session's SQL log, oldest first (capped)
    sql_dropped: int = 0  # older log entries no longer kept
    diagnostics: tuple[str, ...] = ()  # N+1 loads, repeated queries, autoflushes, as sentences
    version: int = field(default=SCHEMA_VERSION)


def to_json(snapshot: SessionSnapshot, cached: dict[str, Any] | None = None) -> dict[str, Any]:
    """The snapshot as plain dicts, lists, strings and numbers.

    ``cached`` maps a field name to its JSON already built (a recorder passes the per-object
    dicts it keeps for unchanged objects, so an unchanged object is the *same* dict in two
    snapshots and a diff of the two skips it by identity).
    """
    out: dict[str, Any] = {}
    for f in dataclasses.fields(snapshot):
        if cached is not None and f.name in cached:
            out[f.name] = cached[f.name]
        elif f.name == "objects":
            out[f.name] = [object_json(o) for o in snapshot.objects]
        else:
            out[f.name] = _plain(getattr(snapshot, f.name))
    return out


def object_json(view: ObjectView) -> dict[str, Any]:
    """One :class:`ObjectView` as the dict :func:`to_json` puts in ``objects`` (built by hand:
    ``dataclasses.asdict`` costs several times more, and a snapshot may hold 10,000 of them)."""
    return {
        "id": view.id,
        "cls": view.cls,
        "label": view.label,
        "identity": view.identity,
        "status": view.status,
        "modified": view.modified,
        "expired": list(view.expired),
        "attributes": [
            {"name": a.name, "kind": a.kind, "value": a.value, "changed": a.changed,
             "added": list(a.added), "deleted": list(a.deleted)}
            for a in view.attributes
        ],
        "in_session": view.in_session,
    }


def object_view(data: dict[str, Any]) -> ObjectView:
    """The :class:`ObjectView` whose :func:`object_json` is ``data``."""
    return ObjectView(
        id=data["id"],
        cls=data["cls"],
        label=data["label"],
        identity=data["identity"],
        status=data["status"],
        modified=data["modified"],
        expired=tuple(data["expired"]),
        attributes=tuple(
            AttributeView(name=a["name"], kind=a["kind"], value=a["value"], changed=a["changed"],
                          added=tuple(a["added"]), deleted=tuple(a["deleted"]))
            for a in data["attributes"]
        ),
        in_session=data["in_session"],
    )


_LEAVES = frozenset((str, int, float, bool, type(None)))


#: type -> its dataclass field names (None: not a dataclass), found once per type
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _plain(value: Any) -> Any:
    t = type(value)
    if t in _LEAVES:
        return value
    names = _FIELD_NAMES.get(t, ())
    if names == ():
        names = _FIELD_NAMES[t] = (
            tuple(f.name for f in dataclasses.fields(value))
            if dataclasses.is_dataclass(value) and not isinstance(value, type) else None)
    if names is not None:  # (a plan of 2,000 nodes has 5,000 node and edge views)
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        # (a step's 10,000 object ids: a copy, not a call each)
        return [v if type(v) in _LEAVES else _plain(v) for v in value]
    return value
