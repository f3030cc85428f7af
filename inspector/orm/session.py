# orm/session.py
"""Session: the identity map, the transaction stack and the unit of work, in one place."""

from __future__ import annotations

import contextlib
import itertools
import warnings
from collections.abc import Iterable
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import visitors
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.util import immutabledict

from . import exc as orm_exc
from .base import state_str
from .cascade import cascade_iterator, save_update_cascade
from .identity import IdentityMap
from .legacy import _LegacySessionMethods
from .loading import (
    execute_orm,
    for_update_arg,
    get_by_identity,
    load_expired,
    refresh_columns,
    refuse_options,
    statement_mapper,
)
from .mapper import Mapper, class_mapper
from .state import InstanceState, _sessions, instance_state
from .transaction import SessionTransaction, _check_context, warn_ignored_execution_options
from .unitofwork import FlushPlan, UOWTransaction

__all__ = [
    "Session",
    "sessionmaker",
    "object_session",
    "make_transient",
    "make_transient_to_detached",
    "close_all_sessions",
]

_session_ids = itertools.count(1)


class Session(_LegacySessionMethods):
    """Manages persistence for mapped objects: see the project README for a tour.

    The deprecated names of the 0.x seeds (``save``, ``update``, ``save_or_update``,
    ``load``, ``clear``, ``close_all``, ``prune``) come from
    :class:`~inspector.orm.legacy._LegacySessionMethods`.
    """

    def __init__(self, bind: Engine | Connection | None = None, *, autoflush: bool = True,
                 expire_on_commit: bool = True, autobegin: bool = True,
                 info: dict | None = None, query_cls: Any = None,
                 join_transaction_mode: str = "conditional_savepoint",
                 execution_options: dict | None = None, **kw: Any) -> None:
        """Arguments of SQLAlchemy's Session that are not listed here are refused, unless
        given with the value that means what this Session does anyway (see
        :func:`_check_session_options`)."""
        extension = kw.pop("extension", None)  # the 0.4-0.8 SessionExtension (deprecated)
        binds, self.twophase = kw.pop("binds", None), bool(kw.pop("twophase", False))
        #: the seeds' legacy autocommit mode (``autocommit=True``, 0.4's
        #: ``transactional=False``): no transaction until begin(), each flush in its own
        self.autocommit = _legacy_autocommit(kw)
        _check_session_options("Session.__init__", bind, kw)
        self.bind = bind
        #: class / Table -> Engine (see _add_bind()); immutable, as SQLAlchemy's
        self.binds: immutabledict = immutabledict()
        for key, target in (binds or {}).items():
            self._add_bind(key, target)
        _check_twophase_bind(self, bind)
        self.autoflush = autoflush
        self.expire_on_commit = expire_on_commit
        self.autobegin = autobegin
        if join_transaction_mode not in _JOIN_TRANSACTION_MODES:
            raise sa_exc.ArgumentError(
                'invalid selection for join_transaction_mode: "%s"' % (join_transaction_mode,)
            )
        #: how the root transaction joins a Connection that is already in a transaction
        #: (see :meth:`SessionTransaction._join`)
        self.join_transaction_mode = join_transaction_mode
        #: execution options of every statement this Session runs (under the statement's
        #: own and those given to execute()), and of each connection it acquires
        self.execution_options: immutabledict = immutabledict(execution_options or {})
        self.info = dict(info or {})
        self.hash_key = next(_session_ids)
        self.identity_map = IdentityMap()
        self._new: dict[InstanceState, Any] = {}
        self._deleted: dict[InstanceState, Any] = {}
        self._transaction: SessionTransaction | None = None
        self._trans_context_manager: SessionTransaction | None = None  # innermost with-block
        #: legacy autocommit: a connection per bind outside begin()
        self._autocommit_conns: dict[Any, Connection] = {}
        self._flushing = False
        self._stepper_ref: Any = None
        self._query_cls = query_cls
        _sessions[self.hash_key] = self
        if extension is not None:
            from .interfaces import adapt_extensions

            adapt_extensions(self, extension)

    # -- events ------------------------------------------------------------------------
    # ``self.dispatch`` is the per-session listener collection of SessionEvents (events.py)
    def _dispatch_event(self, name: str, *args: Any) -> None:
        listeners = getattr(self.dispatch, name)
        if listeners:
            listeners(*args)

    # -- transactions --------------------------------------------------------------------
    def _transaction_created(self, trans: SessionTransaction) -> None:
        if trans._parent is None and self._autocommit_conns:
            self._close_autocommit_connection()  # legacy autocommit: a transaction begins
        self._transaction = trans
        self._dispatch_event("after_transaction_create", self, trans)

    def _transaction_closed(self, trans: SessionTransaction) -> None:
        if self._transaction is trans:
            self._transaction = trans._parent
        self._dispatch_event("after_transaction_end", self, trans)

    def _innermost(self) -> SessionTransaction:
        assert self._transaction is not None
        return self._transaction

    def _autobegin_t(self, begin: bool = False) -> SessionTransaction | None:
        """The current transaction, beginning the root one if there is none (refused when
        ``autobegin=False``, unless ``begin`` says the user asked for it).

        In the legacy autocommit mode nothing begins by itself: None when no transaction.
        """
        if self._transaction is None:
            if self.autocommit and not begin:
                return None
            if not begin and not self.autobegin:
                raise sa_exc.InvalidRequestError(
                    "Autobegin is disabled on this Session; please call session.begin() to "
                    "start a new transaction"
                )
            SessionTransaction(self, origin="begin" if begin else "autobegin")
        assert self._transaction is not None
        return self._transaction

    def begin(self, nested: bool = False, subtransactions: bool = False) -> SessionTransaction:
        """Begin a transaction explicitly (or a SAVEPOINT with ``nested=True``).

        Without ``nested``, a transaction must not be begun yet (also not by autobegin):
        InvalidRequestError.  ``begin(nested=True)`` with no transaction begins the root one
        and a SAVEPOINT in it, even when ``autobegin=False``.

        ``subtransactions=True`` is the seeds' (0.5-1.3) legacy subtransaction, accepted
        with a DeprecationWarning: inside a transaction it opens a level whose commit() only
        ends it (flushing) and whose rollback() rolls the enclosing transaction back and
        leaves it inactive until that is rolled back too; ``Session.commit()`` /
        ``rollback()`` act on it, not on the root.  See docs/transactions.md.
        """
        self._check_no_stepper("begin()")
        if subtransactions:
            warnings.warn(
                "Session.begin(subtransactions=True) is the legacy subtransaction pattern of "
                "SQLAlchemy 0.5-1.3 (removed in 2.0); use a single begin() block, or "
                "begin_nested() for a SAVEPOINT", DeprecationWarning, stacklevel=2)
        trans = self._transaction
        if trans is None:
            if nested and self.autocommit:
                raise sa_exc.InvalidRequestError(
                    "Can't start a SAVEPOINT transaction when no existing transaction is in "
                    "progress")
            trans = self._autobegin_t(begin=True)
            assert trans is not None
            if not nested:
                return trans
        if nested:
            return trans._begin(nested=True, origin="begin_nested")
        if subtransactions:
            return trans._begin(origin="subtransactions")
        raise sa_exc.InvalidRequestError("A transaction is already begun on this Session.")

    def begin_nested(self) -> SessionTransaction:
        """Begin a SAVEPOINT transaction inside the current one (flushing first)."""
        return self.begin(nested=True)

    @property
    def transaction(self) -> SessionTransaction | None:
        """The seeds' (0.4-1.4) name of the current, innermost transaction, active or
        inactive; deprecated: use :meth:`get_transaction` (the root) or
        :meth:`get_nested_transaction`.  As SQLAlchemy 1.4's, reading it autobegins (the
        seeds' Session had always begun one), except in the legacy autocommit mode and with
        ``autobegin=False``."""
        warnings.warn(
            "Session.transaction is the legacy name of the current transaction (removed in "
            "SQLAlchemy 2.0); use Session.get_transaction() for the root transaction, "
            "Session.get_nested_transaction() for the innermost SAVEPOINT, or a "
            "`with session.begin():` block", DeprecationWarning, stacklevel=2)
        if self._transaction is None and self.autobegin:
            self._autobegin_t()
        return self._transaction

    def create_transaction(self, **kw: Any) -> SessionTransaction:
        """SQLAlchemy 0.4's alias of :meth:`begin` (deprecated: use ``begin()``)."""
        warnings.warn("Session.create_transaction() is SQLAlchemy 0.4's name of "
                      "Session.begin(); use begin()", DeprecationWarning, stacklevel=2)
        return self.begin(**kw)

    def get_transaction(self) -> SessionTransaction | None:
        trans = self._transaction
        while trans is not None and trans._parent is not None:
            trans = trans._parent
        return trans

    def get_nested_transaction(self) -> SessionTransaction | None:
        trans = self._transaction
        while trans is not None and not trans.nested:
            trans = trans._parent
        return trans

    def transaction_stack(self) -> list[SessionTransaction]:
        """Every open level, outermost first."""
        out = []
        trans = self._transaction
        while trans is not None:
            out.append(trans)
            trans = trans._parent
        return out[::-1]

    def in_transaction(self) -> bool:
        return self._transaction is not None

    def in_nested_transaction(self) -> bool:
        return self.get_nested_transaction() is not None

    @property
    def is_active(self) -> bool:
        """False while the transaction is inactive (a failed flush: rollback() first).

        In the legacy autocommit mode, as its seeds document, False outside a transaction.
        """
        if self._transaction is None:
            return not self.autocommit
        return self._transaction.is_active

    def commit(self) -> None:
        """Flush, then commit the root transaction (beginning one if needed).

        A legacy ``begin(subtransactions=True)`` level is ended alone (its enclosing
        transaction goes on); in the legacy autocommit mode with no transaction begun:
        InvalidRequestError, as in the seeds.
        """
        self._check_no_stepper("commit()")
        trans = self._transaction
        if trans is None:
            trans = self._autobegin_t()
            if trans is None:
                raise sa_exc.InvalidRequestError("No transaction is begun.")
        if trans._how == "subtransactions":
            trans.commit()
            return
        trans.commit(_to_root=True)

    def rollback(self) -> None:
        """Roll back the root transaction; an open stepped flush is aborted first.

        A legacy ``begin(subtransactions=True)`` level is rolled back alone: the enclosing
        transaction is rolled back in the database and stays inactive until it is rolled
        back too.
        """
        self._abort_stepper()
        trans = self._transaction
        if trans is not None:
            trans.rollback(_to_root=trans._how != "subtransactions")

    def close(self) -> None:
        """Expunge every object and release connections; an open stepped flush is aborted."""
        self._close_impl(invalidate=False)

    def _close_impl(self, invalidate: bool) -> None:
        self._abort_stepper()
        self.expunge_all()
        trans = self._transaction
        if trans is not None:
            for t in trans._iterate_self_and_parents():
                t.close(invalidate)
        self._close_autocommit_connection()

    def reset(self) -> None:
        """As :meth:`close` (the Session can be used again, as after close())."""
        self.close()

    def invalidate(self) -> None:
        """As :meth:`close`, but the connections are invalidated (discarded by the pool)
        instead of rolled back and returned: for a connection in an unknown state."""
        self._close_impl(invalidate=True)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- binds and connections --------------------------------------------------------------
    # Session(binds={Model or Table or Mapper or any class: engine}) routes the SQL of a mapped
    # class or table to its own engine; get_bind() resolves as SQLAlchemy 2.x does.
    def _add_bind(self, key: Any, bind: Any) -> None:
        """A mapped class or Mapper binds its class and table; a Table itself; any other
        class (a declarative base, a mixin) binds its mapped subclasses (by ``__mro__``)."""
        mapper = _bind_key_mapper(key)
        if mapper is not None:
            new = {mapper.class_: bind, mapper.local_table: bind}
        elif isinstance(key, TableClause | type):
            new = {key: bind}
        else:
            raise sa_exc.ArgumentError("Not an acceptable bind target: %s" % (key,))
        self.binds = self.binds.merge_with(new)
        _check_twophase_bind(self, bind)

    def bind_mapper(self, mapper: Any, bind: Any) -> None:
        """Route the SQL of a mapped class (or Mapper, or any base class) to ``bind``."""
        self._add_bind(mapper, bind)

    def bind_table(self, table: Any, bind: Any) -> None:
        """Route SQL mentioning ``table`` to ``bind``."""
        self._add_bind(table, bind)

    def get_bind(self, mapper: Any = None, *, clause: Any = None, bind: Any = None,
                 **kw: Any) -> Any:
        """The Engine or Connection for ``mapper`` / ``clause``, resolved as SQLAlchemy does.

        An explicit ``bind`` wins; with no ``binds`` the Session's ``bind``.  Otherwise,
        in order: the mapped class and its ``__mro__`` in ``binds``; the class of the
        statement's first ORM entity (and its ``__mro__``); any Table of ``clause`` (or of
        the mapper's table) in ``binds``; then the Session's ``bind``; else
        UnboundExecutionError.  Subclasses may override it (custom partitioning).
        """
        if bind is not None:
            return bind
        if not self.binds and self.bind is not None:
            return self.bind
        if mapper is None and clause is None:
            if self.bind is not None:
                return self.bind
            raise sa_exc.UnboundExecutionError(
                "This session is not bound to a single Engine or Connection, and no "
                "context was provided to locate a binding."
            )
        inspected = _get_bind_mapper(mapper) if mapper is not None else None
        if self.binds:
            if inspected is not None:
                for cls in inspected.class_.__mro__:
                    if cls in self.binds:
                        return self.binds[cls]
                if clause is None:
                    clause = inspected.persist_selectable
            if clause is not None:
                subject = statement_mapper(clause)
                if subject is not None:
                    for cls in subject.class_.__mro__:
                        if cls in self.binds:
                            return self.binds[cls]
                for element in visitors.iterate(clause):
                    if element in self.binds:
                        return self.binds[element]
        if self.bind is not None:
            return self.bind
        context = []
        if inspected is not None:
            context.append("mapper %s" % inspected)
        if clause is not None:
            context.append("SQL expression")
        raise sa_exc.UnboundExecutionError(
            "Could not locate a bind configured on %s or this Session." % ", ".join(context)
        )

    def connection(self, bind_arguments: dict | None = None,
                   execution_options: dict | None = None) -> Connection:
        """The Connection of this Session's transaction for the bind ``bind_arguments``
        resolve to (``{"mapper": ..., "clause": ..., "bind": ...}``; none: the one bind).

        ``execution_options`` go to ``Connection.execution_options()`` when this call is
        the one that acquires the connection in the transaction (for instance
        ``{"isolation_level": "SERIALIZABLE"}``); if the transaction already holds it they
        are ignored with a SAWarning, as in SQLAlchemy.
        """
        self._check_no_stepper("connection()")
        conn = self._connection(bind_arguments=bind_arguments,
                                execution_options=execution_options)
        self._mark_written()  # unknown use: assume it writes
        return conn

    def _mark_written(self) -> None:
        """A statement that may write runs in the transaction (the stepper then needs a
        SAVEPOINT to undo only its own flush); outside one (legacy autocommit) no-op."""
        root = self.get_transaction()
        if root is not None:
            root._wrote = True

    def _connection(self, mapper: Any = None, clause: Any = None,
                    bind_arguments: dict | None = None,
                    execution_options: dict | None = None) -> Connection:
        """The connection for a statement the ORM runs: ``mapper`` is its ORM entity (if
        any), ``clause`` the statement; ``bind_arguments`` as given to execute()."""
        _check_context(self)
        args = dict(bind_arguments or {})
        if clause is not None:
            args.setdefault("clause", clause)
            if mapper is None:
                mapper = statement_mapper(clause)
        if mapper is not None:
            args["mapper"] = mapper
        bind = self.get_bind(**args)
        trans = self._autobegin_t()
        if trans is None:
            return self._autocommit_connection(bind, execution_options)
        return trans._connection_for_bind(bind, execution_options)

    def prepare(self) -> None:
        """Prepare the root transaction for a two-phase commit (``twophase=True`` only):
        flush, then PREPARE on every connection; ``commit()`` then commits them all."""
        self._check_no_stepper("prepare()")
        trans = self._transaction
        if trans is None:
            trans = self._autobegin_t()
        if trans is None:  # legacy autocommit mode: nothing to prepare outside begin()
            raise sa_exc.InvalidRequestError("No transaction is begun.")
        trans.prepare()

    def _autocommit_connection(self, bind: Any,
                               execution_options: dict | None = None) -> Connection:
        """Legacy autocommit mode outside a transaction: statements run on a connection of
        their own per bind that commits each one (Core's ``AUTOCOMMIT`` isolation level), as
        the seeds' ``contextual_connect()`` did.  They are closed when a transaction begins
        and by close(); a Connection given as the bind is used as it is."""
        if isinstance(bind, Connection):
            return bind.execution_options(**execution_options) if execution_options else bind
        conn = self._autocommit_conns.get(bind)
        if conn is None or conn.closed:
            conn = bind.connect().execution_options(
                **{**self.execution_options, **(execution_options or {}),
                   "isolation_level": "AUTOCOMMIT"})
            self._autocommit_conns[bind] = conn
        elif execution_options:
            warn_ignored_execution_options()
        return conn

    def _close_autocommit_connection(self) -> None:
        conns, self._autocommit_conns = self._autocommit_conns, {}
        for conn in conns.values():
            conn.close()

    # -- the stepped flush guard ------------------------------------------------------------
    def _open_stepper(self) -> Any:
        ref = self._stepper_ref
        stepper = ref() if ref is not None else None
        if stepper is not None and not stepper.done:
            return stepper
        return None

    @property
    def flush_stepper(self) -> Any:
        """The open :class:`~inspector.orm.FlushStepper` of this session, or None."""
        return self._open_stepper()

    def _check_no_stepper(self, operation: str) -> None:
        stepper = self._open_stepper()
        if stepper is not None:
            raise orm_exc.FlushInProgressError(
                "Can't run %s: a stepped flush is open on this Session (%d of %d steps run). "
                "Finish it with stepper.step() / stepper.run(), or undo it with "
                "stepper.abort(), first." % (operation, len(stepper.executed),
                                             len(stepper.plan.steps))
            )

    def _abort_stepper(self) -> None:
        stepper = self._open_stepper()
        if stepper is not None:
            stepper.abort()

    # -- adding, deleting -------------------------------------------------------------------
    def add(self, instance: Any, _warn: bool = True) -> None:
        """Place an object in the session; it (and what it cascades to) will be flushed."""
        self._check_no_stepper("add()")
        try:
            state = instance_state(instance)
        except orm_exc.UnmappedInstanceError:
            raise orm_exc.UnmappedInstanceError(instance) from None
        self._save_or_update_state(state)

    def add_all(self, instances: Iterable[Any]) -> None:
        for instance in instances:
            self.add(instance)

    def _save_or_update_state(self, state: InstanceState) -> None:
        """Register ``state`` and, depth first, what its save-update cascades reach.

        The walk stops at objects already in this session (see :mod:`.cascade`), so adding
        many objects of one graph one by one stays linear in the size of the graph.
        """
        state._orphaned_outside_of_session = False  # added on purpose: not a stray orphan
        self._save_or_update_impl(state)
        for cstate in save_update_cascade(state, halt_on=self._contains_state):
            self._save_or_update_impl(cstate)

    def _save_or_update_impl(self, state: InstanceState) -> None:
        if state.key is None:
            self._save_impl(state)
        else:
            self._update_impl(state)

    def _save_impl(self, state: InstanceState) -> None:
        if state.key is not None:
            raise sa_exc.InvalidRequestError(
                "Object '%s' already has an identity - it can't be registered as pending"
                % state_str(state)
            )
        obj = state.obj()
        to_attach = self._before_attach(state, obj)
        if state not in self._new:
            state.insert_order = len(self._new)
            self._new[state] = obj
        if to_attach:
            self._after_attach(state, obj)

    def _update_impl(self, state: InstanceState, revert_deletion: bool = False) -> None:
        if state.key is None:
            raise sa_exc.InvalidRequestError("Instance '%s' is not persisted" % state_str(state))
        if state._deleted:
            if revert_deletion:
                if not state._attached:
                    return
                state._deleted = False
            else:
                raise sa_exc.InvalidRequestError(
                    "Instance '%s' has been deleted.  Use the make_transient() function to "
                    "send this object back to the transient state." % state_str(state)
                )
        obj = state.obj()
        if obj is None:
            return
        to_attach = self._before_attach(state, obj)
        self._deleted.pop(state, None)
        if revert_deletion:
            self.identity_map.replace(state)
        else:
            self.identity_map.add(state)
        if to_attach:
            self._after_attach(state, obj)
        elif revert_deletion:
            self._dispatch_event("deleted_to_persistent", self, state)

    def _before_attach(self, state: InstanceState, obj: Any) -> bool:
        # as SQLAlchemy: attaching autobegins (so a refused add()/delete() does not, and
        # after_transaction_create fires where it does there)
        self._autobegin_t()
        if state.session_id == self.hash_key:
            return False
        if state.session_id is not None and state.session_id in _sessions:
            raise sa_exc.InvalidRequestError(
                "Object '%s' is already attached to session '%s' (this is '%s')"
                % (state_str(state), state.session_id, self.hash_key)
            )
        self._dispatch_event("before_attach", self, state)
        return True

    def _after_attach(self, state: InstanceState, obj: Any) -> None:
        state.session_id = self.hash_key
        if state.modified and state._strong_obj is None:
            state._strong_obj = obj
        if state.modified and state.key is not None:
            self.identity_map._modified.add(state)
        self._dispatch_event("after_attach", self, state)
        if state.key is not None:
            self._dispatch_event("detached_to_persistent", self, state)
        else:
            self._dispatch_event("transient_to_pending", self, state)

    def delete(self, instance: Any) -> None:
        """Mark a persistent object for deletion at the next flush."""
        self._check_no_stepper("delete()")
        try:
            state = instance_state(instance)
        except orm_exc.UnmappedInstanceError:
            raise orm_exc.UnmappedInstanceError(instance) from None
        self._delete_impl(state, instance, head=True)

    def _delete_impl(self, state: InstanceState, obj: Any, head: bool) -> None:
        if state.key is None:
            if head:
                raise sa_exc.InvalidRequestError(
                    "Instance '%s' is not persisted" % state_str(state)
                )
            return
        to_attach = self._before_attach(state, obj)
        if state in self._deleted:
            return
        self.identity_map.add(state)
        if to_attach:
            self._after_attach(state, obj)
        # the whole delete cascade is gathered (loading what it must) before this object is
        # marked, so an autoflush while loading does not delete it early
        cascaded = list(cascade_iterator(state, "delete")) if head else []
        self._deleted[state] = obj
        for child in cascaded:
            self._delete_impl(instance_state(child), child, head=False)

    # -- leaving the session ------------------------------------------------------------------
    def expunge(self, instance: Any) -> None:
        """Remove one object from the session (it becomes detached, or transient if pending)."""
        self._check_no_stepper("expunge()")
        state = instance_state(instance)
        if state.session_id != self.hash_key:
            raise sa_exc.InvalidRequestError(
                "Instance %s is not present in this Session" % state_str(state)
            )
        # the expunge cascade is gathered first: expunging changes nothing it reads
        cascaded = [instance_state(o) for o in cascade_iterator(state, "expunge")]
        for st in [state, *cascaded]:
            # as SQLAlchemy's: an object the cascade reaches outside any session (transient,
            # detached) "leaves" too, its event fired (pending_to_transient for one with no
            # key); one of another session is left alone (SQLAlchemy would unhook it)
            if st.session_id == self.hash_key or st.session_id is None:
                self._expunge_state(st)

    def _expunge_state(self, state: InstanceState, to_transient: bool = False) -> None:
        was_pending = state.key is None or state in self._new
        was_deleted = state._deleted
        if self._new.pop(state, None) is None and not self.identity_map.contains_state(state):
            # deleted by a flush: the transaction no longer restores it on rollback
            if self._transaction is not None:
                self._transaction._deleted.pop(state, None)
        self._deleted.pop(state, None)
        self.identity_map.discard(state)
        if state.session_id == self.hash_key:
            state.session_id = None
        if to_transient and state.key is not None:
            # (a "deleted" mark stays, hidden while the object has no key, as SQLAlchemy's:
            # an object flushed as new and then deleted in a rolled-back transaction reports
            # "deleted" again once it is re-added and flushed)
            state.key = None
        state._strong_obj = None if not state.modified else state._strong_obj
        self._dispatch_detached(state, was_pending, was_deleted, to_transient)

    def _dispatch_detached(self, state: InstanceState, pending: bool, deleted: bool,
                           to_transient: bool) -> None:
        """The lifecycle event of an object that left the session, as SQLAlchemy names it."""
        if not pending and not deleted:
            name = "persistent_to_transient" if to_transient else "persistent_to_detached"
        elif deleted:
            name = "deleted_to_detached"
        else:
            name = "pending_to_transient"
        self._dispatch_event(name, self, state)

    def expunge_all(self) -> None:
        """Remove every object from the session (what the identity map and ``new`` hold: as
        SQLAlchemy, a row whose DELETE was flushed stays "deleted")."""
        states = self.identity_map.all_states() + list(self._new)
        self.identity_map = IdentityMap()
        self._new = {}
        self._deleted = {}
        d = self.dispatch
        if not (d.persistent_to_detached or d.deleted_to_detached or d.pending_to_transient):
            key = self.hash_key  # no detach listener: one plain loop (close() of a big session)
            for state in states:
                if state.session_id == key:
                    state.session_id = None
            return
        for state in states:
            # (one left in the map without a session, as a reverted deletion is after the
            # commit, gets its event again, as in SQLAlchemy; one another session claimed
            # since is left alone)
            if state.session_id == self.hash_key or state.session_id is None:
                state.session_id = None
                self._dispatch_detached(state, state.key is None, state._deleted, False)

    def _detach_deleted(self, state: InstanceState) -> None:
        """A row deleted in the committed transaction: the object leaves the session.  Its
        event follows its flags, as SQLAlchemy's: "deleted_to_detached", or
        "persistent_to_detached" for one whose deletion a SAVEPOINT rollback reverted.  One
        expunged or made transient inside a SAVEPOINT while the outer level holds its
        deletion (no session now) is still in that level's list: its event comes again, as
        SQLAlchemy's ("pending_to_transient" once it has no key)."""
        if state.session_id == self.hash_key or state.session_id is None:
            state.session_id = None
            obj = state.obj()
            if obj is not None:
                self._dispatch_detached(state, state.key is None, state._deleted, False)

    # -- flush bookkeeping (called by the unit of work) ----------------------------------------
    def _register_persistent(self, states: Iterable[InstanceState]) -> None:
        trans = self._transaction
        events = self.dispatch.pending_to_persistent
        for state in states:
            mapper = state.mapper
            obj = state.obj()
            if obj is None:
                continue
            if state.key is not None:
                d = obj.__dict__
                for k in mapper.pk_keys:
                    if k not in d:
                        # an expired row the flush had nothing to write for: SQLAlchemy
                        # loads its key here, after the flush's statements
                        load_expired(state)
                        break
            key = mapper.identity_key_from_state(state)
            state._orphaned_outside_of_session = False
            if _has_none(key[1]):
                raise orm_exc.FlushError(
                    "Instance %s has a NULL identity key.  If this is an auto-generated value, "
                    "check that the database table allows generation of new primary key "
                    "values, and that the mapped Column object is configured to expect these "
                    "generated values.  Ensure also that this flush() is not occurring at an "
                    "inappropriate time, such as within a load() event." % state_str(state)
                )
            was_pending = state.key is None
            if state.key != key:
                if state.key is not None:
                    self.identity_map.discard(state)
                    if trans is not None:  # a rollback puts the old key back
                        switch = trans._key_switches.get(state)
                        trans._key_switches[state] = (switch[0] if switch else state.key, key)
                state.key = key
            self.identity_map.replace(state)
            state._commit_all()
            if was_pending:
                self._new.pop(state, None)
                if trans is not None:
                    trans._new[state] = True
                if events:
                    events(self, state)
            elif trans is not None:
                trans._dirty[state] = True

    def _register_altered(self, states: Iterable[InstanceState]) -> None:
        """Objects an ORM UPDATE changed in place: the current transaction level's rollback
        expires them (as it does what its flushes changed)."""
        trans = self._transaction
        if trans is not None:
            for state in states:
                if state in self._new:
                    trans._new[state] = True
                else:
                    trans._dirty[state] = True

    def _remove_newly_deleted(self, states: Iterable[InstanceState]) -> None:
        trans = self._transaction
        events = self.dispatch.persistent_to_deleted
        for state in states:
            if trans is not None:
                trans._deleted[state] = True
            self.identity_map.discard(state)
            self._deleted.pop(state, None)
            state._deleted = True
            was_modified = state.modified
            state._commit_all()
            # as SQLAlchemy, a deleted row keeps its "modified" mark: rolling back the
            # SAVEPOINT its DELETE ran in reloads it only if it was changed before
            state.modified = was_modified
            if events:
                events(self, state)

    def _contains_state(self, state: InstanceState) -> bool:
        return state in self._new or self.identity_map.contains_state(state)

    def _is_clean(self) -> bool:
        return not self.identity_map._modified and not self._deleted and not self._new

    # -- flush -----------------------------------------------------------------------------
    def flush(self, objects: Any = None) -> None:
        """Write all pending changes to the database, in dependency order.

        ``objects`` (deprecated, as in SQLAlchemy 2.x: an SADeprecationWarning): flush only
        these of the new, changed and deleted objects; what they refer to is not pulled in
        (a reference to an object left out syncs what that object holds now).
        """
        self._check_no_stepper("flush()")
        if self._flushing:
            raise sa_exc.InvalidRequestError("Session is already flushing")
        if self._is_clean():
            return  # as SQLAlchemy: before ``objects`` is looked at
        if objects is not None:
            warnings.warn("The `objects` parameter of `Session.flush` is deprecated",
                          sa_exc.SADeprecationWarning, stacklevel=2)
            objects = _object_states(objects) or None
        self._flushing = True
        try:
            plan = self._plan_flush(objects)
            if plan is not None:
                run = FlushRun(self, plan)
                run.run_to_end()
        finally:
            self._flushing = False

    def _plan_flush(self, objects: set | None = None) -> FlushPlan | None:
        """Gather the changed objects and build the plan; no SQL is emitted for the plan.

        Planning is part of the flush: a collection it loads must not autoflush.
        ``objects``: the states ``flush(objects=)`` limits the flush to.
        """
        if self._is_clean():
            return None
        flushing, self._flushing = self._flushing, True
        try:
            return self._build_plan(objects)
        finally:
            self._flushing = flushing

    def _build_plan(self, objects: set | None = None) -> FlushPlan | None:
        uow = UOWTransaction(self)
        uow.partial = objects is not None
        if self.dispatch.before_flush:
            self.dispatch.before_flush(self, uow, objects)
        deleted = set(self._deleted)
        new = set(self._new)
        dirty = set(self.identity_map._modified) - deleted
        if objects is not None:
            deleted &= objects
            new &= objects
            dirty &= objects
        for state in _flush_order(new | dirty):
            if state.mapper._delete_orphans and state.mapper._is_orphan(state):
                if state.key is not None:  # a persistent orphan is deleted
                    uow.register_object(state, isdelete=True)
                    continue
                if state._orphaned_outside_of_session:
                    self._expunge_state(state)
                    continue
            uow.register_object(state)
        for state in sorted(deleted, key=_state_orderer()):
            if not uow.register_object(state, isdelete=True):
                # as SQLAlchemy's flush (an object marked deleted whose identity another
                # object took): fail rather than leave it in ``deleted`` for ever
                raise AssertionError("Failed to add object to the flush context!")
        if not uow.has_work:
            if objects is None:
                self.identity_map._modified.clear()
            return None
        # as SQLAlchemy, whose flush begins its subtransaction before it sorts the graph: an
        # inactive transaction (a failed flush before) is reported first
        trans = self._autobegin_t()
        if trans is not None:  # (legacy autocommit: the flush will begin its own)
            trans._assert_active()
        try:
            plan = uow.plan()
        except BaseException as e:
            failed = getattr(e, "flush_plan", None)  # a cycle: the plan that could not run
            if failed is not None:
                self._dispatch_event("flush_planned", self, failed)
            self._fail_planning(e)
            if failed is not None:
                self._dispatch_event("flush_finished", self, failed, e)
            raise
        self._dispatch_event("flush_planned", self, plan)
        return plan

    def _fail_planning(self, error: BaseException) -> None:
        """Planning is the first part of a flush: its failure rolls back like a failed flush.

        As in SQLAlchemy (whose flush begins its subtransaction before it builds the graph),
        the session is left needing ``rollback()``; the next use raises PendingRollbackError.
        A transaction that is already inactive (the error came from it) is left as it is.
        """
        trans = self._transaction
        if trans is not None and not trans.is_active:
            return
        trans = self._autobegin_t()
        if trans is None:  # legacy autocommit, no transaction: nothing to deactivate
            return
        sub = trans._begin(origin="flush")
        sub.rollback(_capture_exception=error)

    def _autoflush(self) -> None:
        if self.autoflush and not self._flushing and self._open_stepper() is None:
            try:
                self.flush()
            except sa_exc.StatementError as e:
                e.add_detail(
                    "raised as a result of Query-invoked autoflush; consider using a "
                    "session.no_autoflush block if this flush is occurring prematurely"
                )
                raise

    @property
    @contextlib.contextmanager
    def no_autoflush(self):
        autoflush = self.autoflush
        self.autoflush = False
        try:
            yield self
        finally:
            self.autoflush = autoflush

    # -- state views -----------------------------------------------------------------------
    @property
    def new(self) -> list:
        """Objects added and not yet flushed."""
        return _IdentitySet(self._new.values())

    @property
    def deleted(self) -> list:
        """Objects marked for deletion and not yet flushed."""
        return _IdentitySet(self._deleted.values())

    @property
    def dirty(self) -> list:
        """Persistent objects with attribute changes not yet flushed."""
        return _IdentitySet(
            s.obj() for s in self.identity_map._modified
            if s not in self._deleted and s.obj() is not None
        )

    def __contains__(self, instance: Any) -> bool:
        try:
            state = instance_state(instance)
        except orm_exc.UnmappedInstanceError:
            raise orm_exc.UnmappedInstanceError(instance) from None
        return self._contains_state(state)

    def __iter__(self):
        return iter(list(self._new.values()) + self.identity_map.values())

    def is_modified(self, instance: Any, include_collections: bool = True) -> bool:
        state = instance_state(instance)
        for prop in state.mapper.attrs.values():
            if not include_collections and getattr(prop.impl, "collection", False):
                continue
            if prop.impl.get_history(state, state.dict, passive=True).has_changes():
                return True
        return False

    # -- expiry ----------------------------------------------------------------------------
    def expire(self, instance: Any, attribute_names: Iterable[str] | None = None) -> None:
        """Mark attributes stale: the next access loads them from the database."""
        self._check_no_stepper("expire()")
        state = instance_state(instance)
        self._validate_persistent(state)
        if attribute_names is None:
            # the refresh-expire cascade is gathered before expiring drops the references
            cascaded = [instance_state(o) for o in cascade_iterator(state, "refresh_expire")]
            for st in [state, *cascaded]:
                self._conditional_expire(st)
        else:
            state._expire_attributes(state.dict, attribute_names)

    def _conditional_expire(self, state: InstanceState) -> None:
        if state.key is not None:
            state._expire(state.dict, self.identity_map._modified)
        elif state in self._new:  # a pending object reached by the cascade leaves the session
            self._expunge_state(state)

    def _validate_persistent(self, state: InstanceState) -> None:
        """Refuse pending, transient, detached and deleted objects: only the identity map's."""
        if state.key is None or not self.identity_map.contains_state(state):
            raise sa_exc.InvalidRequestError(
                "Instance '%s' is not persistent within this Session" % state_str(state)
            )

    def expire_all(self) -> None:
        for state in self.identity_map.all_states():
            state._expire(state.dict, self.identity_map._modified)

    def refresh(self, instance: Any, attribute_names: Iterable[str] | None = None,
                with_for_update: Any = None) -> None:
        """Expire and immediately reload the object's attributes.

        ``attribute_names``: only these; a relationship named there is loaded at once, as
        SQLAlchemy 2.x does (the SELECT then includes the primary key).
        ``with_for_update``: True or a dict of ``Select.with_for_update()`` arguments,
        rendered as the dialect renders FOR UPDATE (SQLite: not at all).
        """
        self._check_no_stepper("refresh()")
        try:
            state = instance_state(instance)
        except orm_exc.UnmappedInstanceError:
            raise orm_exc.UnmappedInstanceError(instance) from None
        self._validate_persistent(state)
        self.expire(instance, attribute_names)
        # refresh autoflushes first (the flush may load or delete the row), then always
        # SELECTs every requested column: a row that is gone is an error, as in SQLAlchemy
        self._autoflush()
        if isinstance(with_for_update, dict) and not with_for_update:
            raise sa_exc.ArgumentError(
                "with_for_update should be the boolean value True, or a dictionary with "
                "options.  A blank dictionary is ambiguous."
            )
        for_update = for_update_arg(with_for_update)
        mapper = state.mapper
        relationships: list[str] = []
        if attribute_names is None:
            keys = mapper.column_keys
        else:
            names = set(attribute_names)
            relationships = [k for k in mapper.relationships if k in names]
            if relationships:  # as SQLAlchemy, the SELECT then includes the primary key
                names.update(mapper.pk_keys)
            keys = [k for k in mapper.column_keys if k in names]  # in mapper order
        try:
            if keys:
                refresh_columns(state, list(keys), for_update)
        except orm_exc.ObjectDeletedError:
            raise sa_exc.InvalidRequestError(
                "Could not refresh instance '%s'" % state_str(state)
            ) from None
        # as SQLAlchemy's: the many-to-ones load first, then the collections
        for key in sorted(relationships, key=lambda k: mapper.relationships[k].uselist):
            getattr(instance, key)

    # -- querying --------------------------------------------------------------------------
    def get(self, entity: Any, ident: Any, *, options: Any = None,
            populate_existing: bool = False, with_for_update: Any = None,
            identity_token: Any = None, execution_options: dict | None = None,
            bind_arguments: dict | None = None) -> Any:
        """The object with this primary key: from the identity map, else one SELECT.

        ``populate_existing=True`` always SELECTs and overwrites the object in the identity
        map (its unflushed changes are lost); ``with_for_update`` (True or a dict of
        ``Select.with_for_update()`` arguments) always SELECTs, FOR UPDATE as the dialect
        renders it; ``identity_token`` is the third element of the identity key (objects
        loaded with a token are distinct from those without); ``execution_options`` go with
        the SELECT by primary key when one is emitted (``populate_existing`` among them means
        the argument).
        """
        _refuse_unimplemented("Session.get", options=options)
        self._check_no_stepper("get()")
        opts = dict(execution_options or {})
        populate_existing = bool(opts.get("populate_existing")) or populate_existing
        refuse_options(opts, frozenset({"populate_existing"}), "Session.get()")
        mapper = _mapper_of(entity)
        return get_by_identity(self, mapper, ident, populate_existing=populate_existing,
                               for_update=for_update_arg(with_for_update),
                               identity_token=identity_token, bind_arguments=bind_arguments,
                               execution_options=opts)

    def get_one(self, entity: Any, ident: Any, **kw: Any) -> Any:
        """As :meth:`get`, but a missing row raises :class:`~sqlalchemy.exc.NoResultFound`."""
        obj = self.get(entity, ident, **kw)
        if obj is None:
            raise orm_exc.NoResultFound("No row was found when one was required")
        return obj

    @classmethod
    def identity_key(cls, class_: Any = None, ident: Any = None, *, instance: Any = None,
                     row: Any = None, identity_token: Any = None) -> tuple:
        """An identity key: see :func:`inspector.orm.util.identity_key`."""
        from .util import identity_key

        return identity_key(class_, ident, instance=instance, row=row,
                            identity_token=identity_token)

    @classmethod
    def object_session(cls, instance: Any) -> Session | None:
        """The Session ``instance`` belongs to, or None (:func:`object_session`)."""
        return object_session(instance)

    def enable_relationship_loading(self, obj: Any) -> None:
        """Let a transient or pending object lazy-load its relationships through this
        session, from the foreign key values it holds, without adding it to the session.

        As SQLAlchemy's: the object counts as attached (``inspect(obj).pending`` for a
        transient one) but is not in ``new``; a flush does not see it.
        """
        try:
            state = instance_state(obj)
        except orm_exc.UnmappedInstanceError:
            raise orm_exc.UnmappedInstanceError(obj) from None
        to_attach = self._before_attach(state, obj)
        state._load_pending = True
        if to_attach:
            self._after_attach(state, obj)

    def query(self, *entities: Any, **kw: Any) -> Any:
        """A legacy :class:`~inspector.orm.query.Query` for the given classes or columns.

        Keyword arguments go to the query class (ours takes none: TypeError).
        """
        self._check_no_stepper("query()")
        from .query import Query

        cls = self._query_cls or Query
        return cls(entities, self, **kw)

    def execute(self, statement: Any, params: Any = None, *,
                execution_options: dict | None = None,
                bind_arguments: dict | None = None) -> Any:
        """Run a statement; ``select(Model)`` rows come back as objects.

        Statements that mention mapped classes or attributes are ORM-enabled: what of them
        this ORM does not implement raises NotImplementedError (see
        :func:`~inspector.orm.loading.execute_orm`); Core statements run as in Core.
        ``execution_options`` win over the statement's own, which win over the Session's.
        """
        self._check_no_stepper("execute()")
        if self.execution_options:
            own = getattr(statement, "_execution_options", {})
            execution_options = {**{k: v for k, v in self.execution_options.items()
                                    if k not in own}, **(execution_options or {})}
        return execute_orm(self, statement, params, execution_options, bind_arguments)

    def scalars(self, statement: Any, params: Any = None, *,
                execution_options: dict | None = None,
                bind_arguments: dict | None = None) -> Any:
        return self.execute(statement, params, execution_options=execution_options,
                            bind_arguments=bind_arguments).scalars()

    def scalar(self, statement: Any, params: Any = None, *,
               execution_options: dict | None = None,
               bind_arguments: dict | None = None) -> Any:
        return self.execute(statement, params, execution_options=execution_options,
                            bind_arguments=bind_arguments).scalar()

    def merge(self, instance: Any, *, load: bool = True, options: Any = None,
              **kw: Any) -> Any:
        """Copy the state of ``instance`` onto the session's object with its identity
        (found in the identity map, loaded, or made new) and return that object; the rules
        are in :mod:`inspector.orm.merging`.

        ``dont_load=True`` (0.4 - 0.7) is a deprecated alias of ``load=False``.
        """
        _refuse_unimplemented("Session.merge", options=options)
        if "dont_load" in kw:
            warnings.warn("dont_load=True has been renamed to load=False; use load=False",
                          sa_exc.SADeprecationWarning, stacklevel=2)
            load = not kw.pop("dont_load")
        if kw:
            raise TypeError("Session.merge() got an unexpected keyword argument '%s'"
                            % next(iter(kw)))
        self._check_no_stepper("merge()")
        from .merging import merge

        return merge(self, instance, load=load)

    def merge_all(self, instances: Iterable[Any], *, load: bool = True,
                  options: Any = None) -> list:
        """:meth:`merge` each object in turn; the merged objects, in order."""
        return [self.merge(i, load=load, options=options) for i in instances]

    def delete_all(self, instances: Iterable[Any]) -> None:
        """:meth:`delete` each object in turn."""
        for instance in instances:
            self.delete(instance)

    def __repr__(self) -> str:
        return "<Session %d: %d objects>" % (self.hash_key, len(self.identity_map) +
                                             len(self._new))


class FlushRun:
    """One flush being executed: its subtransaction, its steps and how it ends."""

    def __init__(self, session: Session, plan: FlushPlan) -> None:
        self.session = session
        self.plan = plan
        self.records: list[Any] = []
        self.transaction: SessionTransaction | None = None
        self._gen: Any = None
        self.error: BaseException | None = None

    def begin(self) -> None:
        sess = self.session
        trans = sess._autobegin_t()
        # legacy autocommit mode outside begin(): the flush is a transaction of its own
        self.transaction = (SessionTransaction(sess, origin="autocommit_flush")
                            if trans is None else trans._begin(origin="flush"))
        first = next((st.mapper for st in self.plan.steps if st.mapper is not None), None)
        try:  # the first mapper's connection now: a missing bind fails before any step
            conn = self._connection_for(first)
        except BaseException as e:  # no connection: the flush fails like any other
            self.fail(e)
            raise
        self._gen = self.plan.execute(conn, self._connection_for)

    def _connection_for(self, mapper: Any) -> Connection:
        """Each mapper's rows go through its own bind (one connection per bind)."""
        transaction = self.transaction
        assert transaction is not None
        # (asked once per step: the transaction's connection of a mapper stays the same)
        known = self.__dict__.get("_connections")
        if known is None:
            known = self._connections = {}
        elif mapper in known:
            conn, trans = known[mapper]
            if trans is transaction and transaction.is_active and not conn.closed:
                return conn
        conn = transaction._connection_for_bind(self.session.get_bind(mapper))
        known[mapper] = (conn, transaction)
        return conn

    def step(self) -> Any:
        """Run the next step; returns its record, or None when all steps ran."""
        sess = self.session
        sess._dispatch_event("flush_step_started", sess, self.plan, len(self.records))
        sess._flushing = True
        try:
            record = next(self._gen, None)
        except BaseException as e:
            self.fail(e)
            raise
        finally:
            sess._flushing = False
        if record is not None:
            self.records.append(record)
            if record.statements:
                root = sess.get_transaction()
                if root is not None:
                    root._wrote = True
            sess._dispatch_event("flush_step", sess, self.plan, record)
        return record

    def finish(self) -> None:
        sess = self.session
        sess._flushing = True
        try:
            sess._dispatch_event("after_flush", sess, self.plan.uow)
            self.plan.uow.finalize_flush_changes()
            if getattr(self.plan.uow, "partial", False):  # flush(objects=): only those
                sess.identity_map._modified.difference_update(self.plan.uow.states)
            else:
                sess.identity_map._modified.clear()
            sess._dispatch_event("after_flush_postexec", sess, self.plan.uow)
            assert self.transaction is not None
            self.transaction.commit()
        except BaseException as e:
            self.fail(e)
            raise
        finally:
            sess._flushing = False
        sess._dispatch_event("flush_finished", sess, self.plan, None)

    def fail(self, error: BaseException) -> None:
        self.error = error
        trans = self.transaction
        if trans is not None and not trans._closed:
            trans.rollback(_capture_exception=error)
        self.session._dispatch_event("flush_finished", self.session, self.plan, error)

    def run_to_end(self) -> None:
        self.begin()
        while self.step() is not None:
            pass
        self.finish()


class _Unset:
    def __repr__(self) -> str:
        return "<unset>"


_UNSET = _Unset()

#: SQLAlchemy 2.x Session arguments inspector.orm does not implement -> the values that
#: mean what this Session does anyway (accepted), others raise NotImplementedError
_DEFAULT_ONLY_OPTIONS: dict[str, tuple] = {
    "future": (True,),
    "enable_baked_queries": (True, False),  # there is no query cache: both mean the same
    "close_resets_only": (True, _UNSET),
}
_JOIN_TRANSACTION_MODES = (
    "conditional_savepoint", "create_savepoint", "control_fully", "rollback_only",
)
#: arguments of older SQLAlchemy Sessions (the 0.x seeds) that 2.x removed
_REMOVED_OPTIONS: dict[str, str] = {
    "autoexpire": "SQLAlchemy 0.5's autoexpire is expire_on_commit",
    "weak_identity_map": "the identity map is always weak-referencing",
    "echo_uow": "there is no unit-of-work echo; use the Session Inspector's flush plan",
    "_enable_transaction_accounting": "transaction accounting is always on",
}


def _check_session_options(func: str, bind: Any, kw: dict) -> None:
    """Refuse Session arguments this Session would otherwise silently ignore.

    Unknown names raise TypeError (with Python's wording); SQLAlchemy 2.x arguments that
    are not implemented raise NotImplementedError unless their value means what this
    Session does anyway; ``future=False`` raises ArgumentError as in SQLAlchemy 2.x.  The
    seeds' ``autocommit=`` / ``transactional=`` pass (see :func:`_legacy_autocommit`).
    """
    for key, value in kw.items():
        if key in ("autocommit", "transactional"):
            continue  # the seeds' legacy modes: see _legacy_autocommit()
        if key == "future" and value is not True:
            raise sa_exc.ArgumentError(
                "The 'future' parameter passed to Session() may only be set to True."
            )
        if key in _DEFAULT_ONLY_OPTIONS:
            if any(value is ok or (type(value) is type(ok) and value == ok)
                   for ok in _DEFAULT_ONLY_OPTIONS[key]):
                continue
            raise NotImplementedError(
                "%s(%s=%r) is not supported by inspector.orm (accepted: %s)"
                % (func.split(".")[0], key, value,
                   ", ".join(repr(v) for v in _DEFAULT_ONLY_OPTIONS[key]))
            )
        hint = _REMOVED_OPTIONS.get(key)
        raise TypeError(
            "%s() got an unexpected keyword argument '%s'%s"
            % (func, key, " (%s)" % hint if hint else "")
        )


def _legacy_autocommit(kw: dict) -> bool:
    """Pop the seeds' transaction-mode arguments from ``kw``; True for the autocommit mode.

    ``autocommit=True`` (0.5-1.x) and 0.4's ``transactional=False`` select the legacy
    autocommit mode; ``transactional=True`` is what a Session does anyway.  SQLAlchemy 2.x
    refuses them; we accept them, since the seeds are our spec, with a DeprecationWarning
    naming the modern form (docs/transactions.md).
    """
    autocommit = bool(kw.pop("autocommit", False))
    if autocommit:
        warnings.warn(
            "Session(autocommit=True) is the legacy autocommit mode of SQLAlchemy 0.5-1.x "
            "(removed in 2.0): use the default autobegin Session and end each unit of work "
            "with commit(), or a `with session.begin():` block", DeprecationWarning,
            stacklevel=3)
    if "transactional" in kw:
        transactional = bool(kw.pop("transactional"))
        warnings.warn(
            "Session(transactional=%r) is SQLAlchemy 0.4's flag: %s" % (
                transactional,
                "transactional=True is the default (autobegin); leave it out"
                if transactional else
                "transactional=False is the legacy autocommit mode; use the default "
                "autobegin Session with commit() or `with session.begin():`"),
            DeprecationWarning, stacklevel=3)
        autocommit = autocommit or not transactional
    return autocommit


def _refuse_unimplemented(func: str, **given: Any) -> None:
    """NotImplementedError for a method argument given with other than its default."""
    for key, value in given.items():
        if value is not None and value != {} and value != ():
            raise NotImplementedError(
                "%s(%s=...) is not supported by inspector.orm" % (func, key)
            )


def _has_none(values: tuple) -> bool:
    for v in values:
        if v is None:
            return True
    return False


def _state_order(state: InstanceState) -> tuple:
    return (state.mapper._sort_key, state.insert_order or 0, repr(state.key))


def _flush_order(states: Iterable[InstanceState]) -> list:
    """``states`` sorted by :func:`_state_order`; new objects only (the usual case): by
    insert order, then (stable) by class, without a key tuple per object."""
    states = list(states)
    for state in states:
        if state.key is not None:
            return sorted(states, key=_state_orderer())
    states.sort(key=_insert_position)
    states.sort(key=_mapper_sort_key)
    return states


def _insert_position(state: InstanceState) -> int:
    return state.insert_order or 0


def _mapper_sort_key(state: InstanceState) -> str:
    return state.mapper._sort_key


def _state_orderer() -> Any:
    """A sort key giving :func:`_state_order`'s order without a repr of every whole key:
    the class's repr once per class, then the rest of the key's repr ("None", no key,
    sorts after every "(...")."""
    class_reprs: dict[Any, str] = {}

    def order(state: InstanceState) -> tuple:
        key = state.key
        if key is None:
            return (state.mapper._sort_key, state.insert_order or 0, 1)
        cls = key[0]
        prefix = class_reprs.get(cls)
        if prefix is None:
            prefix = class_reprs[cls] = repr(cls)
        tail = repr(key[1]) + (", None)" if key[2] is None else ", %r)" % (key[2],))
        return (state.mapper._sort_key, state.insert_order or 0, 0, prefix, tail)

    return order


class _IdentitySet(list):
    """A list of objects whose ``in`` compares by identity, like SQLAlchemy's IdentitySet."""

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)

    def __contains__(self, item: object) -> bool:
        return any(x is item for x in self)


def _check_twophase_bind(session: Session, bind: Any) -> None:
    """A two-phase Session starts its own transactions: it needs Engines, not Connections."""
    if getattr(session, "twophase", False) and isinstance(bind, Connection):
        raise NotImplementedError(
            "Session(twophase=True) bound to a Connection is not supported by inspector.orm; "
            "bind it to Engines"
        )


def _bind_key_mapper(key: Any) -> Mapper | None:
    """The mapper of a ``binds`` key that is a Mapper or a mapped class, else None."""
    if isinstance(key, Mapper):
        return key
    if isinstance(key, type) and "__mapper__" in key.__dict__:
        return class_mapper(key)
    return None


def _get_bind_mapper(mapper: Any) -> Mapper:
    """get_bind()'s ``mapper`` argument as a Mapper (a class, a Mapper or an instance)."""
    found = _bind_key_mapper(mapper)
    if found is not None:
        return found
    if isinstance(mapper, type):
        raise orm_exc.UnmappedClassError(mapper)
    if isinstance(getattr(mapper, "mapper", None), Mapper):  # an InstanceState
        return mapper.mapper
    if getattr(type(mapper), "__mapper__", None) is not None:
        return type(mapper).__mapper__
    raise sa_exc.NoInspectionAvailable(
        "No inspection system is available for object of type %s" % type(mapper)
    )
def _object_states(objects: Iterable[Any]) -> set[InstanceState]:
    """The states of ``flush(objects=)``; an unmapped object raises UnmappedInstanceError."""
    out = set()
    for obj in objects:
        try:
            out.add(instance_state(obj))
        except orm_exc.UnmappedInstanceError:
            raise orm_exc.UnmappedInstanceError(obj) from None
    return out


def _mapper_of(entity: Any) -> Mapper:
    if isinstance(entity, Mapper):
        return entity
    return class_mapper(entity)


class sessionmaker:
    """A configurable factory of :class:`Session` objects.

    Arguments are checked when given (here, in :meth:`configure` and in a call), not only
    when a Session is made, so a seed-era ``sessionmaker(transactional=True)`` fails at once.
    """

    def __init__(self, bind: Any = None, *, class_: type = Session, autoflush: bool = True,
                 expire_on_commit: bool = True, info: dict | None = None, **kw: Any) -> None:
        kw.update(bind=bind, autoflush=autoflush, expire_on_commit=expire_on_commit)
        if info is not None:
            kw["info"] = info
        self.kw = kw
        # a subclass per factory, as in SQLAlchemy: event.listen(maker, ...) targets it
        self.class_ = type(class_.__name__, (class_,), {})
        self._check(kw)

    def _check(self, kw: dict) -> None:
        """Check the arguments now when the class is a Session that takes Session's own."""
        if isinstance(self.class_, type) and issubclass(self.class_, Session) and \
                self.class_.__init__ is Session.__init__:
            extra = {k: v for k, v in kw.items() if k not in _SESSION_ARGS}
            _check_session_options("Session.__init__", kw.get("bind", self.kw.get("bind")),
                                   extra)

    def __call__(self, **local_kw: Any) -> Session:
        """A new Session with this factory's arguments, overridden by ``local_kw``; an
        ``info`` dict given here is merged over the factory's (as SQLAlchemy does)."""
        kw = dict(self.kw)
        if "info" in local_kw and "info" in kw:
            local_kw = dict(local_kw, info=dict(kw["info"], **local_kw["info"]))
        kw.update(local_kw)
        self._check(kw)
        return self.class_(**kw)

    def begin(self):
        """A context manager: a new Session with a transaction begun, committed at the end
        of the block (rolled back on an exception), then the Session is closed."""
        @contextlib.contextmanager
        def _begin():
            with self() as session, session.begin():
                yield session

        return _begin()

    def configure(self, **new_kw: Any) -> None:
        """Change the arguments of Sessions made from now on (an ``info`` given here
        replaces the factory's)."""
        self._check(dict(self.kw, **new_kw))
        self.kw.update(new_kw)

    def __repr__(self) -> str:
        return "sessionmaker(class_=%r, %s)" % (
            self.class_.__name__, ", ".join("%s=%r" % kv for kv in self.kw.items()))


#: the arguments Session.__init__ implements itself
_SESSION_ARGS = ("bind", "autoflush", "expire_on_commit", "autobegin", "info", "query_cls",
                 "binds", "twophase", "join_transaction_mode", "extension", "execution_options")


def object_session(instance: Any) -> Session | None:
    """The session an object belongs to, or None."""
    return instance_state(instance).session


def _state_or_attribute_error(instance: Any) -> InstanceState:
    """The state, for functions where SQLAlchemy reads ``instance._sa_instance_state``
    directly: an unmapped object (or None) raises AttributeError, as there."""
    try:
        return instance_state(instance)
    except orm_exc.UnmappedInstanceError:
        raise AttributeError("'%s' object has no attribute '_sa_instance_state'"
                             % type(instance).__name__) from None


def make_transient(instance: Any) -> None:
    """Detach an object and forget its identity: it becomes transient."""
    state = _state_or_attribute_error(instance)
    sess = state.session
    if sess is not None:
        sess._expunge_state(state)
    state.key = None
    state._deleted = False
    state.expired_attributes.clear()


def make_transient_to_detached(instance: Any) -> None:
    """Give a transient object the identity its primary key implies: it becomes detached."""
    state = _state_or_attribute_error(instance)
    if state.session_id is not None or state.key is not None:
        raise sa_exc.InvalidRequestError("Given object must be transient")
    state.key = state.mapper.identity_key_from_state(state)
    state._commit_all()
    # what was never set is unknown, not None: loaded on access, as SQLAlchemy expires it
    state.expired_attributes.update(k for k in state.mapper.column_keys if k not in state.dict)


def close_all_sessions() -> None:
    for sess in list(_sessions.values()):
        sess.close()

