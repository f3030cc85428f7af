# orm/state.py
"""InstanceState: the ORM's bookkeeping for one mapped object, and its derived status."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from . import exc as orm_exc
from .base import NO_VALUE, STATE_ATTR, History, gc_paused, state_str

if TYPE_CHECKING:
    from .mapper import Mapper

#: every live Session by its id; states refer to sessions by id so a dropped
#: session does not stay alive through its objects
_sessions: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()


def _object_collected(state: InstanceState) -> None:
    state._cleanup(state)


#: makes an :class:`InstanceState` without ``__init__`` (the loader fills its slots itself)
_new_state = weakref.ref.__new__


class InstanceState(weakref.ref):
    """Tracks one mapped object: identity, session, loaded and committed values.

    The five lifecycle statuses are derived from three fields (``key``,
    ``session_id`` and ``_deleted``), so no two flags can ever disagree.

    The state *is* the weak reference to its object (``state.obj()`` is the object, or None
    once it was garbage collected, which calls :meth:`_cleanup`): one garbage-collected
    object per loaded row fewer than a state holding a separate ``weakref.ref``.  It compares
    and hashes by identity, not by its object as a plain weak reference would.
    ``committed_state``, ``parents`` and the pending collection mutations are made on first
    use (a loaded object that is never changed never needs them).
    """

    __slots__ = (
        "class_",
        "mapper",
        "key",
        "session_id",
        "_deleted",
        "_committed",
        "_expired",
        "modified",
        "_strong_obj",
        "insert_order",
        "_pending",
        "_orphaned_outside_of_session",
        "_parents",
        "_load_pending",
        "_empty_collections",
        "__weakref__",
    )

    __hash__ = object.__hash__
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    #: the object, or None once it was garbage collected
    obj = weakref.ref.__call__

    def __new__(cls, obj: Any, mapper: Mapper) -> InstanceState:
        return _new_state(cls, obj, _object_collected)

    def __init__(self, obj: Any, mapper: Mapper) -> None:
        self.class_ = type(obj)
        self.mapper = mapper
        self.key: tuple | None = None
        self.session_id: int | None = None
        self._deleted = False
        #: the dict behind ``committed_state``, made on first use
        self._committed: dict[str, Any] | None = None
        #: the set behind ``expired_attributes``, made on first use (most states never
        #: expire anything: a load of many rows makes one garbage-collected object less each)
        self._expired: set[str] | None = None
        self.modified = False
        self._strong_obj: Any = None
        self.insert_order: int | None = None
        #: the dict behind ``_pending_mutations``, made on first use
        self._pending: dict[str, tuple[list, list]] | None = None
        # relationship -> the parent state holding this object there, or False once removed;
        # no entry means "not known" (a loaded object is assumed to have its parent); the
        # dict behind ``parents``, made on first use
        self._parents: dict[Any, Any] | None = None
        self._orphaned_outside_of_session = False
        #: Session.enable_relationship_loading(): lazy loads work without an identity
        self._load_pending = False
        #: collections read on an object without identity, kept out of __dict__ until changed
        self._empty_collections: dict[str, Any] | None = None

    @property
    def committed_state(self) -> dict[str, Any]:
        """Attribute key -> its value before the changes not flushed yet."""
        committed = self._committed
        if committed is None:
            committed = self._committed = {}
        return committed

    @committed_state.setter
    def committed_state(self, value: dict[str, Any]) -> None:
        self._committed = value

    @property
    def _pending_mutations(self) -> dict[str, tuple[list, list]]:
        """Collection key -> (appended, removed) while the collection is not loaded."""
        pending = self._pending
        if pending is None:
            pending = self._pending = {}
        return pending

    @_pending_mutations.setter
    def _pending_mutations(self, value: dict[str, tuple[list, list]]) -> None:
        self._pending = value

    @property
    def parents(self) -> dict[Any, Any]:
        """Relationship -> the parent state holding this object there, or False once
        removed (no entry: not known)."""
        parents = self._parents
        if parents is None:
            parents = self._parents = {}
        return parents

    @parents.setter
    def parents(self, value: dict[Any, Any]) -> None:
        self._parents = value

    @property
    def expired_attributes(self) -> set[str]:
        """Column keys expired: loaded again from the database on access."""
        expired = self._expired
        if expired is None:
            expired = self._expired = set()
        return expired

    @expired_attributes.setter
    def expired_attributes(self, value: set[str]) -> None:
        self._expired = value

    # -- lifecycle, derived -------------------------------------------------
    @property
    def _attached(self) -> bool:
        return self.session_id is not None and self.session_id in _sessions

    @property
    def transient(self) -> bool:
        """No identity and no session: just constructed, or rolled back from pending."""
        return self.key is None and not self._attached

    @property
    def pending(self) -> bool:
        """In a session, not yet flushed: no row and no identity yet."""
        return self.key is None and self._attached

    @property
    def persistent(self) -> bool:
        """In a session, with an identity (a row in the database)."""
        return self.key is not None and self._attached and not self._deleted

    @property
    def deleted(self) -> bool:
        """Its DELETE was flushed; the transaction has not committed yet."""
        return self.key is not None and self._attached and self._deleted

    @property
    def was_deleted(self) -> bool:
        return self._deleted

    @property
    def detached(self) -> bool:
        """Has an identity but belongs to no session."""
        return self.key is not None and not self._attached

    @property
    def status(self) -> str:
        """One of ``transient``, ``pending``, ``persistent``, ``deleted``, ``detached``."""
        attached = self._attached
        if self.key is None:
            return "pending" if attached else "transient"
        if not attached:
            return "detached"
        return "deleted" if self._deleted else "persistent"

    # -- inspection API -----------------------------------------------------
    @property
    def session(self) -> Any:
        if self.session_id is None:
            return None
        return _sessions.get(self.session_id)

    @property
    def object(self) -> Any:
        return self.obj()

    @property
    def dict(self) -> dict:
        o = self.obj()
        return o.__dict__ if o is not None else {}

    @property
    def identity(self) -> tuple | None:
        return None if self.key is None else self.key[1]

    @property
    def identity_key(self) -> tuple | None:
        return self.key

    @property
    def has_identity(self) -> bool:
        return self.key is not None

    @property
    def expired(self) -> bool:
        return bool(self._expired)

    @property
    def unloaded(self) -> set[str]:
        d = self.dict
        return {k for k in self.mapper.attrs if k not in d}

    @property
    def attrs(self) -> _AttrsView:
        return _AttrsView(self)

    def label(self) -> str:
        return state_str(self)

    def __repr__(self) -> str:
        return "<InstanceState %s %s>" % (state_str(self), self.status)

    # -- change tracking ----------------------------------------------------
    def _modified_event(self) -> None:
        """Called by attributes on the first change since the last flush."""
        self.modified = True
        self._strong_obj = self.obj()
        if self.session_id is not None:
            sess = _sessions.get(self.session_id)
            if sess is not None:
                if self.key is not None and sess.identity_map.contains_state(self):
                    sess.identity_map._modified.add(self)
                if sess._transaction is None:  # a change begins a transaction, as SQLAlchemy
                    sess._autobegin_t()

    def _commit_all(self) -> None:
        """Forget history: current values become the committed ones."""
        self.committed_state.clear()
        self._pending_mutations.clear()
        self.modified = False
        self._strong_obj = None

    def _expire(self, d: dict, modified_set: set | None) -> None:
        """Drop loaded values so the next access reloads them from the database."""
        # (a commit expires every object of the session: only what exists is cleared)
        if self._committed:
            self._committed.clear()
        if self._pending:
            self._pending.clear()
        if self._parents:
            self._parents.clear()  # what held it is unknown again (assumed held, if persistent)
        self.modified = False
        self._strong_obj = None
        if modified_set is not None:
            modified_set.discard(self)
        for key in self.mapper.attrs:
            d.pop(key, None)
        expired = self._expired
        if expired is None:
            self._expired = set(self.mapper.column_keys)
        else:
            expired.update(self.mapper.column_keys)

    def _expire_attributes(self, d: dict, keys) -> None:
        for key in keys:
            d.pop(key, None)
            self.committed_state.pop(key, None)
            self._pending_mutations.pop(key, None)  # a backref change not loaded: forgotten
            if key in self.mapper.columns:
                self.expired_attributes.add(key)

    def _cleanup(self, ref: Any) -> None:
        """The object was garbage collected: drop it from its session's identity map."""
        sess = _sessions.get(self.session_id) if self.session_id is not None else None
        if sess is not None:
            sess.identity_map._discard_dead(self)


def expire_states(states: list[InstanceState], modified_set: set | None) -> None:
    """Expire every state of ``states`` as a whole (a commit's ``expire_on_commit``).

    Each state gets a new set of expired keys; with many states the cyclic garbage
    collector is paused meanwhile: none of those sets is garbage, and the collections
    their allocations would trigger could only scan the session's whole heap again
    (as :func:`~.loading._objects` does while it loads rows).
    """
    with gc_paused(len(states) >= 500):
        for state in states:
            obj = state()
            state._expire(obj.__dict__ if obj is not None else {}, modified_set)


class AttributeState:
    """One attribute of one object, as :func:`inspect` shows it."""

    __slots__ = ("state", "key")

    def __init__(self, state: InstanceState, key: str) -> None:
        self.state = state
        self.key = key

    @property
    def loaded_value(self) -> Any:
        return self.state.dict.get(self.key, NO_VALUE)

    @property
    def value(self) -> Any:
        return getattr(self.state.obj(), self.key)

    @property
    def history(self) -> History:
        return self.state.mapper.attrs[self.key].impl.get_history(
            self.state, self.state.dict, passive=True
        )

    def load_history(self) -> History:
        return self.state.mapper.attrs[self.key].impl.get_history(
            self.state, self.state.dict, passive=False
        )


class _AttrsView:
    __slots__ = ("_state",)

    def __init__(self, state: InstanceState) -> None:
        self._state = state

    def __getitem__(self, key: str) -> AttributeState:
        if key not in self._state.mapper.attrs:
            raise KeyError(key)
        return AttributeState(self._state, key)

    def __getattr__(self, key: str) -> AttributeState:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self):
        return (AttributeState(self._state, k) for k in self._state.mapper.attrs)

    def keys(self):
        return list(self._state.mapper.attrs)

    def __len__(self) -> int:
        return len(self._state.mapper.attrs)


def instance_state(obj: Any) -> InstanceState:
    """The state of a mapped instance, created on first use."""
    try:
        return obj.__dict__[STATE_ATTR]
    except KeyError:
        mapper = getattr(type(obj), "__mapper__", None)
        if mapper is None:
            raise orm_exc.UnmappedInstanceError(obj) from None
        mapper._configure_all()
        state = obj.__dict__[STATE_ATTR] = InstanceState(obj, mapper)
        return state
    except AttributeError:
        raise orm_exc.UnmappedInstanceError(obj) from None


def _state_or_none(obj: Any) -> InstanceState | None:
    try:
        return instance_state(obj)
    except orm_exc.UnmappedInstanceError:
        return None
