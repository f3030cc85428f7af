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
import re
import weakref
from collections.abc import Callable
from typing import Any

from ..cell_thread import CellThread
from ..orm import FlushStepper, event, inspect
from ..orm.base import gc_paused
from ..orm.state import instance_state
from ..orm.stepper import step_touches
from . import bigplan
from .diagnose import unordered_foreign_keys
from .dot import plan_dot
from .narrate import sentence
from .snapshot import (
    EdgeView,
    EventView,
    FlushView,
    NodeView,
    RollbackView,
    SessionSnapshot,
    StatementView,
    StepView,
    TransactionView,
    _plain,
    object_view,
    to_json,
)
from .sqllog import SqlLog, observed_executions
from .text import WHOLE, clip, error_text, safe_repr, visible, whole_repr

_MAX_REPR = 80

#: how a DetachedInstanceError names the object and the attribute (loading.py's messages)
_INSTANCE = re.compile(r"<(\w+) at (0x[0-9a-fA-F]+)>")
_ATTRIBUTE = re.compile(r"attribute '(\w+)'")

#: entries each list of a rollback preview (RollbackView) keeps
PREVIEW_CAP = 50

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
    "flush_step", "flush_finished", "expired_load",
)

#: states kept waiting for an id (or their leaving for _left) before they are filed anyway
#: (filing costs a weak reference each: paid when read, or by then)
_UNNAMED_MAX = 100_000

#: commits whose expired objects wait to be filed (each holds its identity map's states)
_EXPIRY_EPOCHS = 4

#: events that fire once per object, each (session, object): see _one_object_listener
_ONE_OBJECT = frozenset((
    "after_attach", "pending_to_persistent", "persistent_to_deleted", "deleted_to_detached",
    "persistent_to_detached", "pending_to_transient", "deleted_to_persistent",
    "persistent_to_transient", "detached_to_persistent",
))

#: key copies a flush step narrates one by one before it only counts the rest
_MAX_SYNC_SENTENCES = 3


def _database(connection: Any) -> str:
    """Which database a connection talks to, as its URL without the password."""
    try:
        return clip(visible(connection.engine.url.render_as_string(hide_password=True)), 200)
    except Exception:  # noqa: BLE001 - a view must not fail on an odd connection
        return "?"


def _short_repr(value: Any) -> str:
    """A value as the views show it: never raises, controls made visible, cut at
    :data:`_MAX_REPR` (the whole text: :meth:`Recorder.full_text`)."""
    if _plain_value(value) or (type(value) is tuple and all(map(_plain_value, value))):
        # what safe_repr gives, sooner: repr() of these never fails, and a str's repr already
        # escapes every control and invisible character visible() would
        text = repr(value)
        return text if len(text) <= _MAX_REPR else clip(text, _MAX_REPR)
    return safe_repr(value, _MAX_REPR)


def _plain_value(value: Any) -> bool:
    t = type(value)
    return t is str or t in _PLAIN_REPR or (t is int and -_BIG_INT < value < _BIG_INT)


#: types whose repr() is short, plain text that never fails
_PLAIN_REPR = frozenset((bool, float, type(None)))
_BIG_INT = 10 ** 60


#: the one empty list every snapshot object shares for "expired", "added" and "deleted" when
#: there are none (never changed in place: snapshots are read only): 10,000 objects hold
#: 70,000 fewer containers, and every garbage collection of the process walks that many less
_NONE: list = []

_SCALARS = frozenset((str, int, float, bool, bytes, type(None)))
_ABSENT = object()


def _expired_names(state: Any) -> Any:
    """The state's expired attribute names, without making the empty set the ORM makes on
    first use of ``expired_attributes`` (one object more per state to collect)."""
    expired = getattr(state, "_expired", _ABSENT)
    return state.expired_attributes if expired is _ABSENT else (expired or ())


def _fingerprint(state: Any, d: dict | None = None, keys: Any = None) -> tuple:
    """What an object's view is made of, cheaply: its status, key, change marks, expired names
    and the identity of each loaded value (members of a collection too; plain values by value).
    Equal fingerprints: the cached view still holds.  It reads state only, so the ORM pays
    nothing for it; holding ids (not objects) keeps weakly referenced objects collectable.
    ``d``, ``keys``: the object's ``__dict__`` and its mapper's attribute names, when known."""
    if d is None:
        d = state.dict
    expired = _expired_names(state)
    parts = [state.status, state.key, state.modified, len(state.committed_state),
             len(state._pending_mutations), frozenset(expired) if expired else None]
    get = d.get
    for key in state.mapper.attrs if keys is None else keys:
        v = get(key, _ABSENT)
        t = type(v)
        if t in _SCALARS:
            parts.append(v)
        elif isinstance(v, (list, set, frozenset, tuple)):
            parts.append((id(v), tuple(map(id, v))))
        elif isinstance(v, dict):
            parts.append((id(v), tuple(map(id, v.values()))))
        else:
            parts.append(id(v))
    return tuple(parts)


class Recorder:
    """Snapshots of one session, narration of what happened, and the stepper commands.

    It is the *source* a :class:`~inspector.widgets.SessionInspectorWidget` follows
    (``snapshot()``, ``subscribe()``, ``command()``; see ``docs/contracts.md``).
    """

    def __init__(self, session: Any, max_events: int = 30) -> None:
        self.session = session
        self._ids: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._seen: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        #: states seen by events, in order, not yet given an id: ids are given when something
        #: reads them (a snapshot), in this order, so a flush of 10,000 objects pays a list
        #: append each instead of two weak maps each (see _name_unnamed)
        self._unnamed: list = []
        #: state, the event that took it out of the session, state, ...: not yet in _left
        self._left_unfiled: list = []
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
        self._command = ""  # the inspector command running ("" when none)
        self._synced_marks = set()
        self._unordered_cache: tuple | None = None
        self._plan_cache: tuple | None = None  # (plan, its parts: _plan_parts)
        #: state -> what expired it ("commit()", ...), until its next reload
        self._expired_by: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        #: (states, cause) of commits not yet filed in _expired_by (in order; see _expired)
        self._expired_unfiled: list[tuple[list, str]] = []
        #: state -> the event that took it out of the session ("persistent_to_detached", ...)
        self._left: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._cell = CellThread()  # where events fire and snapshots are built
        self._push_handle: Any = None
        self._last_pushed: dict | None = None
        # oid -> [fingerprint, its JSON, its ObjectView or None]: unchanged objects are not rebuilt
        self._views: dict[str, list] = {}
        self._flush_cache: tuple[Any, FlushView | None, Any] = (None, None, None)
        self._plans: dict[Any, list[tuple[str, bool]]] = {}
        self._keys: dict[Any, tuple[str, ...]] = {}
        self._sql = SqlLog()
        self._sql.on_change = self._changed
        for trans in session.transaction_stack():  # attached inside a transaction
            for conn in trans.connections:
                self._sql.watch(conn, begun=False)
        self._listeners = []
        for name in _EVENTS:
            fn = self._make_listener(name)
            event.listen(session, name, fn, raw=name in _ONE_OBJECT)
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
        if name in _ONE_OBJECT:
            return self._one_object_listener(name)
        handler = getattr(self, "_on_" + name, None)

        def listener(*args: Any) -> None:
            if handler is not None:
                handler(*args)
            else:
                self._note(name, args[1:] if len(args) > 1 else ())
            self._changed()

        return listener

    def _one_object_listener(self, name: str) -> Callable:
        """The listener of an event that fires once per object (10,000 times as a session of
        10,000 objects closes): what the generic listener, :meth:`_note` and :meth:`_changed`
        do, in one call and allocating nothing that outlives the call (more garbage-collector
        work); the object's id and how it left wait for a reader (:meth:`_name_unnamed`,
        :meth:`_file_left`)."""
        events, sql = self._events, self._sql
        left = name in ("persistent_to_detached", "deleted_to_detached")
        attach = name == "after_attach"

        def listener(session: Any, state: Any) -> None:  # (raw=True: the state, no wrapper)
            obj = state.obj()
            if obj is None:  # collected meanwhile: no event (what raw=False does)
                return
            if left:  # (state, how) as two items: no tuple per object
                unfiled = self._left_unfiled
                unfiled.append(state)
                unfiled.append(name)
                if len(unfiled) > 2 * _UNNAMED_MAX:
                    self._file_left()
            elif attach:
                unnamed = self._unnamed
                unnamed.append(state)
                if len(unnamed) > _UNNAMED_MAX:
                    self._name_unnamed()
            events.append((name, (obj,), _CellHook.cell,
                           sql._flushes if self._flush_status == "open" else 0, self._command))
            self._stale = True
            if self._push_handle is None and self._subscribers and not self._closed:
                self._changed()

        return listener

    def _note(self, name: str, args: tuple) -> None:
        """Keep one event for the narration, with where it happened: the notebook cell (its
        execution count; None outside a kernel), the flush (0: none) and the command."""
        flush = self._sql.flushes if self._flush_status == "open" or name == "flush_finished" \
            else 0
        self._events.append((name, args, _CellHook.cell, flush, self._command))

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
        self._sql.flush_started()
        self._synced_marks: set = set()  # (dest, key, source) copies narrated in this flush
        self._note("flush_planned", (len(plan.steps),))
        self._later(plan.states)

    def _on_flush_step_started(self, session: Any, plan: Any, index: int) -> None:
        self._sql.step_started(index)

    def _on_flush_step(self, session: Any, plan: Any, record: Any) -> None:
        self._sql.step_ended()
        if plan is self._plan:
            self._records.append(record)
        self._note("flush_step", (record.step.label, len(record.statements)))
        sources = getattr(record, "sync_sources", ())
        # both sides of a relationship copy the same key: narrate each copy once per flush
        fresh = []
        for i, (dest, key, value) in enumerate(record.synced):
            source = sources[i] if i < len(sources) else None
            mark = (id(dest), key, id(source))
            if mark not in self._synced_marks:
                self._synced_marks.add(mark)
                fresh.append((dest, key, value, source))
        for i, (dest, key, value, source) in enumerate(fresh):
            if i == _MAX_SYNC_SENTENCES and len(fresh) > i + 1:
                self._note("synced_more", (len(fresh) - i,))
                break
            self._note("synced", (dest.obj(), key, _short_repr(value),
                                  None if source is None else source.obj()))

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
            self._flush_error = error_text(error)
        self._note("flush_finished", (self._flush_status,))

    def _on_after_commit(self, session: Any) -> None:
        # also fired when a SAVEPOINT is released: then the nested transaction is still open
        nested = session.get_nested_transaction() is not None
        self._note("after_commit", (nested,))
        if not nested and getattr(session, "expire_on_commit", True):
            # every object is expired right after this event (filed when read: a weak
            # reference per object of a 100k-object session costs more than the commit)
            self._expired_unfiled.append((session.identity_map.all_states(), "commit()"))
            if len(self._expired_unfiled) > _EXPIRY_EPOCHS:
                self._expired()

    def _on_after_rollback(self, session: Any) -> None:
        nested = session.get_nested_transaction() is not None
        self._note("after_rollback", (nested,))
        cause = "the rollback to its SAVEPOINT" if nested else "rollback()"
        self._expired().update({state: cause for state in session.identity_map.all_states()
                                 if not nested or state.modified})

    def _on_expired_load(self, session: Any, obj: Any, keys: Any, reading: Any) -> None:
        state = inspect(obj)
        self._note("expired_load", (obj, tuple(keys), reading, self._expired().pop(state, None)))

    def _expired(self) -> weakref.WeakKeyDictionary:
        """state -> what expired it, with the commits not yet filed filed."""
        if self._expired_unfiled:
            unfiled, self._expired_unfiled = self._expired_unfiled, []
            for states, cause in unfiled:
                self._expired_by.update(dict.fromkeys(states, cause))
        return self._expired_by

    def _file_left(self) -> None:
        """File the objects that left the session (state, event, state, event ...) in _left."""
        unfiled, self._left_unfiled = self._left_unfiled, []
        self._left.update(zip(unfiled[::2], unfiled[1::2]))

    def _on_after_begin(self, session: Any, transaction: Any, connection: Any) -> None:
        self._sql.watch(connection, begun=transaction.kind != "nested")
        self._note("after_begin", (transaction, connection))

    def _on_after_bulk_update(self, context: Any) -> None:  # legacy Query.update()
        self._note("after_bulk_update", (context.result.rowcount,))

    def _on_after_bulk_delete(self, context: Any) -> None:  # legacy Query.delete()
        self._note("after_bulk_delete", (context.result.rowcount,))

    # -- ids -----------------------------------------------------------------------------
    def _later(self, states: Any) -> None:
        """Give ``states`` ids when ids are next read (in this order, after those before)."""
        self._unnamed.extend(states)
        if len(self._unnamed) > _UNNAMED_MAX:
            self._name_unnamed()

    def _name_unnamed(self) -> None:
        """Give the states events saw their ids, in the order seen: the ids (and the order of
        the objects in a snapshot) are what naming each at its event gave.  A state whose
        object is gone takes its number all the same."""
        unnamed, self._unnamed = self._unnamed, []
        ids, seen, counter = self._ids, self._seen, self._counter
        for state in unnamed:
            if state in ids:
                continue
            oid = ids[state] = "o%d" % next(counter)
            obj = state.obj()
            if obj is not None:
                try:
                    seen[oid] = obj
                except TypeError:
                    pass

    def _id_for(self, obj: Any) -> str:
        if self._unnamed:
            self._name_unnamed()
        state = instance_state(obj)
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
        """The session now, as the plain dict widgets sync.

        Unchanged objects (and an unchanged flush plan) are the very dicts of the previous
        snapshot, so comparing or diffing two snapshots skips them by identity."""
        with gc_paused():
            snap, objects_json = self._take(views=False)
        return to_json(snap, {"objects": objects_json, "flush": self._flush_cache[2]})

    def command(self, name: str) -> None:
        """``step`` / ``run`` / ``abort`` a stepped flush of the session, or ``run_to:<Class>``
        it to the next step touching that mapped class.

        Call it on the thread that uses the session (widgets hand their button presses to
        that thread).  Every subscriber gets the resulting snapshot before this returns, also
        when the command fails.
        """
        self._command = name.split(":", 1)[0]
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
            elif name.startswith("run_to:"):
                self._run_to(name[len("run_to:"):])
            elif name == "abort":
                if stepper is None:
                    raise RuntimeError("No stepped flush is open: press Step to start one")
                stepper.abort()
            else:
                raise ValueError("unknown command %r" % name)
        finally:
            self._command = ""
            self.push()

    def full_text(self, ref: str) -> str:
        """The whole text of one value a snapshot shows cut short (``docs/contracts.md``).

        ``ref`` names it: ``attr:<object id>:<attribute>`` (the attribute's value *now*, from
        the object's ``__dict__``: nothing is loaded), ``identity:<object id>``, ``sql:<seq>``
        (a SQL log entry's parameters, every set of an executemany) or
        ``step:<flush number>:<index>:<n>`` (statement ``n`` of plan step ``index`` of the
        latest flush).  At most
        :data:`~inspector.trace.text.WHOLE` characters; a ref that names nothing any more
        raises ``LookupError``.
        """
        kind, _, rest = str(ref).partition(":")
        if self._unnamed:
            self._name_unnamed()
        if kind in ("attr", "identity"):
            oid, _, name = rest.partition(":")
            obj = self._seen.get(oid)
            if obj is None:
                raise LookupError("object %s is no longer held" % oid)
            state = inspect(obj)
            if kind == "identity":
                return "None" if state.key is None else whole_repr(state.key[1])
            if name not in state.mapper.attrs:
                raise LookupError("%s has no attribute %r" % (type(obj).__name__, name))
            if name not in state.dict:
                return "<expired>" if name in state.expired_attributes else "<not loaded>"
            value = state.dict[name]
            if name in state.mapper.relationships and value is not None:
                values = value.values() if isinstance(value, dict) else value
                if isinstance(value, (list, set, dict)):
                    return clip("[%s]" % ", ".join(self._describe(v) for v in values), WHOLE)
                return self._describe(value)
            return whole_repr(value)
        if kind == "sql":
            text = self._sql.full_parameters(int(rest)) if rest.isdigit() else None
            if text is None:
                raise LookupError("statement #%s is no longer in the log" % rest)
            return text
        if kind == "step":
            flush, _, rest = rest.partition(":")
            index, _, n = rest.partition(":")
            if flush != str(self._sql.flushes):
                raise LookupError("flush #%s is no longer the one kept" % flush)
            try:
                statement = self._records[int(index)].statements[int(n)]
            except (IndexError, ValueError):
                raise LookupError("no statement %s of step %s in this flush" % (n, index)) from None
            params = statement.parameters
            return whole_repr(params[0] if len(params) == 1 else params)
        raise LookupError("unknown value reference %r" % ref)

    def _run_to(self, class_name: str) -> None:
        """``run_to:<Class>``: run the flush to the next step touching that mapped class
        (planning one first when none is open: then its first such step)."""
        stepper = self.session.flush_stepper
        if stepper is None:
            pending = [*self.session.new, *self.session.dirty, *self.session.deleted]
            if not pending:  # FlushStepper says why there is nothing to run to
                self._stepper = FlushStepper(self.session)
            mapper = self._mapper_named(class_name, [inspect(o).mapper for o in pending])
            stepper = self._stepper = FlushStepper(self.session)
            current = stepper.current
            if current is not None and step_touches(current, mapper):
                return
        else:
            mapper = self._mapper_named(class_name, [
                m for st in stepper.plan.steps for m in (st.mapper, *(
                    s.mapper for s in st.states))])
        stepper.run_to(mapper)

    @staticmethod
    def _mapper_named(class_name: str, candidates: list) -> Any:
        for m in candidates:
            for sup in m.iterate_to_root():
                if sup.class_.__name__ == class_name:
                    return sup
        raise ValueError("no class named %r takes part in this flush" % class_name)

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
        # the cyclic collector paused until the subscribers sent it on (as in take()): a step
        # that changes 10,000 objects makes ~100,000 containers between the snapshot and the
        # patch, and a full collection in the middle would delay the view by one more pass
        # over the whole heap (it runs after, once the patch is on its way)
        with gc_paused():
            snap = self.snapshot()
            self._last_pushed = snap
            for cb in list(self._subscribers):
                cb(snap)

    def _post_run_cell(self, error: BaseException | None = None) -> None:
        # attribute changes fire no session event: look once per executed cell, and push
        # only when the session looks different from the last push
        if error is not None and type(error).__name__ == "DetachedInstanceError":
            self._explain_detached(error)
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

    def _explain_detached(self, error: BaseException) -> None:
        """A cell failed with DetachedInstanceError on an object this recorder knows: say why."""
        text = str(error)
        found = _INSTANCE.search(text)
        if found is None:
            return
        address = int(found.group(2), 16)
        if self._unnamed:
            self._name_unnamed()
        if self._left_unfiled:
            self._file_left()
        obj = next((o for o in self._seen.values() if id(o) == address), None)
        if obj is None:
            return
        attr = _ATTRIBUTE.search(text)
        state = inspect(obj)
        self._note("detached_access", (obj, attr.group(1) if attr else None,
                                       self._left.get(state),
                                       self._expired().get(state)
                                       if state.expired_attributes else None))
        self._stale = True

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
        # building 10,000 views allocates ~100,000 small containers, none of them cyclic; the
        # cyclic collector would scan every live object several times meanwhile (a third of
        # the time): pause it while building
        with gc_paused():
            return self._take(views=True)[0]

    def _take(self, views: bool) -> tuple[SessionSnapshot, list[dict]]:
        """The snapshot and its objects' JSON; ``views``: also the ObjectViews (``take()``;
        widgets only need the JSON, built straight from the state)."""
        sess = self.session
        if self._unnamed:
            self._name_unnamed()
        new_ids = [self._id_for(o) for o in sess.new]
        dirty_ids = [self._id_for(o) for o in sess.dirty]
        deleted_ids = [self._id_for(o) for o in sess.deleted]
        for obj in sess.identity_map.values():
            self._id_for(obj)
        narrated = tuple(self._narrate(e) for e in self._events)
        objects, objects_json = [], []
        cache, kept = self._views, {}
        # _seen holds ids in the order they were given (o1, o2, ...): already sorted
        for oid, ref in list(self._seen.data.items()):  # .data: items() costs 10x more
            obj = ref()
            if obj is None:
                continue
            state = instance_state(obj)
            mark = _fingerprint(state, obj.__dict__, self._attribute_keys(state.mapper))
            entry = cache.get(oid)
            if entry is None or entry[0] != mark:
                entry = [mark, self._object_json(oid, obj), None]
            kept[oid] = entry
            objects_json.append(entry[1])
            if views:
                if entry[2] is None:
                    entry[2] = object_view(entry[1])
                objects.append(entry[2])
        self._views = kept
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
            narration=narrated,
            sql=self._sql.views(),
            sql_dropped=self._sql.dropped,
            diagnostics=tuple(self._sql.diagnostics()),
        ), objects_json

    def _label(self, obj: Any) -> str:
        state = instance_state(obj)
        name = type(obj).__name__
        if state.key is not None:
            return "%s(%s)" % (name, ", ".join(_short_repr(v) for v in state.key[1]))
        if self._unnamed:
            self._name_unnamed()
        oid = self._ids.get(state)
        return "%s %s" % (name, oid or "(new)")

    def _attribute_keys(self, mapper: Any) -> tuple[str, ...]:
        """The names of ``mapper``'s attributes, computed once."""
        keys = self._keys.get(mapper)
        if keys is None:
            keys = self._keys[mapper] = tuple(mapper.attrs)
        return keys

    def _attribute_plan(self, mapper: Any) -> list[tuple[str, bool]]:
        """(key, is_relationship) per mapped attribute of ``mapper``, computed once."""
        plan = self._plans.get(mapper)
        if plan is None:
            rels = mapper.relationships
            plan = self._plans[mapper] = [(key, key in rels) for key in mapper.attrs]
        return plan

    def _object_json(self, oid: str, obj: Any) -> dict:
        """What ``object_json(ObjectView(...))`` gives for ``obj``, built straight from its state
        (a frozen dataclass per object and attribute doubled the cost of 10,000 of them)."""
        state = instance_state(obj)
        d = state.dict
        expired = _expired_names(state)
        label = self._label
        attrs = []
        history = state.attrs
        for key, is_rel in self._attribute_plan(state.mapper):
            hist = history[key].history
            if key in d:
                value = d[key]
                if is_rel:
                    text = ("[%s]" % ", ".join(label(v) for v in (
                                value.values() if isinstance(value, dict) else value))
                            if isinstance(value, (list, set, dict))
                            else ("None" if value is None else label(value)))
                else:
                    text = _short_repr(value)
            elif key in expired:
                text = "<expired>"
            else:
                text = "<not loaded>"
            if not hist.added:
                added = _NONE
            elif is_rel:
                added = ["None" if v is None else label(v) for v in hist.added]
            else:
                added = [_short_repr(v) for v in hist.added]
            if not hist.deleted:
                deleted = _NONE
            elif is_rel:
                deleted = ["None" if v is None else label(v) for v in hist.deleted]
            else:
                deleted = [_short_repr(v) for v in hist.deleted]
            attrs.append({"name": key, "kind": "relationship" if is_rel else "column",
                          "value": text, "changed": hist.has_changes(),
                          "added": added, "deleted": deleted})
        status = state.status
        return {
            "id": oid,
            "cls": type(obj).__name__,
            "label": label(obj),
            "identity": None if state.key is None else _short_repr(state.key[1]),
            "status": status,
            "modified": bool(state.modified),
            "expired": sorted(expired) if expired else _NONE,
            "attributes": attrs,
            "in_session": status in _HELD,
        }

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
                savepoint=", ".join(t.savepoint_names),
                rollback=self._rollback_view(t.rollback_preview()),
            )
            for t in self.session.transaction_stack()
        ]

    def _rollback_view(self, preview: Any) -> RollbackView | None:
        """What a rollback would restore, as object ids and sentences (lists capped)."""
        if preview is None:
            return None
        more = 0

        def cap(items: list) -> list:
            nonlocal more
            more += max(0, len(items) - PREVIEW_CAP)
            return items[:PREVIEW_CAP]

        def ids(states: list) -> tuple[str, ...]:
            objs = (st.obj() for st in cap(states))
            return tuple(self._id_for(obj) for obj in objs if obj is not None)

        gone = set(preview.to_transient)
        flushed = set(preview.flushed)  # their committed values are not what comes back
        restored = []
        for st in preview.expired:
            if not st.modified or st in gone:
                continue
            obj = st.obj()
            if obj is None:
                continue
            label = self._label(obj)
            for key in st.mapper.attrs:
                hist = st.attrs[key].history
                if not hist.has_changes():
                    continue
                if key in st.mapper.relationships:
                    restored.append("%s.%s: its unflushed changes are discarded" % (label, key))
                else:
                    now = _short_repr(hist.added[0]) if hist.added else "∅"
                    back = (_short_repr(hist.deleted[0]) if hist.deleted and st not in flushed
                            else "reloaded from the database")
                    restored.append("%s.%s: %s → %s" % (label, key, now, back))
        keys = ["%s gets identity %s back (now %s)" % (
                    self._label_state(st), _short_repr(old[1]), _short_repr(new[1]))
                for st, new, old in preview.keys]
        return RollbackView(
            level="t%d" % preview.level.id,
            to_transient=ids(preview.to_transient),
            undeleted=ids(preview.undeleted),
            restored=tuple(cap(restored)),
            reloaded=ids(preview.flushed),
            keys=tuple(cap(keys)),
            expired=len(preview.expired),
            expires_all=preview.expires_all,
            more=more,
            to_transient_total=len(preview.to_transient),
            undeleted_total=len(preview.undeleted),
        )

    def _flush_view(self) -> FlushView | None:
        # a plan only changes when a step runs or the flush ends: keep its view until then
        key = (self._plan, len(self._records), self._flush_status, self._flush_error,
               self._sql.flushes)
        cached_key, view, _ = self._flush_cache
        if cached_key is not None and len(cached_key) == len(key) and all(
            a is b or a == b for a, b in zip(cached_key, key)
        ):
            return view
        view = self._build_flush_view()
        self._flush_cache = (key, view, None if view is None else _plain(view))
        return view

    def _build_flush_view(self) -> FlushView | None:
        plan = self._plan
        if plan is None:
            return None
        cursor = len(self._records)
        status = self._flush_status
        parts = self._plan_parts(plan)
        step_of: dict[str, int] = {}
        mapper_of: dict[int, Any] = {}
        steps = []
        # cursor executions as the SQL log saw them: the step view says what the log says
        logged = self._sql.executions_by_step(self._sql.flushes) if cursor else {}
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
                seen = observed_executions(logged.get(i, []), rec.statements) or [
                    s.executions for s in rec.statements]
                statements = tuple(
                    StatementView(
                        sql=s.sql,
                        parameters=_short_repr(s.parameters if len(s.parameters) > 1
                                               else s.parameters[0]),
                        rowcount=s.rowcount,
                        keys=tuple(_short_repr(k) for k in s.keys),
                        table=s.table,
                        rows=len(s.parameters),
                        executions=runs,
                    )
                    for s, runs in zip(rec.statements, seen)
                )
                synced = tuple(
                    "%s.%s = %s" % (self._label_state(st), key, _short_repr(val))
                    for st, key, val in rec.synced
                )
            ids = parts["ids"].get(i)
            if ids is None:  # (once per plan: the session holds its objects meanwhile)
                ids = parts["ids"][i] = tuple(
                    self._id_for(obj) for obj in (st.obj() for st in step.states)
                    if obj is not None)
            for node in step.node_ids:
                step_of[node] = i
            mapper_of[i] = step.mapper
            steps.append(StepView(
                index=i,
                node=step.node_ids[0],
                kind=step.kind,
                label=clip(visible(step.label), 300),
                mapper=step.mapper.class_.__name__,
                objects=tuple(ids),
                state=state,
                statements=statements,
                synced=synced,
            ))
        graph = plan.graph
        unresolved = plan.unresolved
        if "nodes" not in parts:  # the graph's nodes and edges as drawn: the same every step
            groups = plan.split_groups()
            nodes = []
            for act in graph.nodes:
                idx = step_of.get(act.node_id)
                label = act.label() if idx is None else "%d. %s" % (idx + 1, act.label())
                if idx is not None and len(steps[idx].objects) > 1 and \
                        steps[idx].kind != "cycle":  # a batch: say how big
                    label += "\n%d objects" % len(steps[idx].objects)
                nodes.append({"id": act.node_id, "label": label, "kind": act.kind,
                              "state": "pending",
                              "order": idx if idx is not None else 1 << 30,
                              "per_object": act.per_object, "group": groups.get(act, ""),
                              "cycle": act in unresolved})
            # a step's own node first among its batch: the node a grouped graph keeps for it
            own = {st.node for st in steps}
            nodes.sort(key=lambda n: (n["order"], n["id"] not in own, n["id"]))
            edges = [EdgeView(a.node_id, b.node_id, data.get("reason", ""),
                              a in unresolved and b in unresolved)
                     for a, b, data in graph.edges(data=True)]
            edges.sort(key=lambda e: (e.source, e.target))
            parts["nodes"], parts["edges"] = nodes, edges
            parts["batches"] = {a.node_id: (a.kind, a.batch_label()) for a in graph.nodes
                                if hasattr(a, "batch_label")}
        edges = parts["edges"]
        nodes = [{**n, "state": steps[n["order"]].state} if n["order"] < len(steps) else
                 dict(n) for n in parts["nodes"]]
        drawn = [{"source": e.source, "target": e.target, "reason": e.reason, "cycle": e.cycle}
                 for e in edges]
        unordered = self._unordered(plan)
        for fk in unordered:  # dashed edges between the first steps of the two classes
            ends = [next((st.node for st in steps if st.kind in ("save", "delete")
                          and mapper_of[st.index].isa(m.base_mapper)), None)
                    for m in (fk.parent, fk.child)]
            if None not in ends:
                drawn.append({"source": ends[0], "target": ends[1], "kind": "warning",
                              "reason": "%s: no relationship(), order undefined" % fk.column})
        if len(nodes) > bigplan.GRAPH_NODES:  # per-row nodes drawn as one node per kind
            # (after the warning edges: an end merged into a group moves to the group's node)
            nodes, drawn = bigplan.collapse(nodes, drawn, parts["batches"])
        dot = plan_dot(nodes, drawn)
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
            diagnostics=tuple(fk.sentence() for fk in unordered),
        )

    def _plan_parts(self, plan: Any) -> dict:
        """What a flush view of ``plan`` shows the same at every step (each step's object ids,
        the graph's nodes and edges), computed once per plan."""
        cached = self._plan_cache
        if cached is None or cached[0] is not plan:
            cached = self._plan_cache = (plan, {"ids": {}})
        return cached[1]

    def _unordered(self, plan: Any) -> list:
        """Foreign keys the plan cannot order (no relationship()), computed once per plan."""
        cached = self._unordered_cache
        if cached is not None and cached[0] is plan:
            return cached[1]
        mappers = {st.mapper for step in plan.steps for st in step.states}
        mappers |= {step.mapper for step in plan.steps}
        found = unordered_foreign_keys(mappers)
        self._unordered_cache = (plan, found)
        return found

    def _label_state(self, state: Any) -> str:
        obj = state.obj()
        return self._label(obj) if obj is not None else state.class_.__name__

    # -- narration ------------------------------------------------------------------------
    def _narrate(self, entry: tuple) -> EventView:
        name, args, cell, flush, command = entry
        return EventView(text=sentence(name, args, self._describe), cell=cell, flush=flush,
                         command=command)

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
            ip.events.register("pre_run_cell", cls._pre_run_cell)
            ip.events.register("post_run_cell", cls._post_run_cell)
            cls._registered_with = ip

    @classmethod
    def discard(cls, recorder: Recorder) -> None:
        cls._recorders.discard(recorder)

    #: execution count of the notebook cell running now (None: between cells, or no kernel)
    cell: int | None = None

    @classmethod
    def _pre_run_cell(cls, *args: Any) -> None:
        try:
            from IPython import get_ipython

            cls.cell = get_ipython().execution_count
        except Exception:  # noqa: BLE001 - narration only
            cls.cell = None

    @classmethod
    def _post_run_cell(cls, *args: Any) -> None:
        result = args[0] if args else None
        error = getattr(result, "error_in_exec", None)
        try:
            for recorder in list(cls._recorders):
                if recorder._cell.is_current():
                    recorder._post_run_cell(error)  # (an explanation joins the failed cell)
        finally:
            cls.cell = None
