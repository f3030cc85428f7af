# orm/transaction.py
"""SessionTransaction: the stack of root, subtransaction and SAVEPOINT levels of a Session."""

from __future__ import annotations

import contextlib
import enum
import functools
import itertools
import sys
import warnings
import weakref
from collections.abc import Callable
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Connection

from . import exc as orm_exc
from .state import expire_states

ACTIVE, PREPARED, COMMITTED, DEACTIVE, CLOSED = (
    "active", "prepared", "committed", "deactive", "closed")

_ids = itertools.count(1)

#: how SQLAlchemy's messages name the states (its SessionTransactionState enum)
_STATE_REPR = {
    name: "<SessionTransactionState.%s: %d>" % (name.upper(), i)
    for i, name in enumerate((ACTIVE, PREPARED, COMMITTED, DEACTIVE, CLOSED), 1)
}
_IN_PROGRESS = "change in progress"


def _state_change(prerequisite: tuple | None, moves_to: str | None) -> Callable:
    """Guard a method that moves the transaction to ``moves_to`` (None: no change).

    As SQLAlchemy's state machine: the method needs one of the ``prerequisite`` states
    (None: any); while a guarded method of this transaction runs (and so while the events
    it fires run), a method that would change the state is refused with
    IllegalStateChangeError, unless the running method expects exactly that change
    (:meth:`SessionTransaction._expect_state`).
    """

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def guarded(self: SessionTransaction, *args: Any, **kw: Any) -> Any:
            if prerequisite is not None and self._state not in prerequisite:
                self._raise_for_state()
            expected, running = self._next_state, self._running
            if expected is not None and moves_to is not None and expected != moves_to:
                if running is not None:
                    raise sa_exc.IllegalStateChangeError(
                        "Method '%s()' can't be called here; method '%s()' is already in "
                        "progress and this would cause an unexpected state change to %s"
                        % (fn.__name__, running, _STATE_REPR[moves_to]), code="isce")
                raise sa_exc.IllegalStateChangeError(
                    "Can't run operation '%s()' here; will move to state %s where we are "
                    "expecting %s" % (fn.__name__, _STATE_REPR[moves_to],
                                      _STATE_REPR.get(expected, expected)), code="isce")
            self._running, self._next_state = fn.__name__, _IN_PROGRESS
            try:
                return fn(self, *args, **kw)
            finally:
                self._running, self._next_state = running, expected

        return guarded

    return decorate


class SessionTransactionOrigin(enum.Enum):
    """What began a :class:`SessionTransaction` (``SessionTransaction.origin``)."""

    AUTOBEGIN = 0
    """Begun by the Session itself, the first time it needed a transaction."""
    BEGIN = 1
    """Begun by :meth:`Session.begin`."""
    BEGIN_NESTED = 2
    """A SAVEPOINT begun by :meth:`Session.begin_nested` (or a stepped flush)."""
    SUBTRANSACTION = 3
    """A level the Session opens for its own work (a flush), sharing its parent's."""


#: our finer origin names (kept in ``SessionTransaction._how``) -> the public enum
_ORIGINS = {
    "autobegin": SessionTransactionOrigin.AUTOBEGIN,
    "autocommit_flush": SessionTransactionOrigin.AUTOBEGIN,  # legacy autocommit mode
    "begin": SessionTransactionOrigin.BEGIN,
    "begin_nested": SessionTransactionOrigin.BEGIN_NESTED,
    "stepper": SessionTransactionOrigin.BEGIN_NESTED,
}


class RollbackPreview:
    """What rolling back one transaction level would do
    (:meth:`SessionTransaction.rollback_preview`).

    Read only, and only true at the moment it was computed.  ``level`` is the outermost level
    whose snapshot is restored (a subtransaction rolls back its enclosing root or SAVEPOINT
    level; the root level's rollback restores every level's, innermost first).
    """

    __slots__ = ("level", "to_transient", "undeleted", "keys", "expired", "flushed",
                 "expires_all")

    def __init__(self, level: SessionTransaction, to_transient: list, undeleted: list,
                 keys: list, expired: list, flushed: list, expires_all: bool) -> None:
        self.level = level
        #: states expunged back to transient (pending, or INSERTed under the level)
        self.to_transient = to_transient
        #: states DELETEd (or marked deleted) under the level: persistent again
        self.undeleted = undeleted
        #: (state, identity key now, identity key it gets back) for keys changed under it
        self.keys = keys
        #: states whose attributes are expired (reloaded from the database when next read)
        self.expired = expired
        #: states whose UPDATEs under the level are undone (their values reload as before)
        self.flushed = flushed
        #: True for the root level: every object in the identity map is expired
        self.expires_all = expires_all

    def __repr__(self) -> str:
        return "<RollbackPreview of %r: %d to transient, %d undeleted, %d expired>" % (
            self.level, len(self.to_transient), len(self.undeleted), len(self.expired))


class SessionTransaction:
    """One level of a Session's transaction stack.

    The root and SAVEPOINT ("nested") levels are *boundaries*: they own Core
    transactions and remember which objects became persistent or deleted under them,
    so a rollback can put the session back.  Subtransactions (used by flush) share
    their parent's connection and bookkeeping.
    """

    def __init__(self, session: Any, parent: SessionTransaction | None = None,
                 nested: bool = False, origin: str = "begin") -> None:
        _check_context(session)
        self.session = session
        self._parent = parent
        self.nested = nested
        self._how = origin  # "autobegin", "begin", "begin_nested", "stepper", "flush", ...
        self.id = next(_ids)
        self._state = ACTIVE
        self._connections: dict[Any, tuple[Connection, Any, bool, bool]] = {}
        self._rollback_exception: BaseException | None = None
        self._rolled_back_by_subtransaction = False  # legacy begin(subtransactions=True)
        self._wrote = False  # a flush or DML statement ran in this transaction
        self._running: str | None = None  # the guarded method running (_state_change)
        self._next_state: str | None = None  # the state it may move to (None: any)
        if nested and parent is None:
            raise sa_exc.InvalidRequestError(
                "Can't start a SAVEPOINT transaction when no existing transaction is in progress"
            )
        if nested and origin == "begin_nested" and not session._flushing:
            # a SAVEPOINT snapshots a flushed session: pending changes go to the outer level
            # first (and on pysqlite the DML then begins the real transaction, so RELEASE
            # does not commit to disk)
            session.flush()
        if self._is_transaction_boundary:
            self._new: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
            self._deleted: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
            self._dirty: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
            #: state -> (identity key before this level, key now): primary keys a flush
            #: changed under this level, put back by its rollback
            self._key_switches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        else:
            self._new, self._deleted, self._dirty = parent._new, parent._deleted, parent._dirty
            self._key_switches = parent._key_switches
        session._transaction_created(self)

    # -- introspection ---------------------------------------------------------------
    @property
    def parent(self) -> SessionTransaction | None:
        return self._parent

    @property
    def origin(self) -> SessionTransactionOrigin:
        """What began this level (a :class:`SessionTransactionOrigin`)."""
        return _ORIGINS.get(self._how, SessionTransactionOrigin.SUBTRANSACTION)

    @property
    def kind(self) -> str:
        if self._parent is None:
            return "root"
        return "nested" if self.nested else "subtransaction"

    @property
    def status(self) -> str:
        return self._state

    @property
    def _closed(self) -> bool:
        return self._state == CLOSED

    @property
    def is_active(self) -> bool:
        return self._state == ACTIVE

    @property
    def _is_transaction_boundary(self) -> bool:
        return self.nested or self._parent is None

    @property
    def connections(self) -> list[Connection]:
        return [c for c, _, _, _ in set(self._connections.values())]

    @property
    def savepoint_names(self) -> list[str]:
        """The names of the SAVEPOINTs this nested level emitted (one per connection, in
        the order they began, e.g. ``["sa_savepoint_1"]``); empty for other levels."""
        if not self.nested:
            return []
        return [getattr(trans, "_savepoint", "?") for _c, trans, _, _ in
                _unique(self._connections.values())]

    def rollback_preview(self) -> RollbackPreview | None:
        """What rolling this level back would do to the session's objects, computed from
        the snapshots of the levels it restores; nothing is changed.

        For the root level that is :meth:`Session.rollback` (every level is rolled back,
        from the innermost out), for a SAVEPOINT its own :meth:`rollback`, for a
        subtransaction the rollback of its enclosing root or SAVEPOINT level.  None when the
        level is no longer active (its rollback would only close it).
        """
        if self._state not in (ACTIVE, PREPARED):
            return None
        sess = self.session
        if self._parent is None:
            inner = sess._innermost() or self
            chain = [t for t in inner._iterate_self_and_parents()
                     if t._is_transaction_boundary]
        else:
            boundary = self
            while not boundary._is_transaction_boundary:
                boundary = boundary._parent
            chain = [boundary]
        to_transient: set = set()
        undeleted: set = set()
        flushed: set = set()
        keys: dict = {}
        for level in chain:  # innermost first, as they are restored
            to_transient |= set(level._new) | set(sess._new)
            undeleted |= (set(level._deleted) | set(sess._deleted)) - to_transient
            flushed |= set(level._dirty)
            for st, (old, _new) in list(level._key_switches.items()):
                keys[st] = old
        outer = chain[-1]
        undeleted -= to_transient
        held = list(dict.fromkeys(  # in the map after the rollback (deleted ones back)
            [s for s in sess.identity_map.all_states() if s not in to_transient]
            + sorted(undeleted, key=lambda s: (s.insert_order or 0, id(s)))))
        if outer.nested:
            expired = [s for s in held if s.modified or s in flushed]
        else:
            expired = held
        order = lambda s: (s.insert_order or 0, id(s))  # noqa: E731
        return RollbackPreview(
            level=outer,
            to_transient=sorted(to_transient, key=order),
            undeleted=sorted(undeleted, key=order),
            keys=[(st, st.key, old) for st, old in keys.items()
                  if st not in to_transient and old != st.key],
            expired=expired,
            flushed=sorted(flushed - to_transient, key=order),
            expires_all=not outer.nested,
        )

    def __repr__(self) -> str:
        return "<SessionTransaction %d %s %s>" % (self.id, self.kind, self._state)

    # -- checks ------------------------------------------------------------------------
    @contextlib.contextmanager
    def _expect_state(self, state: str):
        """Inside a guarded method: allow the one call that moves to ``state``."""
        before = self._next_state
        self._next_state = state
        try:
            yield
        finally:
            self._next_state = before

    def _raise_for_state(self) -> None:
        """The error of a method called in a state it does not accept."""
        self._assert_active()
        raise AssertionError("active transaction refused")  # pragma: no cover

    def _assert_active(self) -> None:
        if self._state == CLOSED:
            raise sa_exc.ResourceClosedError("This transaction is closed")
        if self._state == DEACTIVE:
            if self._rollback_exception is not None:
                raise sa_exc.PendingRollbackError(
                    "This Session's transaction has been rolled back due to a previous "
                    "exception during flush. To begin a new transaction with this Session, "
                    "first issue Session.rollback(). Original exception was: %s"
                    % self._rollback_exception,
                    code="7s2a",
                )
            if self._rolled_back_by_subtransaction:  # the seeds' (0.5-1.3) wording
                raise sa_exc.InvalidRequestError(
                    "This Session's transaction has been rolled back by a nested rollback() "
                    "call.  To begin a new transaction, issue Session.rollback() first."
                )
            raise sa_exc.InvalidRequestError(
                "This session is in 'inactive' state, due to the SQL transaction being "
                "rolled back; no further SQL can be emitted within this transaction."
            )
        if self._state != ACTIVE:
            raise sa_exc.InvalidRequestError(
                "This session is in '%s' state; no further SQL can be emitted within this "
                "transaction." % self._state
            )

    # -- connections -------------------------------------------------------------------
    @_state_change((ACTIVE,), None)
    def _connection_for_bind(self, bind: Any,
                             execution_options: dict | None = None) -> Connection:
        """This level's connection to ``bind``, acquired (and begun) on first use.

        ``execution_options`` (with the Session's own ``execution_options`` under them) go
        to ``Connection.execution_options()`` when the root level acquires the connection;
        for a connection the transaction already holds they are ignored with a warning, as
        SQLAlchemy does.  A SAVEPOINT level gets the root's connection, options applied.
        """
        self._assert_active()
        key = bind.engine if isinstance(bind, Connection) else bind
        if key in self._connections:
            if execution_options:
                warn_ignored_execution_options()
            return self._connections[key][0]
        should_commit = True
        if self._parent is not None:
            conn = self._parent._connection_for_bind(bind, execution_options)
            if not self.nested:
                return conn
            trans = conn.begin_nested()
            autoclose = False
        elif isinstance(bind, Connection):
            conn, autoclose = bind, False
            _apply_execution_options(self.session, conn, execution_options)
            trans, should_commit = self._join(conn)
        else:
            conn, autoclose = bind.connect(), True
            _apply_execution_options(self.session, conn, execution_options)
            trans = _begin_root(self.session, conn)
        self._connections[key] = (conn, trans, should_commit, autoclose)
        self.session._dispatch_event("after_begin", self.session, self, conn)
        return conn

    def _join(self, conn: Connection) -> tuple[Any, bool]:
        """The Core transaction the root level uses on a Connection it was given, and
        whether its commit() commits that transaction (``Session.join_transaction_mode``).

        A Connection outside a transaction is begun here and owned.  One already in a
        transaction is joined as the mode says: ``"conditional_savepoint"`` (the default)
        means ``"create_savepoint"`` inside a SAVEPOINT, else ``"rollback_only"``;
        ``"create_savepoint"`` rides a SAVEPOINT of our own on top of it; ``"control_fully"``
        takes the innermost Core transaction as ours; ``"rollback_only"`` takes it for
        rollback() only: commit() and close() leave it alone.
        """
        if not conn.in_transaction():
            return conn.begin(), True
        mode = self.session.join_transaction_mode
        if mode == "conditional_savepoint":
            mode = "create_savepoint" if conn.in_nested_transaction() else "rollback_only"
        if mode == "create_savepoint":
            return conn.begin_nested(), True
        current = (conn.get_nested_transaction() if conn.in_nested_transaction()
                   else conn.get_transaction())
        return current, mode == "control_fully"

    # -- lifecycle ---------------------------------------------------------------------
    @_state_change((ACTIVE,), None)
    def _begin(self, nested: bool = False, origin: str = "subtransaction") -> SessionTransaction:
        self._assert_active()
        return SessionTransaction(self.session, self, nested=nested, origin=origin)

    def _iterate_self_and_parents(self, upto: SessionTransaction | None = None):
        current: SessionTransaction | None = self
        out = []
        while current is not None:
            out.append(current)
            if current is upto:
                return out
            current = current._parent
        if upto is not None:
            raise sa_exc.InvalidRequestError(
                "Transaction %s is not on the active transaction list" % upto
            )
        return out

    def prepare(self) -> None:
        """First phase of a two-phase commit: flush, then PREPARE every connection.

        Only the root transaction of a ``twophase=True`` Session can prepare.
        """
        if self._parent is not None or not getattr(self.session, "twophase", False):
            raise sa_exc.InvalidRequestError(
                "'twophase' mode not enabled, or not root transaction; can't prepare."
            )
        self._prepare_impl()

    @_state_change((ACTIVE,), PREPARED)
    def _prepare_impl(self) -> None:
        sess = self.session
        if self._parent is None or self.nested:
            sess._dispatch_event("before_commit", sess)
        stx = sess._innermost()
        if stx is not self:
            for sub in stx._iterate_self_and_parents(upto=self):
                if sub is not self:
                    sub.commit()
        if not sess._flushing:
            for _ in range(100):
                if sess._is_clean():
                    break
                sess.flush()
            else:
                raise orm_exc.FlushError(
                    "Over 100 subsequent flushes have occurred within session.commit() - "
                    "is an after_flush() hook creating new objects?"
                )
        if self._parent is None and getattr(sess, "twophase", False):
            try:  # all binds prepare, or none commits: a failure rolls everything back
                for _conn, trans, _, _ in _unique(self._connections.values()):
                    trans.prepare()
            except BaseException:
                with self._expect_state(CLOSED):
                    self.rollback()
                raise
        self._state = PREPARED

    @_state_change((ACTIVE, PREPARED), CLOSED)
    def commit(self, _to_root: bool = False) -> SessionTransaction | None:
        if self._state != PREPARED:
            with self._expect_state(PREPARED):
                self._prepare_impl()
        sess = self.session
        if self._parent is None or self.nested:
            for _conn, trans, should_commit, _ in _unique(self._connections.values()):
                if should_commit:
                    trans.commit()
            self._state = COMMITTED
            sess._dispatch_event("after_commit", sess)
            self._remove_snapshot()
        with self._expect_state(CLOSED):
            self.close()
        if _to_root and self._parent is not None:
            return self._parent.commit(_to_root=True)
        return self._parent

    @_state_change((ACTIVE, DEACTIVE, PREPARED), CLOSED)
    def rollback(self, _capture_exception: BaseException | None = None,
                 _to_root: bool = False) -> SessionTransaction | None:
        if self._state == CLOSED:
            raise sa_exc.ResourceClosedError("This transaction is closed")
        sess = self.session
        stx = sess._innermost()
        if stx is not self:
            for sub in stx._iterate_self_and_parents(upto=self):
                if sub is not self:
                    sub.close()
        boundary = None
        rollback_error: BaseException | None = None
        if self._state in (ACTIVE, PREPARED):
            for t in self._iterate_self_and_parents():
                if t._parent is None or t.nested:
                    rollback_error = t._rollback_impl()
                    t._state = DEACTIVE
                    t._rolled_back_by_subtransaction = self._how == "subtransactions"
                    boundary = t
                    break
                t._state = DEACTIVE
        if boundary is None and self._is_transaction_boundary and not sess._is_clean():
            # changes made on a transaction that was already inactive are discarded
            warnings.warn("Session's state has been changed on a non-active transaction - "
                          "this state will be discarded.", sa_exc.SAWarning, stacklevel=3)
            self._restore_snapshot(dirty_only=self.nested)
        with self._expect_state(CLOSED):
            self.close()
        if self._parent is not None and _capture_exception is not None:
            self._parent._rollback_exception = _capture_exception
        if rollback_error is not None:
            # as SQLAlchemy: the level is closed and its snapshot restored all the same, the
            # error propagates (a failed ROLLBACK TO leaves the outer transaction usable)
            raise rollback_error
        sess._dispatch_event("after_soft_rollback", sess, self)
        if rollback_error is not None:  # the stack is consistent: now the error surfaces
            raise rollback_error
        if _to_root and self._parent is not None:
            return self._parent.rollback(_to_root=True)
        return self._parent

    def _rollback_impl(self) -> BaseException | None:
        """Roll the database back; after_rollback fires (the transaction already
        inactive), then the session's objects are put back.  As in SQLAlchemy, an error of
        the database (a lost connection, a failed PREPARE) or of a listener is returned, to be
        raised once the stack is closed (close() rolls back the connections not reached)."""
        error = None
        try:
            for _conn, trans, _, _ in _unique(self._connections.values()):
                trans.rollback()
            self._state = DEACTIVE
            self.session._dispatch_event("after_rollback", self.session)
        except Exception as e:  # noqa: BLE001 - raised by rollback() after the cleanup
            error = e
        finally:
            self._state = DEACTIVE
            self._restore_snapshot(dirty_only=self.nested)
        return error

    @_state_change(None, CLOSED)
    def close(self, invalidate: bool = False) -> None:
        """End this level (a still-open SAVEPOINT rolls back); ``invalidate`` (the root
        level, from :meth:`Session.invalidate`) invalidates its connections first."""
        sess = self.session
        if self._state == CLOSED:
            return
        if self._is_transaction_boundary:
            # closing a still-open SAVEPOINT rolls back to it (as Core's close() does); a
            # Core transaction the Session joined for rollback only is left alone
            for conn, trans, should_commit, autoclose in set(self._connections.values()):
                if invalidate and self._parent is None:
                    conn.invalidate()
                if autoclose and self._parent is None:
                    conn.close()
                elif should_commit and trans.is_active:
                    trans.close()
        self._state = CLOSED
        sess._transaction_closed(self)
        self._connections = {}  # (``session`` stays: as SQLAlchemy's, an ended level keeps it)

    # -- snapshot accounting ------------------------------------------------------------
    def _restore_snapshot(self, dirty_only: bool = False) -> None:
        sess = self.session
        to_transient = set(self._new) | set(sess._new)
        for s in to_transient:
            sess._expunge_state(s, to_transient=True)
        for s, (old_key, _new_key) in list(self._key_switches.items()):
            sess.identity_map.discard(s)
            s.key = old_key
            if s not in to_transient:
                sess.identity_map.replace(s)
        # an object inserted and deleted in this transaction goes back to transient only
        for s in (set(self._deleted) | set(sess._deleted)) - to_transient:
            sess._update_impl(s, revert_deletion=True)
        for s in sess.identity_map.all_states():
            if not dirty_only or s.modified or s in self._dirty:
                s._expire(s.dict, sess.identity_map._modified)

    def _remove_snapshot(self) -> None:
        sess = self.session
        if not self.nested and sess.expire_on_commit:
            expire_states(sess.identity_map.all_states(), sess.identity_map._modified)
            # as SQLAlchemy does: without expire_on_commit, deleted objects stay "deleted"
            for s in list(self._deleted):
                sess._detach_deleted(s)
            self._deleted.clear()
        elif self.nested and self._parent is not None:
            self._parent._new.update(self._new)
            self._parent._dirty.update(self._dirty)
            self._parent._deleted.update(self._deleted)
            # a key changed in the parent and again here goes back to the parent's original
            # (SQLAlchemy 2.1 keeps this level's, then a root rollback loses the row)
            for st, (old_key, new_key) in list(self._key_switches.items()):
                before = self._parent._key_switches.get(st)
                self._parent._key_switches[st] = (before[0] if before else old_key, new_key)

    # -- context manager ------------------------------------------------------------------
    # As SQLAlchemy's TransactionalContext: while a ``with`` block of a transaction runs, the
    # session refuses to begin or use another transaction once this one has ended inside
    # the block (:func:`_check_context`); leaving the block commits it, or rolls it back on
    # an exception, or only closes it when it already ended.
    def __enter__(self) -> SessionTransaction:
        sess = self.session
        if self._state == CLOSED:
            raise sa_exc.ResourceClosedError("This transaction is closed")
        self._outer_context = sess._trans_context_manager
        self._context_session = sess
        sess._trans_context_manager = self
        return self

    def __exit__(self, type_: Any, value: Any, tb: Any) -> None:
        sess = getattr(self, "_context_session", None)
        try:
            if type_ is None and self.is_active:
                try:
                    self.commit()
                except BaseException:
                    if self._state not in (COMMITTED, CLOSED):
                        self.rollback()
                    raise
            elif not self.is_active:
                if self._state != CLOSED:
                    self.close()
            elif self._state not in (COMMITTED, CLOSED):
                self.rollback()
        finally:
            if sess is not None and sess._trans_context_manager is self:
                sess._trans_context_manager = self._outer_context
            self._context_session = self._outer_context = None


def _check_context(session: Any) -> None:
    """Refuse new transaction work inside a ``with`` block whose transaction has ended."""
    ctx = session._trans_context_manager
    if ctx is not None and not ctx.is_active:
        exc = ctx._rollback_exception
        raise sa_exc.InvalidRequestError(
            "Can't operate on closed transaction inside context manager.  "
            + ("The transaction was rolled back due to an exception: %s.  " % exc
               if exc is not None else "")
            + "Please complete the context manager before emitting further commands."
        )


def warn_ignored_execution_options() -> None:
    """SQLAlchemy's SAWarning, pointed at the first frame outside inspector.orm."""
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(
            "inspector.orm"):
        level, frame = level + 1, frame.f_back
    warnings.warn(
        "Connection is already established for the given bind; execution_options ignored",
        sa_exc.SAWarning, stacklevel=level)


def _apply_execution_options(session: Any, conn: Connection, given: dict | None) -> None:
    """The Session's execution options, then the given ones, on a connection the root level
    just acquired (Core's ``Connection.execution_options()`` changes it in place)."""
    options = {**getattr(session, "execution_options", {}), **(given or {})}
    if options:
        conn.execution_options(**options)


def _begin_root(session: Any, conn: Connection) -> Any:
    """The Core transaction a root SessionTransaction starts on a new connection: a
    two-phase one (PREPARE / COMMIT PREPARED) for a ``twophase=True`` Session."""
    if getattr(session, "twophase", False):
        return conn.begin_twophase()
    return conn.begin()


def _unique(entries: Any) -> list:
    """The distinct (connection, transaction, commits, autoclose) entries, in the order they
    began."""
    return list(dict.fromkeys(entries))
