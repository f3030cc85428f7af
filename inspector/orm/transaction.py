# orm/transaction.py
"""SessionTransaction: the stack of root, subtransaction and SAVEPOINT levels of a Session."""

from __future__ import annotations

import itertools
import weakref
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Connection

ACTIVE, PREPARED, COMMITTED, DEACTIVE, CLOSED = (
    "active", "prepared", "committed", "deactive", "closed")

_ids = itertools.count(1)


class SessionTransaction:
    """One level of a Session's transaction stack.

    The root and SAVEPOINT ("nested") levels are *boundaries*: they own Core
    transactions and remember which objects became persistent or deleted under them,
    so a rollback can put the session back.  Subtransactions (used by flush) share
    their parent's connection and bookkeeping.
    """

    def __init__(self, session: Any, parent: SessionTransaction | None = None,
                 nested: bool = False, origin: str = "begin") -> None:
        self.session = session
        self._parent = parent
        self.nested = nested
        self.origin = origin
        self.id = next(_ids)
        self._state = ACTIVE
        self._connections: dict[Any, tuple[Connection, Any, bool]] = {}
        self._rollback_exception: BaseException | None = None
        self._wrote = False  # a flush or DML statement ran in this transaction
        if nested and parent is None:
            raise sa_exc.InvalidRequestError(
                "Can't start a SAVEPOINT transaction when no existing transaction is in progress"
            )
        if self.nested and origin == "begin_nested" and not session._flushing:
            # a SAVEPOINT snapshots a flushed session: pending changes go to the outer level
            # first (and on pysqlite the DML then begins the real transaction, so RELEASE
            # does not commit to disk)
            session.flush()
        if self._is_transaction_boundary:
            self._new: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
            self._deleted: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
            self._dirty: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        else:
            self._new, self._deleted, self._dirty = parent._new, parent._deleted, parent._dirty
        session._transaction_created(self)

    # -- introspection ---------------------------------------------------------------
    @property
    def parent(self) -> SessionTransaction | None:
        return self._parent

    @property
    def kind(self) -> str:
        if self._parent is None:
            return "root"
        return "nested" if self.nested else "subtransaction"

    @property
    def status(self) -> str:
        return self._state

    @property
    def is_active(self) -> bool:
        return self.session is not None and self._state == ACTIVE

    @property
    def _is_transaction_boundary(self) -> bool:
        return self.nested or self._parent is None

    @property
    def connections(self) -> list[Connection]:
        return [c for c, _, _ in set(self._connections.values())]

    def __repr__(self) -> str:
        return "<SessionTransaction %d %s %s>" % (self.id, self.kind, self._state)

    # -- checks ------------------------------------------------------------------------
    def _assert_active(self) -> None:
        if self._state == CLOSED or self.session is None:
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
            raise sa_exc.PendingRollbackError(
                "This session is in 'inactive' state, due to the SQL transaction being "
                "rolled back; no further SQL can be emitted within this transaction."
            )
        if self._state != ACTIVE:
            raise sa_exc.InvalidRequestError(
                "This session is in '%s' state; no further SQL can be emitted within this "
                "transaction." % self._state
            )

    # -- connections -------------------------------------------------------------------
    def _connection_for_bind(self, bind: Any) -> Connection:
        self._assert_active()
        key = bind.engine if isinstance(bind, Connection) else bind
        if key in self._connections:
            return self._connections[key][0]
        if self._parent is not None:
            conn = self._parent._connection_for_bind(bind)
            if not self.nested:
                return conn
            trans = conn.begin_nested()
            autoclose = False
        else:
            if isinstance(bind, Connection):
                conn, autoclose = bind, False
                trans = conn.begin_nested() if conn.in_transaction() else conn.begin()
            else:
                conn, autoclose = bind.connect(), True
                trans = conn.begin()
        self._connections[key] = (conn, trans, autoclose)
        self.session._dispatch_event("after_begin", self.session, self, conn)
        return conn

    # -- lifecycle ---------------------------------------------------------------------
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

    def _prepare_impl(self) -> None:
        self._assert_active()
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
                raise sa_exc.FlushError(
                    "Over 100 subsequent flushes have occurred within session.commit() - "
                    "is an after_flush() hook creating new objects?"
                )
        self._state = PREPARED

    def commit(self, _to_root: bool = False) -> SessionTransaction | None:
        if self._state != PREPARED:
            self._prepare_impl()
        sess = self.session
        if self._parent is None or self.nested:
            for _conn, trans, _ in set(self._connections.values()):
                trans.commit()
            self._state = COMMITTED
            sess._dispatch_event("after_commit", sess)
            self._remove_snapshot()
        self.close()
        if _to_root and self._parent is not None:
            return self._parent.commit(_to_root=True)
        return self._parent

    def rollback(self, _capture_exception: BaseException | None = None,
                 _to_root: bool = False) -> SessionTransaction | None:
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
                    try:
                        t._rollback_impl()
                    except BaseException as e:  # ROLLBACK (TO SAVEPOINT) itself failed
                        rollback_error = e
                    t._state = DEACTIVE
                    boundary = t
                    break
                t._state = DEACTIVE
        if boundary is None and self._is_transaction_boundary and not sess._is_clean():
            # changes made on a transaction that was already inactive are discarded
            self._restore_snapshot(dirty_only=self.nested)
        self.close()
        if self._parent is not None and _capture_exception is not None:
            self._parent._rollback_exception = _capture_exception
        if rollback_error is not None:
            # as SQLAlchemy: the level is closed and its snapshot restored all the same, the
            # error propagates (a failed ROLLBACK TO leaves the outer transaction usable)
            raise rollback_error
        sess._dispatch_event("after_soft_rollback", sess, self)
        if _to_root and self._parent is not None:
            return self._parent.rollback(_to_root=True)
        return self._parent

    def _rollback_impl(self) -> None:
        try:
            for _conn, trans, _ in set(self._connections.values()):
                trans.rollback()
        except BaseException:
            self._restore_snapshot(dirty_only=self.nested)
            raise
        self._restore_snapshot(dirty_only=self.nested)
        self.session._dispatch_event("after_rollback", self.session)

    def close(self) -> None:
        sess = self.session
        if sess is None:
            return
        if self._is_transaction_boundary:
            # closing a still-open SAVEPOINT rolls back to it (as Core's close() does)
            for conn, trans, autoclose in set(self._connections.values()):
                if autoclose and self._parent is None:
                    conn.close()
                elif trans.is_active or self._parent is None:
                    trans.close()
        self._state = CLOSED
        sess._transaction_closed(self)
        self.session = None
        self._connections = {}

    # -- snapshot accounting ------------------------------------------------------------
    def _restore_snapshot(self, dirty_only: bool = False) -> None:
        sess = self.session
        to_transient = set(self._new) | set(sess._new)
        for s in to_transient:
            sess._expunge_state(s, to_transient=True)
        # an object inserted and deleted in this transaction goes back to transient only
        for s in (set(self._deleted) | set(sess._deleted)) - to_transient:
            sess._update_impl(s, revert_deletion=True)
        for s in sess.identity_map.all_states():
            if not dirty_only or s.modified or s in self._dirty:
                s._expire(s.dict, sess.identity_map._modified)

    def _remove_snapshot(self) -> None:
        sess = self.session
        if not self.nested and sess.expire_on_commit:
            for s in sess.identity_map.all_states():
                s._expire(s.dict, sess.identity_map._modified)
            # as SQLAlchemy does: without expire_on_commit, deleted objects stay "deleted"
            for s in list(self._deleted):
                sess._detach_deleted(s)
            self._deleted.clear()
        elif self.nested and self._parent is not None:
            self._parent._new.update(self._new)
            self._parent._dirty.update(self._dirty)
            self._parent._deleted.update(self._deleted)

    # -- context manager ------------------------------------------------------------------
    def __enter__(self) -> SessionTransaction:
        return self

    def __exit__(self, type_: Any, value: Any, tb: Any) -> None:
        if self.session is None:
            raise sa_exc.InvalidRequestError(
                "Cannot end transaction context. The transaction was closed from within "
                "the context"
            )
        if type_ is None:
            try:
                self.commit()
            except BaseException:
                if self.session is not None:
                    self.rollback()
                raise
        else:
            self.rollback()
