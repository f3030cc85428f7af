# trace/recorder.py
"""The flight recorder: listens to a Session's events and builds frozen snapshots of it.

It only reads: the public session API, ``inspect(obj)`` and event arguments.  Events only
mark the recorder stale, note a sentence and schedule one *coalesced* push: a single snapshot
is built on the cells' event loop :data:`PUSH_DELAY` seconds after the first change (and after
every command and notebook cell), and the same dict goes to every subscriber.  An attached
recorder therefore costs little during a large flush.

:func:`recorder_for` gives the one recorder of a session that every inspector of that session
shares, so all views show the same snapshot (same ``seq``) whoever changed the session.
"""

from __future__ import annotations

import collections
import itertools
import weakref
from collections.abc import Callable
from typing import Any

from ..cell_thread import CellThread
from ..orm import FlushStepper, event, inspect
from .dot import plan_dot
from .snapshot import (
    AttributeView,
    EdgeView,
    FlushView,
    NodeView,
    ObjectView,
    SessionSnapshot,
    SqlView,
    StatementView,
    StepView,
    TransactionView,
    to_json,
)
from .sqllog import SqlLog

_MAX_REPR = 80

#: the statuses of an object the session holds; transient and detached ones have left it
_HELD = frozenset(("pending", "persistent", "deleted"))

#: seconds between the first change and the push that carries it (and every change after it)
PUSH_DELAY = 0.03

_EVENTS = (
    "after_transaction_create", "after_transaction_end", "after_begin", "after_commit",
    "after_rollback", "after_attach", "pending_to_persistent", "persistent_to_deleted",
    "deleted_to_detached", "persistent_to_detached", "pending_to_transient",
    "deleted_to_persistent", "persistent_to_transient", "detached_to_persistent",
    "after_bulk_update", "after_bulk_delete", "flush_planned", "flush_step_started",
    "flush_step", "flush_finished",
)


def _database(connection: Any) -> str:
    """Which database a connection talks to, as its URL without the password."""
    try:
        return connection.engine.url.render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a view must not fail on an odd connection
        return "?"


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as e:  # a broken __repr__ must not break the recorder
        text = "<repr failed: %s>" % type(e).__name__
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 1] + "…"


class Recorder:
    """Snapshots of one session, narration of what happened, and the stepper commands.

    It is the *source* a :class:`~inspector.widgets.SessionInspectorWidget` follows
    (``snapshot()``, ``subscribe()``, ``command()``; see ``docs/contracts.md``).
    """

    def __init__(self, session: Any, max_events: int = 30) -> None:
        self.session = session
        self._ids: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._seen: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self._counter = itertools.count(1)
        self._seq = itertools.count(1)
        self._events: collections.deque = collections.deque(maxlen=max_events)
        self._subscribers: list[Callable[[dict], None]] = []
        self._plan: Any = None
        self._records: list[Any] = []
        self._flush_status = "complete"
        self._flush_error: str | None = None
        self._stepper: FlushStepper | None = None
        self._stale = True
        self._closed = False
        self._cell = CellThread()  # where events fire and snapshots are built
        self._push_handle: Any = None
        self._last_pushed: dict | None = None
        self._sql = SqlLog()
        self._sql.on_change = self._changed
        for trans in session.transaction_stack():  # attached inside a transaction
            for conn in trans.connections:
                self._sql.watch(conn, begun=False)
        self._listeners = []
        for name in _EVENTS:
            fn = self._make_listener(name)
            event.listen(session, name, fn)
            self._listeners.append((name, fn))
        _CellHook.add(self)
        open_stepper = session.flush_stepper
        if open_stepper is not None:  # attached while a stepped flush is open: pick it up
            # (not held: the user's stepper must stay collectable, so abandoning it aborts)
            self._plan = open_stepper.plan
            self._records = open_stepper.executed
            self._flush_status = "open"
            self._sql.flush_started()

    # -- events ----------------------------------------------------------------------
    def _make_listener(self, name: str) -> Callable:
        handler = getattr(self, "_on_" + name, None)

        def listener(*args: Any) -> None:
            if handler is not None:
                handler(*args)
            else:
                self._events.append((name, args[1:] if len(args) > 1 else ()))
            self._changed()

        return listener

    def _changed(self) -> None:
        """Something happened: push once, :data:`PUSH_DELAY` s from the first unpushed change."""
        self._stale = True
        if self._push_handle is None and self._subscribers and not self._closed:
            self._push_handle = self._cell.call_later(PUSH_DELAY, self._push_pending)

    def _push_pending(self) -> None:
        self._push_handle = None
        if self._stale:
            self.push()

    def _on_flush_planned(self, session: Any, plan: Any) -> None:
        self._plan = plan
        self._records = []
        self._flush_status = "open"
        self._flush_error = None
        self._events.append(("flush_planned", (len(plan.steps),)))
        self._sql.flush_started()
        for state in plan.states:
            obj = state.obj()
            if obj is not None:
                self._id_for(obj)

    def _on_flush_step_started(self, session: Any, plan: Any, index: int) -> None:
        self._sql.step_started(index)

    def _on_flush_step(self, session: Any, plan: Any, record: Any) -> None:
        self._sql.step_ended()
        if plan is self._plan:
            self._records.append(record)
        self._events.append(("flush_step", (record.step.label, len(record.statements))))

    def _on_flush_finished(self, session: Any, plan: Any, error: Any) -> None:
        if plan is not self._plan:
            return
        self._sql.flush_ended()
        if error is None:
            self._flush_status = "complete"
        elif error == "aborted":
            self._flush_status = "aborted"
        else:
            self._flush_status = "failed"
            self._flush_error = "%s: %s" % (type(error).__name__, error)
        self._events.append(("flush_finished", (self._flush_status,)))

    def _on_after_commit(self, session: Any) -> None:
        # also fired when a SAVEPOINT is released: then the nested transaction is still open
        self._events.append(("after_commit", (session.get_nested_transaction() is not None,)))

    def _on_after_rollback(self, session: Any) -> None:
        self._events.append(("after_rollback", (session.get_nested_transaction() is not None,)))

    def _on_after_begin(self, session: Any, transaction: Any, connection: Any) -> None:
        self._sql.watch(connection, begun=transaction.kind != "nested")
        self._events.append(("after_begin", (transaction, connection)))

    def _on_after_attach(self, session: Any, obj: Any) -> None:
        self._id_for(obj)
        self._events.append(("after_attach", (obj,)))

    def _on_after_bulk_update(self, context: Any) -> None:  # legacy Query.update()
        self._events.append(("after_bulk_update", (context.result.rowcount,)))

    def _on_after_bulk_delete(self, context: Any) -> None:  # legacy Query.delete()
        self._events.append(("after_bulk_delete", (context.result.rowcount,)))

    # -- ids -----------------------------------------------------------------------------
    def _id_for(self, obj: Any) -> str:
        state = inspect(obj)
        oid = self._ids.get(state)
        if oid is None:
            oid = self._ids[state] = "o%d" % next(self._counter)
            try:
                self._seen[oid] = obj
            except TypeError:
                pass
        return oid

    # -- the source protocol ---------------------------------------------------------------
    def subscribe(self, callback: Callable[[dict], None]) -> Callable[[], None]:
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def snapshot(self) -> dict:
        """The session now, as the plain dict widgets sync."""
        return to_json(self.take())

    def command(self, name: str) -> None:
        """``step`` / ``run`` / ``abort`` a stepped flush of the session.

        Call it on the thread that uses the session (widgets hand their button presses to
        that thread).  Every subscriber gets the resulting snapshot before this returns, also
        when the command fails.
        """
        try:
            stepper = self.session.flush_stepper
            if name == "step":
                if stepper is None:
                    self._stepper = FlushStepper(self.session)
                else:
                    stepper.step()
            elif name == "run":
                if stepper is None:
                    stepper = self._stepper = FlushStepper(self.session)
                stepper.run()
            elif name == "abort":
                if stepper is None:
                    raise RuntimeError("No stepped flush is open: press Step to start one")
                stepper.abort()
            else:
                raise ValueError("unknown command %r" % name)
        finally:
            self.push()

    @property
    def stepper(self) -> FlushStepper | None:
        return self.session.flush_stepper

    @property
    def push_mode(self) -> str:
        """``"event loop"``: changes are pushed by themselves (in a kernel); ``"inline"``: only
        commands, :meth:`push` and notebook cells push (plain Python has no loop to wait on)."""
        return self._cell.mode

    def push(self) -> None:
        """Send one fresh snapshot, the same dict, to every subscriber."""
        if self._push_handle is not None:  # this push carries the pending changes too
            self._push_handle.cancel()
            self._push_handle = None
        if not self._subscribers or self._closed:
            return
        snap = self.snapshot()
        self._last_pushed = snap
        for cb in list(self._subscribers):
            cb(snap)

    def _post_run_cell(self) -> None:
        # attribute changes fire no session event: look once per executed cell, and push
        # only when the session looks different from the last push
        if not self._subscribers or self._closed:
            return
        last = self._last_pushed
        snap = self.snapshot()
        if last is not None and {**snap, "seq": None} == {**last, "seq": None}:
            return
        if self._push_handle is not None:
            self._push_handle.cancel()
            self._push_handle = None
        self._last_pushed = snap
        for cb in list(self._subscribers):
            cb(snap)

    def close(self) -> None:
        """Stop listening to the session (and stop being its shared recorder)."""
        self._closed = True
        if self._push_handle is not None:
            self._push_handle.cancel()
            self._push_handle = None
        for name, fn in self._listeners:
            event.remove(self.session, name, fn)
        self._listeners = []
        self._sql.close()
        _CellHook.discard(self)
        entry = _SHARED.get(self.session)
        if entry is not None and entry() is self:
            del _SHARED[self.session]
        self._subscribers.clear()

    def __repr__(self) -> str:
        return "<Recorder of Session %s, %d subscriber(s), pushes: %s%s>" % (
            getattr(self.session, "hash_key", "?"), len(self._subscribers), self.push_mode,
            ", closed" if self._closed else "",
        )

    # -- building snapshots ---------------------------------------------------------------
    def take(self) -> SessionSnapshot:
        sess = self.session
        new_ids = [self._id_for(o) for o in sess.new]
        dirty_ids = [self._id_for(o) for o in sess.dirty]
        deleted_ids = [self._id_for(o) for o in sess.deleted]
        for obj in sess.identity_map.values():
            self._id_for(obj)
        objects = []
        for oid, obj in sorted(self._seen.items(), key=lambda kv: int(kv[0][1:])):
            objects.append(self._object_view(oid, obj))
        self._stale = False
        return SessionSnapshot(
            seq=next(self._seq),
            session="Session %d" % sess.hash_key,
            objects=tuple(objects),
            new=tuple(new_ids),
            dirty=tuple(dirty_ids),
            deleted=tuple(deleted_ids),
            transactions=tuple(self._transaction_views()),
            flush=self._flush_view(),
            events=tuple(self._narrate(e) for e in self._events),
            sql=tuple(
                SqlView(seq=e.seq, sql=e.sql, parameters=e.parameters, rows=e.rows,
                        batch=e.batch, ms=None if e.ms is None else round(e.ms, 3),
                        origin=e.origin, source=e.source, step=e.step, in_flush=e.in_flush,
                        flush=e.flush)
                for e in self._sql.entries
            ),
            sql_dropped=self._sql.dropped,
            diagnostics=tuple(self._sql.diagnostics()),
        )

    def _label(self, obj: Any) -> str:
        state = inspect(obj)
        name = type(obj).__name__
        if state.key is not None:
            return "%s(%s)" % (name, ", ".join(_short_repr(v) for v in state.key[1]))
        oid = self._ids.get(state)
        return "%s %s" % (name, oid or "(new)")

    def _object_view(self, oid: str, obj: Any) -> ObjectView:
        state = inspect(obj)
        mapper = state.mapper
        d = state.dict
        attrs = []
        for key in mapper.attrs:
            is_rel = key in mapper.relationships
            hist = state.attrs[key].history
            if key in d:
                value = d[key]
                if is_rel:
                    text = ("[%s]" % ", ".join(self._label(v) for v in (
                                value.values() if isinstance(value, dict) else value))
                            if isinstance(value, (list, set, dict))
                            else ("None" if value is None else self._label(value)))
                else:
                    text = _short_repr(value)
            elif key in state.expired_attributes:
                text = "<expired>"
            else:
                text = "<not loaded>"

            def fmt(values: Any, rel: bool = is_rel) -> tuple[str, ...]:
                return tuple(
                    (self._label(v) if rel and v is not None else _short_repr(v))
                    for v in values
                )

            attrs.append(AttributeView(
                name=key,
                kind="relationship" if is_rel else "column",
                value=text,
                changed=hist.has_changes(),
                added=fmt(hist.added),
                deleted=fmt(hist.deleted),
            ))
        return ObjectView(
            id=oid,
            cls=type(obj).__name__,
            label=self._label(obj),
            identity=None if state.key is None else _short_repr(state.key[1]),
            status=state.status,
            modified=bool(state.modified),
            expired=tuple(sorted(state.expired_attributes)),
            attributes=tuple(attrs),
            in_session=state.status in _HELD,
        )

    def _transaction_views(self) -> list[TransactionView]:
        return [
            TransactionView(
                id="t%d" % t.id,
                kind=t.kind,
                status=t.status,
                connections=len(t.connections),
                new=len(t._new) if t._is_transaction_boundary else 0,
                deleted=len(t._deleted) if t._is_transaction_boundary else 0,
                origin=t.origin.name.lower(),
                binds=tuple(_database(c) for c in t.connections),
            )
            for t in self.session.transaction_stack()
        ]

    def _flush_view(self) -> FlushView | None:
        plan = self._plan
        if plan is None:
            return None
        cursor = len(self._records)
        status = self._flush_status
        step_of: dict[str, int] = {}
        steps = []
        for step in plan.steps:
            i = step.index
            if i < cursor:
                state = "done"
            elif i == cursor and status == "open":
                state = "current"
            elif i == cursor and status == "failed":
                state = "failed"
            else:
                state = "pending"
            statements: tuple[StatementView, ...] = ()
            synced: tuple[str, ...] = ()
            if i < cursor:
                rec = self._records[i]
                statements = tuple(
                    StatementView(
                        sql=s.sql,
                        parameters=_short_repr(s.parameters if len(s.parameters) > 1
                                               else s.parameters[0]),
                        rowcount=s.rowcount,
                        keys=tuple(_short_repr(k) for k in s.keys),
                    )
                    for s in rec.statements
                )
                synced = tuple(
                    "%s.%s = %s" % (self._label_state(st), key, _short_repr(val))
                    for st, key, val in rec.synced
                )
            ids = []
            for st in step.states:
                obj = st.obj()
                if obj is not None:
                    ids.append(self._id_for(obj))
            for node in step.node_ids:
                step_of[node] = i
            steps.append(StepView(
                index=i,
                node=step.node_ids[0],
                kind=step.kind,
                label=step.label,
                mapper=step.mapper.class_.__name__,
                objects=tuple(ids),
                state=state,
                statements=statements,
                synced=synced,
            ))
        graph = plan.graph
        groups = plan.split_groups()
        unresolved = plan.unresolved
        nodes = []
        for act in graph.nodes:
            idx = step_of.get(act.node_id)
            state = steps[idx].state if idx is not None else "pending"
            label = act.label() if idx is None else "%d. %s" % (idx + 1, act.label())
            if idx is not None and len(steps[idx].objects) > 1 and \
                    steps[idx].kind != "cycle":  # a batch: say how big
                label += "\n%d objects" % len(steps[idx].objects)
            nodes.append({"id": act.node_id, "label": label, "kind": act.kind, "state": state,
                          "order": idx if idx is not None else 1 << 30,
                          "per_object": act.per_object, "group": groups.get(act, ""),
                          "cycle": act in unresolved})
        nodes.sort(key=lambda n: (n["order"], n["id"]))
        edges = [EdgeView(a.node_id, b.node_id, data.get("reason", ""),
                          a in unresolved and b in unresolved)
                 for a, b, data in graph.edges(data=True)]
        edges.sort(key=lambda e: (e.source, e.target))
        dot = plan_dot(nodes, [{"source": e.source, "target": e.target, "reason": e.reason,
                                "cycle": e.cycle} for e in edges])
        return FlushView(
            status=status,
            cursor=cursor,
            steps=tuple(steps),
            edges=tuple(edges),
            cycles=tuple(tuple(c) for c in plan.cycles),
            dot=dot,
            error=self._flush_error,
            number=self._sql.flushes,
            nodes=tuple(NodeView(n["id"], n["label"], n["kind"], n["per_object"], n["group"],
                                 n["cycle"]) for n in nodes),
        )

    def _label_state(self, state: Any) -> str:
        obj = state.obj()
        return self._label(obj) if obj is not None else state.class_.__name__

    # -- narration ------------------------------------------------------------------------
    def _narrate(self, entry: tuple[str, tuple]) -> str:
        name, args = entry
        from .narrate import sentence

        return sentence(name, args, self._describe)

    def _describe(self, obj: Any) -> str:
        try:
            return self._label(obj)
        except Exception:
            return _short_repr(obj)


# -- one recorder per session ------------------------------------------------------------------
# session -> weak reference to its shared recorder.  The session keeps the recorder alive (its
# event listeners hold it) and the recorder holds the session: a plain cycle, collected with the
# session once no widget or user variable refers to either.
_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def recorder_for(session: Any) -> Recorder:
    """The recorder every inspector of ``session`` shares (created on first use)."""
    entry = _SHARED.get(session)
    recorder = entry() if entry is not None else None
    if recorder is None or recorder._closed:
        recorder = Recorder(session)
        _SHARED[session] = weakref.ref(recorder)
    return recorder


class _CellHook:
    """One IPython ``post_run_cell`` hook for every live recorder, holding them weakly (a
    bound method registered per recorder would keep each recorder and its session forever)."""

    _recorders: weakref.WeakSet = weakref.WeakSet()
    _registered_with: Any = None

    @classmethod
    def add(cls, recorder: Recorder) -> None:
        cls._recorders.add(recorder)
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dependency of the widgets
            return
        ip = get_ipython()
        if ip is not None and cls._registered_with is not ip:
            ip.events.register("post_run_cell", cls._post_run_cell)
            cls._registered_with = ip

    @classmethod
    def discard(cls, recorder: Recorder) -> None:
        cls._recorders.discard(recorder)

    @classmethod
    def _post_run_cell(cls, *args: Any) -> None:
        for recorder in list(cls._recorders):
            if recorder._cell.is_current():
                recorder._post_run_cell()
