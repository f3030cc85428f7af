# orm/events.py
"""Session events, registered with SQLAlchemy Core's event system.

``from sqlalchemy import event; event.listen(session, "after_flush", fn)`` works on this
ORM's :class:`~inspector.orm.Session` (an instance, a :class:`~inspector.orm.sessionmaker`,
the class or a subclass) exactly as on SQLAlchemy's: Core's ``sqlalchemy.event`` keeps the
listener lists, ``listen`` / ``listens_for`` / ``remove`` / ``contains`` and the ``once=``,
``insert=``, ``named=``, ``propagate=`` and ``retval=`` options, and raises its own errors
for unknown event names.  This module only declares the hooks (:class:`SessionEvents`) and
tells Core which targets are ours; the Session calls ``session.dispatch.<hook>(...)`` where
SQLAlchemy 2.1 calls it, after a cheap ``if session.dispatch.<hook>:`` check.

``inspector.orm.event`` is this module: its ``listen`` etc. are Core's own functions.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy.event import Events
from sqlalchemy.event import contains as contains
from sqlalchemy.event import listen as listen
from sqlalchemy.event import listens_for as listens_for
from sqlalchemy.event import remove as remove

from .session import Session, sessionmaker

__all__ = ["SessionEvents", "contains", "listen", "listens_for", "remove"]

#: hooks whose second argument is one object; the Session dispatches its InstanceState and
#: a listener gets the object (or, with ``raw=True``, the state)
LIFECYCLE_EVENTS = frozenset(
    """
    before_attach after_attach transient_to_pending pending_to_transient
    persistent_to_transient pending_to_persistent detached_to_persistent
    loaded_as_persistent persistent_to_deleted deleted_to_persistent deleted_to_detached
    persistent_to_detached
    """.split()
)

#: Session Inspector's own hooks (the recorder's view of a flush); not in SQLAlchemy
INSPECTOR_EVENTS = frozenset({"flush_planned", "flush_step_started", "flush_step",
                              "flush_finished", "expired_load"})


class SessionEvents(Events):
    """The hooks of a :class:`~inspector.orm.Session`, with SQLAlchemy 2.1's names and
    arguments (and Session Inspector's own, at the end)."""

    _target_class_doc = "SomeSessionClassOrObject"
    _dispatch_target = Session

    @classmethod
    def _accept_with(cls, target: Any, identifier: str) -> Any:
        scoped = _scoped_session_class()
        if scoped is not None and isinstance(target, scoped):
            target = target.session_factory
            if not isinstance(target, sessionmaker) and (
                    not isinstance(target, type) or not issubclass(target, Session)):
                raise sa_exc.ArgumentError(
                    "Session event listen on a scoped_session requires that its creation "
                    "callable is associated with the Session class."
                )
        if isinstance(target, sessionmaker):
            return target.class_
        if isinstance(target, type):
            if scoped is not None and issubclass(target, scoped):
                return Session
            if issubclass(target, Session):
                return target
            return None
        if isinstance(target, Session):
            return target
        return None  # not ours: Core asks the next registered event class

    @classmethod
    def _listen(cls, event_key: Any, *, raw: bool = False,
                restore_load_context: bool = False, **kw: Any) -> None:
        # restore_load_context: this ORM has no per-load run id a handler could disturb,
        # so there is nothing to restore; the flag is accepted as SQLAlchemy's is
        if event_key.identifier in LIFECYCLE_EVENTS and not raw:
            fn = event_key._listen_fn

            def with_object(session: Any, state: Any, *arg: Any, **kw: Any) -> Any:
                obj = state.obj()
                if obj is None:  # collected meanwhile: no event, as in SQLAlchemy
                    return None
                return fn(session, obj, *arg, **kw)

            event_key = event_key.with_wrapper(with_object)
        event_key.base_listen(**kw)

    # -- statements ------------------------------------------------------------------
    def do_orm_execute(self, orm_execute_state: Any) -> None:
        """A statement runs through ``Session.execute()`` (also ``scalars()``, ``scalar()``
        and legacy ``Query`` results); the argument is an
        :class:`~inspector.orm.ORMExecuteState`.  A listener that returns a ``Result``
        replaces the execution."""

    # -- transactions ----------------------------------------------------------------
    def after_transaction_create(self, session: Any, transaction: Any) -> None:
        """A :class:`~inspector.orm.SessionTransaction` (any level) was created."""

    def after_transaction_end(self, session: Any, transaction: Any) -> None:
        """A SessionTransaction ended (committed, rolled back or closed)."""

    def before_commit(self, session: Any) -> None:
        """A root or SAVEPOINT transaction is about to commit (before its final flush)."""

    def after_commit(self, session: Any) -> None:
        """The database transaction (or SAVEPOINT) committed; no SQL may run here."""

    def after_rollback(self, session: Any) -> None:
        """The database transaction (or SAVEPOINT) was rolled back."""

    def after_soft_rollback(self, session: Any, previous_transaction: Any) -> None:
        """A SessionTransaction of any level was rolled back (``previous_transaction``)."""

    def after_begin(self, session: Any, transaction: Any, connection: Any) -> None:
        """A transaction took a connection (a database transaction began)."""

    # -- flush -----------------------------------------------------------------------
    def before_flush(self, session: Any, flush_context: Any, instances: Any) -> None:
        """A flush is about to plan its work; the session may still be changed."""

    def after_flush(self, session: Any, flush_context: Any) -> None:
        """The flush's SQL ran; new/dirty/deleted still show the pre-flush state."""

    def after_flush_postexec(self, session: Any, flush_context: Any) -> None:
        """The flush finished its bookkeeping (objects persistent/deleted)."""

    # -- objects ---------------------------------------------------------------------
    def before_attach(self, session: Any, instance: Any) -> None:
        """An object is about to join the session."""

    def after_attach(self, session: Any, instance: Any) -> None:
        """An object joined the session."""

    def after_bulk_update(self, update_context: Any) -> None:
        """Legacy ``Query.update()`` ran (``update_context``: session, query, values,
        result)."""

    def after_bulk_delete(self, delete_context: Any) -> None:
        """Legacy ``Query.delete()`` ran (``delete_context``: session, query, result)."""

    def transient_to_pending(self, session: Any, instance: Any) -> None:
        """A transient object was added."""

    def pending_to_transient(self, session: Any, instance: Any) -> None:
        """A pending object left (expunged, or its transaction rolled back)."""

    def persistent_to_transient(self, session: Any, instance: Any) -> None:
        """A persistent object became transient (its INSERT was rolled back)."""

    def pending_to_persistent(self, session: Any, instance: Any) -> None:
        """A pending object's INSERT was flushed."""

    def detached_to_persistent(self, session: Any, instance: Any) -> None:
        """A detached object was added back."""

    def loaded_as_persistent(self, session: Any, instance: Any) -> None:
        """An object was loaded from a row into the identity map."""

    def persistent_to_deleted(self, session: Any, instance: Any) -> None:
        """A persistent object's DELETE was flushed."""

    def deleted_to_persistent(self, session: Any, instance: Any) -> None:
        """A deleted object came back (its DELETE was rolled back)."""

    def deleted_to_detached(self, session: Any, instance: Any) -> None:
        """A deleted object left the session (commit, expunge, close)."""

    def persistent_to_detached(self, session: Any, instance: Any) -> None:
        """A persistent object left the session (expunge, close)."""

    # -- Session Inspector's own -----------------------------------------------------
    def flush_planned(self, session: Any, plan: Any) -> None:
        """(Session Inspector) a flush built its :class:`~inspector.orm.FlushPlan`."""

    def flush_step_started(self, session: Any, plan: Any, index: int) -> None:
        """(Session Inspector) step ``index`` of the plan is about to run: the SQL until its
        ``flush_step`` is that step's."""

    def flush_step(self, session: Any, plan: Any, record: Any) -> None:
        """(Session Inspector) one step of the plan ran; ``record`` says what it did."""

    def flush_finished(self, session: Any, plan: Any, error: Any) -> None:
        """(Session Inspector) the flush ended: ``error`` is None, an exception or
        ``"aborted"`` (a stepped flush undone)."""

    def expired_load(self, session: Any, instance: Any, keys: Any, reading: Any) -> None:
        """(Session Inspector) expired attributes ``keys`` of ``instance`` are about to be
        loaded again with a SELECT; ``reading`` is the attribute whose read asked for it
        (None: another ORM call, e.g. a flush needing the values)."""


def _scoped_session_class() -> type | None:
    """Our scoped_session class, when this build has one."""
    try:
        from .scoping import scoped_session
    except ImportError:
        return None
    return scoped_session
