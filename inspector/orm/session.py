# orm/session.py
"""Session: the identity map, the transaction stack and the unit of work, in one place."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from . import exc as orm_exc
from .base import state_str
from .cascade import cascade_iterator, save_update_cascade
from .events import _Dispatch
from .identity import IdentityMap
from .loading import execute_orm, get_by_identity, refresh_columns
from .mapper import Mapper, class_mapper
from .state import InstanceState, _sessions, instance_state
from .transaction import SessionTransaction
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


class Session:
    """Manages persistence for mapped objects: see the project README for a tour."""

    _class_dispatch = _Dispatch()

    def __init__(self, bind: Engine | Connection | None = None, *, autoflush: bool = True,
                 expire_on_commit: bool = True, autobegin: bool = True,
                 info: dict | None = None, query_cls: Any = None,
                 _dispatch_parent: _Dispatch | None = None, **kw: Any) -> None:
        """Arguments of SQLAlchemy's Session that are not listed here are refused, unless
        given with the value that means what this Session does anyway (see
        :func:`_check_session_options`)."""
        _check_session_options("Session.__init__", bind, kw)
        self.bind = bind
        self.autoflush = autoflush
        self.expire_on_commit = expire_on_commit
        self.autobegin = autobegin
        self.info = dict(info or {})
        self.hash_key = next(_session_ids)
        self.identity_map = IdentityMap()
        self._new: dict[InstanceState, Any] = {}
        self._deleted: dict[InstanceState, Any] = {}
        self._transaction: SessionTransaction | None = None
        self._flushing = False
        self._stepper_ref: Any = None
        self._query_cls = query_cls
        self.dispatch = _Dispatch(_dispatch_parent or type(self)._class_dispatch)
        _sessions[self.hash_key] = self

    # -- events ------------------------------------------------------------------------
    def _dispatch_event(self, name: str, *args: Any) -> None:
        if self.dispatch.has(name):
            self.dispatch.fire(name, *args)

    # -- transactions --------------------------------------------------------------------
    def _transaction_created(self, trans: SessionTransaction) -> None:
        self._transaction = trans
        self._dispatch_event("after_transaction_create", self, trans)

    def _transaction_closed(self, trans: SessionTransaction) -> None:
        if self._transaction is trans:
            self._transaction = trans._parent
        self._dispatch_event("after_transaction_end", self, trans)

    def _innermost(self) -> SessionTransaction:
        assert self._transaction is not None
        return self._transaction

    def _autobegin_t(self) -> SessionTransaction:
        if self._transaction is None:
            if not self.autobegin:
                raise sa_exc.InvalidRequestError(
                    "Autobegin is disabled on this Session; please call session.begin() to "
                    "start a new transaction"
                )
            SessionTransaction(self, origin="autobegin")
        assert self._transaction is not None
        return self._transaction

    def begin(self, nested: bool = False) -> SessionTransaction:
        """Begin a transaction explicitly (or a SAVEPOINT with ``nested=True``)."""
        self._check_no_stepper("begin()")
        if nested:
            return self.begin_nested()
        if self._transaction is not None:
            raise sa_exc.InvalidRequestError("A transaction is already begun on this Session.")
        return SessionTransaction(self, origin="begin")

    def begin_nested(self) -> SessionTransaction:
        """Begin a SAVEPOINT transaction inside the current one."""
        self._check_no_stepper("begin_nested()")
        return self._autobegin_t()._begin(nested=True, origin="begin_nested")

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
        return self._transaction is None or self._transaction.is_active

    def commit(self) -> None:
        """Flush, then commit the root transaction (beginning one if needed)."""
        self._check_no_stepper("commit()")
        trans = self._transaction
        if trans is None:
            trans = self._autobegin_t()
        trans.commit(_to_root=True)

    def rollback(self) -> None:
        """Roll back the root transaction; an open stepped flush is aborted first."""
        self._abort_stepper()
        if self._transaction is not None:
            self._transaction.rollback(_to_root=True)

    def close(self) -> None:
        """Expunge every object and release connections; an open stepped flush is aborted."""
        self._abort_stepper()
        self.expunge_all()
        trans = self._transaction
        if trans is not None:
            for t in trans._iterate_self_and_parents():
                t.close()

    def reset(self) -> None:
        self.close()

    def invalidate(self) -> None:
        self.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- binds and connections --------------------------------------------------------------
    def get_bind(self, mapper: Any = None, *, clause: Any = None, bind: Any = None) -> Any:
        """The one bind of this Session (``mapper`` and ``clause`` can't choose another)."""
        if bind is not None:
            return bind
        if self.bind is None:
            raise sa_exc.UnboundExecutionError(
                "Could not locate a bind configured on SQL expression or this Session."
            )
        return self.bind

    def connection(self, bind_arguments: dict | None = None,
                   execution_options: dict | None = None) -> Connection:
        _refuse_unimplemented("Session.connection", bind_arguments=bind_arguments,
                              execution_options=execution_options)
        self._check_no_stepper("connection()")
        conn = self._autobegin_t()._connection_for_bind(self.get_bind())
        self.get_transaction()._wrote = True  # unknown use: assume it writes
        return conn

    def _connection(self) -> Connection:
        return self._autobegin_t()._connection_for_bind(self.get_bind())

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
        self._autobegin_t()
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
            self._dispatch_event("deleted_to_persistent", self, obj)

    def _before_attach(self, state: InstanceState, obj: Any) -> bool:
        if state.session_id == self.hash_key:
            return False
        if state.session_id is not None and state.session_id in _sessions:
            raise sa_exc.InvalidRequestError(
                "Object '%s' is already attached to session '%s' (this is '%s')"
                % (state_str(state), state.session_id, self.hash_key)
            )
        self._dispatch_event("before_attach", self, obj)
        return True

    def _after_attach(self, state: InstanceState, obj: Any) -> None:
        state.session_id = self.hash_key
        if state.modified and state._strong_obj is None:
            state._strong_obj = obj
        if state.modified and state.key is not None:
            self.identity_map._modified.add(state)
        self._dispatch_event("after_attach", self, obj)
        if state.key is not None:
            self._dispatch_event("detached_to_persistent", self, obj)
        else:
            self._dispatch_event("transient_to_pending", self, obj)

    def delete(self, instance: Any) -> None:
        """Mark a persistent object for deletion at the next flush."""
        self._check_no_stepper("delete()")
        try:
            state = instance_state(instance)
        except orm_exc.UnmappedInstanceError:
            raise orm_exc.UnmappedInstanceError(instance) from None
        self._autobegin_t()
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
            if st.session_id == self.hash_key:
                self._expunge_state(st)

    def _expunge_state(self, state: InstanceState, to_transient: bool = False) -> None:
        was_pending = state.key is None or state in self._new
        if self._new.pop(state, None) is None and not self.identity_map.contains_state(state):
            # deleted by a flush: the transaction no longer restores it on rollback
            if self._transaction is not None:
                self._transaction._deleted.pop(state, None)
        self._deleted.pop(state, None)
        self.identity_map.discard(state)
        if state.session_id == self.hash_key:
            state.session_id = None
        if to_transient:
            if state.key is not None:
                state.key = None
            state._deleted = False
        state._strong_obj = None if not state.modified else state._strong_obj
        obj = state.obj()
        if obj is not None:
            if was_pending and state.key is None:
                self._dispatch_event("pending_to_transient", self, obj)
            else:
                self._dispatch_event("persistent_to_detached", self, obj)

    def expunge_all(self) -> None:
        """Remove every object from the session (what the identity map and ``new`` hold: as
        SQLAlchemy, a row whose DELETE was flushed stays "deleted")."""
        states = self.identity_map.all_states() + list(self._new)
        self.identity_map = IdentityMap()
        self._new = {}
        self._deleted = {}
        for state in states:
            if state.session_id == self.hash_key:
                state.session_id = None

    def _detach_deleted(self, state: InstanceState) -> None:
        if state.session_id == self.hash_key:
            state.session_id = None
            obj = state.obj()
            if obj is not None:
                self._dispatch_event("deleted_to_detached", self, obj)

    # -- flush bookkeeping (called by the unit of work) ----------------------------------------
    def _register_persistent(self, states: Iterable[InstanceState]) -> None:
        trans = self._transaction
        events = self.dispatch.has("pending_to_persistent")
        for state in states:
            mapper = state.mapper
            obj = state.obj()
            if obj is None:
                continue
            key = mapper.identity_key_from_state(state)
            state._orphaned_outside_of_session = False
            if any(v is None for v in key[1]):
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
                state.key = key
            self.identity_map.replace(state)
            state._commit_all()
            if was_pending:
                self._new.pop(state, None)
                if trans is not None:
                    trans._new[state] = True
                if events:
                    self.dispatch.fire("pending_to_persistent", self, obj)
            elif trans is not None:
                trans._dirty[state] = True

    def _remove_newly_deleted(self, states: Iterable[InstanceState]) -> None:
        trans = self._transaction
        events = self.dispatch.has("persistent_to_deleted")
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
                obj = state.obj()
                if obj is not None:
                    self.dispatch.fire("persistent_to_deleted", self, obj)

    def _contains_state(self, state: InstanceState) -> bool:
        return state in self._new or self.identity_map.contains_state(state)

    def _is_clean(self) -> bool:
        return not self.identity_map._modified and not self._deleted and not self._new

    # -- flush -----------------------------------------------------------------------------
    def flush(self, objects: Any = None) -> None:
        """Write all pending changes to the database, in dependency order."""
        _refuse_unimplemented("Session.flush", objects=objects)
        self._check_no_stepper("flush()")
        if self._flushing:
            raise sa_exc.InvalidRequestError("Session is already flushing")
        if self._is_clean():
            return
        self._flushing = True
        try:
            plan = self._plan_flush()
            if plan is not None:
                run = FlushRun(self, plan)
                run.run_to_end()
        finally:
            self._flushing = False

    def _plan_flush(self) -> FlushPlan | None:
        """Gather the changed objects and build the plan; no SQL is emitted for the plan.

        Planning is part of the flush: a collection it loads must not autoflush.
        """
        if self._is_clean():
            return None
        flushing, self._flushing = self._flushing, True
        try:
            return self._build_plan()
        finally:
            self._flushing = flushing

    def _build_plan(self) -> FlushPlan | None:
        if self.dispatch.has("before_flush"):
            self.dispatch.fire("before_flush", self, None, None)
        deleted = set(self._deleted)
        new = set(self._new)
        dirty = set(self.identity_map._modified) - deleted
        uow = UOWTransaction(self)
        for state in sorted(new | dirty, key=_state_order):
            if state.mapper._delete_orphans and state.mapper._is_orphan(state):
                if state.key is not None:  # a persistent orphan is deleted
                    uow.register_object(state, isdelete=True)
                    continue
                if state._orphaned_outside_of_session:
                    self._expunge_state(state)
                    continue
            uow.register_object(state)
        for state in sorted(deleted, key=_state_order):
            uow.register_object(state, isdelete=True)
        if not uow.has_work:
            self.identity_map._modified.clear()
            return None
        # as SQLAlchemy, whose flush begins its subtransaction before it sorts the graph: an
        # inactive transaction (a failed flush before) is reported first
        self._autobegin_t()._assert_active()
        try:
            plan = uow.plan()
        except BaseException as e:
            self._fail_planning(e)
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
        sub = self._autobegin_t()._begin(origin="flush")
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
        """Expire and immediately reload the object's attributes."""
        _refuse_unimplemented("Session.refresh", with_for_update=with_for_update)
        self._check_no_stepper("refresh()")
        state = instance_state(instance)
        self._validate_persistent(state)
        self.expire(instance, attribute_names)
        # refresh autoflushes first (the flush may load or delete the row), then always
        # SELECTs every requested column: a row that is gone is an error, as in SQLAlchemy
        self._autoflush()
        mapper = state.mapper
        keys = mapper.column_keys if attribute_names is None else [
            k for k in attribute_names if k in mapper.columns]
        try:
            if keys:
                refresh_columns(state, list(keys))
        except orm_exc.ObjectDeletedError:
            raise sa_exc.InvalidRequestError(
                "Could not refresh instance '%s'" % state_str(state)
            ) from None

    # -- querying --------------------------------------------------------------------------
    def get(self, entity: Any, ident: Any, *, options: Any = None,
            populate_existing: bool = False, with_for_update: Any = None,
            identity_token: Any = None, execution_options: dict | None = None,
            bind_arguments: dict | None = None) -> Any:
        """The object with this primary key: from the identity map, else one SELECT."""
        _refuse_unimplemented("Session.get", options=options,
                              populate_existing=populate_existing or None,
                              with_for_update=with_for_update, identity_token=identity_token,
                              execution_options=execution_options,
                              bind_arguments=bind_arguments)
        self._check_no_stepper("get()")
        mapper = _mapper_of(entity)
        return get_by_identity(self, mapper, ident)

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
        """
        _refuse_unimplemented("Session.execute", bind_arguments=bind_arguments)
        self._check_no_stepper("execute()")
        return execute_orm(self, statement, params, execution_options)

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

    def merge(self, instance: Any, *, load: bool = True, options: Any = None) -> Any:
        """Copy the state of ``instance`` onto the persistent object with its identity."""
        _refuse_unimplemented("Session.merge", options=options)
        self._check_no_stepper("merge()")
        state = instance_state(instance)
        mapper = state.mapper
        # a detached object's identity knows its key even when its values were expired
        pk = state.key[1] if state.key is not None else mapper.primary_key_from_instance(
            instance)
        target = None
        if all(v is not None for v in pk):
            target = self.get(mapper.class_, pk) if load else self.identity_map.get(
                mapper.identity_key_from_primary_key(pk))
        if target is None:
            target = mapper.class_.__new__(mapper.class_)
            for key in mapper.column_keys:
                if key in state.dict:
                    setattr(target, key, state.dict[key])
            self.add(target)
            return target
        for key in mapper.column_keys:
            if key in state.dict:
                setattr(target, key, state.dict[key])
        return target

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
        self.transaction = sess._autobegin_t()._begin(origin="flush")
        try:
            conn = self.transaction._connection_for_bind(sess.get_bind())
        except BaseException as e:  # no connection: the flush fails like any other
            self.fail(e)
            raise
        self._gen = self.plan.execute(conn)

    def step(self) -> Any:
        """Run the next step; returns its record, or None when all steps ran."""
        sess = self.session
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
        if trans is not None and trans.session is not None:
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
    "autocommit": (False,),
    "twophase": (False,),
    "binds": (None, {}),
    "enable_baked_queries": (True, False),  # there is no query cache: both mean the same
    "close_resets_only": (True, _UNSET),
    "execution_options": (None, {}),
    "join_transaction_mode": ("create_savepoint",),
}
_JOIN_TRANSACTION_MODES = (
    "conditional_savepoint", "create_savepoint", "control_fully", "rollback_only",
)
#: arguments of older SQLAlchemy Sessions (the 0.x seeds) that 2.x removed
_REMOVED_OPTIONS: dict[str, str] = {
    "transactional": "SQLAlchemy 0.4's transactional=True is what a 2.x Session always does "
                     "(autobegin); the autocommit mode of transactional=False is gone",
    "autoexpire": "SQLAlchemy 0.5's autoexpire is expire_on_commit",
    "extension": "SessionExtension is gone; use inspector.orm.event.listen(session, ...)",
    "weak_identity_map": "the identity map is always weak-referencing",
    "echo_uow": "there is no unit-of-work echo; use the Session Inspector's flush plan",
    "_enable_transaction_accounting": "transaction accounting is always on",
}


def _check_session_options(func: str, bind: Any, kw: dict) -> None:
    """Refuse Session arguments this Session would otherwise silently ignore.

    Unknown names raise TypeError (with Python's wording); SQLAlchemy 2.x arguments that
    are not implemented raise NotImplementedError unless their value means what this
    Session does anyway; ``autocommit=True`` / ``future=False`` raise ArgumentError as in
    SQLAlchemy 2.x.
    """
    for key, value in kw.items():
        if key == "autocommit" and value:
            raise sa_exc.ArgumentError(
                "autocommit=True is no longer supported (SQLAlchemy 2.x, and inspector.orm, "
                "always autobegin a transaction; call commit() to end it)"
            )
        if key == "future" and value is not True:
            raise sa_exc.ArgumentError(
                "The 'future' parameter passed to Session() may only be set to True."
            )
        if key == "join_transaction_mode":
            if value not in _JOIN_TRANSACTION_MODES:
                raise sa_exc.ArgumentError(
                    'invalid selection for join_transaction_mode: "%s"' % (value,)
                )
            if not isinstance(bind, Connection):
                continue  # only matters when the Session joins a Connection's transaction
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


def _refuse_unimplemented(func: str, **given: Any) -> None:
    """NotImplementedError for a method argument given with other than its default."""
    for key, value in given.items():
        if value is not None and value != {} and value != ():
            raise NotImplementedError(
                "%s(%s=...) is not supported by inspector.orm" % (func, key)
            )


def _state_order(state: InstanceState) -> tuple:
    return (state.mapper._sort_key, state.insert_order or 0, repr(state.key))


class _IdentitySet(list):
    """A list of objects whose ``in`` compares by identity, like SQLAlchemy's IdentitySet."""

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)

    def __contains__(self, item: object) -> bool:
        return any(x is item for x in self)


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
        self.class_ = class_
        self._check(kw)
        self._dispatch = _Dispatch(class_._class_dispatch)

    def _check(self, kw: dict) -> None:
        """Check the arguments now when the class is a Session that takes Session's own."""
        if isinstance(self.class_, type) and issubclass(self.class_, Session) and \
                self.class_.__init__ is Session.__init__:
            extra = {k: v for k, v in kw.items() if k not in _SESSION_ARGS}
            _check_session_options("Session.__init__", kw.get("bind", self.kw.get("bind")),
                                   extra)

    def __call__(self, **local_kw: Any) -> Session:
        kw = dict(self.kw)
        kw.update(local_kw)
        self._check(kw)
        return self.class_(_dispatch_parent=self._dispatch, **kw)

    def begin(self):
        @contextlib.contextmanager
        def _begin():
            with self() as session, session.begin():
                yield session

        return _begin()

    def configure(self, **new_kw: Any) -> None:
        self._check(dict(self.kw, **new_kw))
        self.kw.update(new_kw)

    def __repr__(self) -> str:
        return "sessionmaker(class_=%r, %s)" % (
            self.class_.__name__, ", ".join("%s=%r" % kv for kv in self.kw.items()))


#: the arguments Session.__init__ implements itself
_SESSION_ARGS = ("bind", "autoflush", "expire_on_commit", "autobegin", "info", "query_cls")


def object_session(instance: Any) -> Session | None:
    """The session an object belongs to, or None."""
    return instance_state(instance).session


def make_transient(instance: Any) -> None:
    """Detach an object and forget its identity: it becomes transient."""
    state = instance_state(instance)
    sess = state.session
    if sess is not None:
        sess._expunge_state(state)
    state.key = None
    state._deleted = False
    state.expired_attributes.clear()


def make_transient_to_detached(instance: Any) -> None:
    """Give a transient object the identity its primary key implies: it becomes detached."""
    state = instance_state(instance)
    if state.session_id is not None or state.key is not None:
        raise sa_exc.InvalidRequestError("Given object must be transient")
    state.key = state.mapper.identity_key_from_state(state)
    state._commit_all()
    # what was never set is unknown, not None: loaded on access, as SQLAlchemy expires it
    state.expired_attributes.update(k for k in state.mapper.column_keys if k not in state.dict)


def close_all_sessions() -> None:
    for sess in list(_sessions.values()):
        sess.close()

