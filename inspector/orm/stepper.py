# orm/stepper.py
"""FlushStepper: run a flush one planned step at a time, or abort it without a trace."""

from __future__ import annotations

import weakref
from typing import Any

import sqlalchemy.exc as sa_exc

from .base import STATE_ATTR
from .session import FlushRun, Session
from .transaction import _begin_root
from .unitofwork import FlushPlan, Step, StepRecord


class _Snapshot:
    """Everything a flush may change on the Python side, copied before it starts."""

    def __init__(self, session: Session, plan: FlushPlan) -> None:
        self.session = session
        self.new = dict(session._new)
        self.deleted = dict(session._deleted)
        self.modified = set(session.identity_map._modified)
        self.states = []
        for state in set(plan.states) | set(session._new) | set(session._deleted):
            obj = state.obj()
            if obj is None:
                continue
            self.states.append((
                state, obj, dict(obj.__dict__), dict(state.committed_state),
                set(state.expired_attributes), state.modified, state.key, state._deleted,
                state.session_id, dict(state._pending_mutations),
            ))

    def restore(self) -> None:
        sess = self.session
        for (state, obj, d, committed, expired, modified, key, deleted, sid,
             pending) in self.states:
            live = obj.__dict__
            live.clear()
            live.update(d)
            live[STATE_ATTR] = state
            state.committed_state = committed
            state.expired_attributes = expired
            state.modified = modified
            state._strong_obj = obj if modified else None
            if state.key != key and state.key is not None:
                sess.identity_map.discard(state)
            state.key = key
            state._deleted = deleted
            state.session_id = sid
            state._pending_mutations = pending
            if key is not None and sid == sess.hash_key and not deleted:
                sess.identity_map.replace(state)
        sess._new = dict(self.new)
        sess._deleted = dict(self.deleted)
        sess.identity_map._modified = set(self.modified)


class _Handle:
    """What an abort needs; kept apart from the stepper so a finalizer can use it."""

    def __init__(self, session: Session, run: FlushRun, snapshot: _Snapshot,
                 savepoint: Any) -> None:
        self.session = session
        self.run = run
        self.snapshot = snapshot
        self.savepoint = savepoint
        self.status = "open"

    def abort(self) -> None:
        if self.status != "open":
            return
        sess = self.session
        sub = self.run.transaction
        try:
            if self.savepoint is not None:
                for _conn, trans, _, _ in set(self.savepoint._connections.values()):
                    trans.rollback()
                if sub is not None and not sub._closed:
                    sub.close()
                self.savepoint.close()
            else:
                root = sess.get_transaction()
                if root is not None and not root._closed:
                    for key, (conn, trans, commits, autoclose) in list(
                            root._connections.items()):
                        trans.rollback()
                        root._connections[key] = (conn, _begin_root(sess, conn), commits,
                                                  autoclose)
                    root._wrote = False
                if sub is not None and not sub._closed:
                    sub.close()
        finally:
            self.snapshot.restore()
            self.status = "aborted"
            sess._dispatch_event("flush_finished", sess, self.run.plan, "aborted")


def _abandoned(handle: _Handle) -> None:
    """The stepper was garbage collected while open: undo its work."""
    try:
        handle.abort()
    except Exception:  # pragma: no cover - best effort during garbage collection
        pass


def _mapper_of(target: Any) -> Any:
    from .inspection import inspect

    mapper = inspect(target, raiseerr=False)
    if mapper is None or not hasattr(mapper, "class_") or not hasattr(mapper, "isa"):
        raise sa_exc.ArgumentError("run_to() needs a mapped class or a mapper, got %r"
                                   % (target,))
    return mapper


def step_touches(step: Step, target: Any) -> bool:
    """Whether plan ``step`` writes or orders rows of ``target`` (a mapped class or mapper,
    subclasses included): the step's own mapper, the objects it runs for, and for a
    relationship's step both sides of the relationship."""
    mapper = _mapper_of(target)
    mappers = {step.mapper}
    for act in step.actions:
        dp = getattr(act, "dp", None)
        if dp is not None:
            mappers.update((dp.parent, dp.mapper))
    mappers.update(st.mapper for st in step.states)
    return any(m is not None and m.isa(mapper) for m in mappers)


class FlushStepper:
    """Drive a flush by hand: ``step()`` runs one planned action, ``run()`` the rest.

    The plan is built when the stepper is created and nothing runs until the first
    :meth:`step`.  While the stepper is open, other session operations raise
    :class:`~inspector.orm.exc.FlushInProgressError`.  :meth:`abort` (also run when an
    open stepper is garbage collected, or when the session rolls back or closes)
    rolls the database back and puts every object back as it was before the flush.
    """

    def __init__(self, session: Session) -> None:
        session._check_no_stepper("FlushStepper()")
        if session._flushing:
            raise sa_exc.InvalidRequestError("Session is already flushing")
        root = session._autobegin_t()
        if root is None:
            raise sa_exc.InvalidRequestError(
                "A stepped flush needs a transaction: in the legacy autocommit mode, call "
                "session.begin() first")
        root._assert_active()
        plan = session._plan_flush()
        if plan is None:
            raise sa_exc.InvalidRequestError(
                "Nothing to flush: the session has no new, changed or deleted objects"
            )
        snapshot = _Snapshot(session, plan)
        savepoint = None
        if getattr(session.get_transaction(), "_wrote", False):
            # earlier flushes wrote in this transaction: only a SAVEPOINT can undo ours alone
            savepoint = root._begin(nested=True, origin="stepper")
        run = FlushRun(session, plan)
        run.begin()
        self.session = session
        self.plan = plan
        self._run = run
        self._handle = _Handle(session, run, snapshot, savepoint)
        self._finalizer = weakref.finalize(self, _abandoned, self._handle)
        session._stepper_ref = weakref.ref(self)

    @property
    def status(self) -> str:
        """``open``, ``complete``, ``aborted`` or ``failed``."""
        return self._handle.status

    @property
    def done(self) -> bool:
        return self._handle.status != "open"

    @property
    def executed(self) -> list[StepRecord]:
        return list(self._run.records)

    @property
    def current(self) -> Step | None:
        """The step the next :meth:`step` call will run (None once done)."""
        if self.done:
            return None
        i = len(self._run.records)
        return self.plan.steps[i] if i < len(self.plan.steps) else None

    @property
    def error(self) -> BaseException | None:
        return self._run.error

    def _require_open(self, what: str) -> None:
        if self.done:
            raise sa_exc.InvalidRequestError(
                "Can't %s: this stepped flush is already %s" % (what, self.status)
            )

    def step(self) -> StepRecord | None:
        """Run the next step and return its record; the last step also finishes the flush."""
        self._require_open("step()")
        try:
            record = self._run.step()
            if len(self._run.records) >= len(self.plan.steps):
                self._finish()
        except BaseException:
            self._handle.status = "failed"
            self._finalizer.detach()
            raise
        return record

    def run(self) -> list[StepRecord]:
        """Run every remaining step and finish the flush."""
        self._require_open("run()")
        while not self.done:
            self.step()
        return self.executed

    def run_to(self, target: Any) -> list[StepRecord]:
        """Run steps until the next step that touches ``target`` (a mapped class or its
        mapper) is :attr:`current`, and return their records; the current step is run first
        even when it touches ``target`` itself, so calling it again moves on.

        Nothing runs when no later step touches ``target``: that raises InvalidRequestError.
        """
        self._require_open("run_to()")
        mapper = _mapper_of(target)
        start = len(self._run.records)
        later = [s for s in self.plan.steps[start + 1:] if step_touches(s, mapper)]
        if not later:
            raise sa_exc.InvalidRequestError(
                "No later step of this flush touches %s: nothing was run"
                % mapper.class_.__name__)
        out = []
        while not self.done and len(self._run.records) < later[0].index:
            out.append(self.step())
        return out

    def abort(self) -> None:
        """Undo everything this flush did; the session is as it was before the flush."""
        self._require_open("abort()")
        self._finalizer.detach()
        self._handle.abort()

    def _finish(self) -> None:
        self._run.finish()
        if self._handle.savepoint is not None:
            self._handle.savepoint.commit()
        self._handle.status = "complete"
        self._finalizer.detach()

    def __enter__(self) -> FlushStepper:
        return self

    def __exit__(self, *exc: Any) -> None:
        if not self.done:
            self.abort()

    def __repr__(self) -> str:
        return "<FlushStepper %s: %d of %d steps run>" % (
            self.status, len(self._run.records), len(self.plan.steps))
