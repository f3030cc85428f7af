# orm/attributes.py
"""Instrumented attributes: descriptors that record history, load lazily and follow backrefs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy.exc as sa_exc
from sqlalchemy.sql.operators import ColumnOperators

from .base import DONT_SET, HISTORY_BLANK, NO_VALUE, STATE_ATTR, History, state_str
from .state import InstanceState, instance_state

if TYPE_CHECKING:
    from .relationships import RelationshipProperty


def _state(obj: Any) -> InstanceState:
    try:
        return obj.__dict__[STATE_ATTR]
    except KeyError:
        return instance_state(obj)


class QueryableAttribute(ColumnOperators):
    """``User.name`` at class level: a SQL expression; on instances, the value."""

    def __init__(self, class_: type, key: str, impl: AttributeImpl, prop: Any) -> None:
        self.class_ = class_
        self.key = key
        self.impl = impl
        self.property = prop
        self._ce: Any = None

    # descriptor protocol
    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        d = obj.__dict__
        try:
            return d[self.key]
        except KeyError:
            return self.impl.get(_state(obj), d)

    def __set__(self, obj: Any, value: Any) -> None:
        if value is DONT_SET:  # a MappedAsDataclass __init__'s unset default
            return
        self.impl.set(_state(obj), obj.__dict__, value, None)

    def __delete__(self, obj: Any) -> None:
        self.impl.set(_state(obj), obj.__dict__, None, None)

    # SQL expression side
    def __clause_element__(self) -> Any:
        if self._ce is None:
            self._ce = self.property.expression_for(self)
        return self._ce

    def operate(self, op, *other, **kwargs):
        return op(self.__clause_element__(), *other, **kwargs)

    def reverse_operate(self, op, other, **kwargs):
        return op(other, self.__clause_element__(), **kwargs)

    @property
    def expression(self) -> Any:
        return self.__clause_element__()

    def label(self, name: str | None) -> Any:
        """``User.name.label("n")``: the column expression under another name."""
        return self.__clause_element__().label(name)

    def __repr__(self) -> str:
        return "%s.%s" % (self.class_.__name__, self.key)

    def __hash__(self) -> int:
        return id(self)


InstrumentedAttribute = QueryableAttribute


def _equal(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return bool(a == b)
    except Exception:
        return False


class AttributeImpl:
    """Behaviour of one attribute key on one mapped class."""

    collection = False
    accepts_scalar_loader = True

    def __init__(self, key: str) -> None:
        self.key = key

    def get(self, state: InstanceState, d: dict) -> Any:
        raise NotImplementedError

    def set(self, state: InstanceState, d: dict, value: Any, initiator: Any) -> None:
        raise NotImplementedError

    def get_history(self, state: InstanceState, d: dict, passive: bool = True) -> History:
        raise NotImplementedError


class ScalarAttributeImpl(AttributeImpl):
    """A column value."""

    #: what reading an unset value gives (a MappedAsDataclass field's ``default=``)
    default_value: Any = None

    def get(self, state: InstanceState, d: dict) -> Any:
        key = self.key
        if state._expired and key in state._expired:
            # (an object a rollback made transient keeps its expired attributes: as
            # SQLAlchemy's, reading one raises DetachedInstanceError; added again, pending,
            # the read autoflushes it and loads them back)
            from .loading import load_expired

            load_expired(state, _reading=key)
            if key in d:
                return d[key]
        return self.default_value

    def set(self, state: InstanceState, d: dict, value: Any, initiator: Any) -> None:
        key = self.key
        if key not in d and state._expired and key in state._expired \
                and key in state.mapper._active_history_keys:
            # a primary key or version column keeps "active history" (as SQLAlchemy's): its
            # expired old value is loaded before it is replaced, so the flush knows which row
            # and version it replaces
            from .loading import load_expired

            load_expired(state)
        if key not in state.committed_state:
            state.committed_state[key] = d.get(key, NO_VALUE)
        d[key] = value
        if state._expired:
            state._expired.discard(key)
        if not state.modified:
            state._modified_event()

    def get_history(self, state: InstanceState, d: dict, passive: bool = True) -> History:
        key = self.key
        current = d.get(key, NO_VALUE)
        if key not in state.committed_state:
            return HISTORY_BLANK if current is NO_VALUE else History((), (current,), ())
        original = state.committed_state[key]
        if current is NO_VALUE:
            return History((), (), () if original is NO_VALUE else (original,))
        if original is not NO_VALUE and _equal(current, original):
            return History((), (current,), ())
        return History((current,), (), () if original in (NO_VALUE, None) else (original,))


class _RelationshipImpl(AttributeImpl):
    """Shared by scalar-object and collection relationship attributes."""

    def __init__(self, key: str, prop: RelationshipProperty) -> None:
        super().__init__(key)
        self.prop = prop

    def _cascade(self, state: InstanceState, child: Any, initiator: Any) -> None:
        """save-update cascade along this attribute, unless a backref started the change."""
        if initiator is not None or child is None or not self.prop.cascade.save_update:
            return
        sess = state.session
        if sess is None:
            return
        cstate = _state(child)
        if not sess._contains_state(cstate):  # also refuses an object deleted by a flush
            sess._save_or_update_state(cstate)

    def _set_has_parent(self, child: Any, parent: InstanceState, value: bool) -> None:
        """Record whether ``child`` is held by ``parent`` through this relationship.

        Clearing is skipped when the child already has another parent (one with a different
        identity key): it moved there and the removal from the old parent came second.
        """
        if child is None or child is NO_VALUE:
            return
        parents = _state(child).parents
        prop = self.prop
        if value:
            parents[prop] = parent
            return
        last = parents.get(prop)
        if last is not None and last is not False and last.key != parent.key:
            return
        parents[prop] = False

    def _removed(self, state: InstanceState, child: Any) -> None:
        """``child`` left this relationship: a pending delete-orphan leaves the session."""
        self._set_has_parent(child, state, False)
        if child is None or child is NO_VALUE or not self.prop.cascade.delete_orphan:
            return
        cstate = _state(child)
        if not cstate.mapper._is_orphan(cstate):
            return
        sess = state.session
        if sess is not None and cstate in sess._new:
            sess.expunge(child)
        else:
            cstate._orphaned_outside_of_session = True

    def _record_change(self, state: InstanceState, previous: Any) -> None:
        """Remember the committed value and mark the object modified; as SQLAlchemy, a
        viewonly relationship changes in memory only: no history, the object stays clean."""
        if self.prop.viewonly:
            return
        if self.key not in state.committed_state:
            state.committed_state[self.key] = previous
        if not state.modified:
            state._modified_event()

    def _check_single_parent(self, state: InstanceState, value: Any, old: Any) -> None:
        """``single_parent=True``: an object already held through this relationship may
        not be given to another parent (SQLAlchemy's single parent validator)."""
        if value is None or value is NO_VALUE or value is old:
            return
        held_by = _state(value).parents.get(self.prop)
        if held_by is not None and held_by is not False:
            raise sa_exc.InvalidRequestError(
                "Instance %s is already associated with an instance of %s via its %s "
                "attribute, and is only allowed a single parent."
                % (state_str(_state(value)), state.class_, self.prop))

    def _backref_impl(self) -> _RelationshipImpl | None:
        rev = self.prop._reverse_property
        return rev.impl if rev is not None else None


class ScalarObjectAttributeImpl(_RelationshipImpl):
    """A many-to-one reference to another object."""

    def get(self, state: InstanceState, d: dict) -> Any:
        if state.key is not None or state._load_pending:
            from .loading import lazy_load_scalar

            value = lazy_load_scalar(state, self.prop)
            d[self.key] = value
            return value
        return None

    def _current(self, state: InstanceState, d: dict) -> Any:
        """The old value for a replace, without emitting SQL: identity map only; with
        active history (``active_history=True``, ``single_parent``) loaded, without
        autoflush, as SQLAlchemy does."""
        key = self.key
        if key in d:
            return d[key]
        if state.key is None:
            return NO_VALUE
        from .loading import lazy_load_scalar

        if self.prop._active_history:
            sess = state.session
            if sess is not None:
                with sess.no_autoflush:
                    value = lazy_load_scalar(state, self.prop, passive=False)
            else:
                value = lazy_load_scalar(state, self.prop, passive=False)
            d[key] = value
            return value
        value = lazy_load_scalar(state, self.prop, passive=True)
        if value is not NO_VALUE:  # found without SQL (null key, identity map): kept loaded
            d[key] = value
        return value

    def set(self, state: InstanceState, d: dict, value: Any, initiator: Any) -> None:
        key = self.key
        old = self._current(state, d)
        if self.prop.single_parent and initiator is None:
            self._check_single_parent(state, value, old)
        if old is value and key in d:
            # the same object again: no events, but the object counts as modified (dirty)
            self._record_change(state, old)
            return
        # in SQLAlchemy's order: the old value loses its parent; the listeners run (the
        # cascade, which may refuse the new value before anything changed; a pending orphan
        # leaves; the backref); the change is recorded; the new value gets its parent
        if old is not value:
            self._set_has_parent(old, state, False)
        self._cascade(state, value, initiator)
        if old is not value:
            self._removed_scalar(state, old)
        rev = self._backref_impl()
        if rev is not None and old is not value:  # the same object again: no backref
            obj = state.obj()
            # the old parent loses this object, unless its own collection started the change;
            # an append to another parent's collection (value is that parent) still moves it
            if old is not None and old is not NO_VALUE and (
                    initiator is not rev or (value is not None and rev.collection)):
                rev.remove_from_backref(_state(old), obj, self)
            if value is not None and initiator is not rev:
                rev.append_from_backref(_state(value), obj, self)
        self._record_change(state, old)
        if value is not None:
            self._set_has_parent(value, state, True)
        d[key] = value

    def _removed_scalar(self, state: InstanceState, old: Any) -> None:
        """The replaced value: unlike a collection removal, only a pending orphan is acted on."""
        if old is None or old is NO_VALUE or not self.prop.cascade.delete_orphan:
            return
        ostate = _state(old)
        sess = state.session
        if sess is not None and ostate in sess._new and ostate.mapper._is_orphan(ostate):
            sess.expunge(old)

    def set_from_backref(self, state: InstanceState, value: Any, initiator: Any) -> None:
        self.set(state, state.dict, value, initiator)

    def clear_from_backref(self, state: InstanceState, old: Any, initiator: Any) -> None:
        d = state.dict
        cur = self._current(state, d)
        # unknown without SQL (key expired, or a detached object): clear; never set (pending,
        # or a key never loaded since the INSERT): leave alone, as SQLAlchemy's backref pop
        if cur is old or (cur is NO_VALUE and state.key is not None and (
                state.session_id is None or not self._key_never_loaded(state))):
            self.set(state, d, None, initiator)

    def _key_never_loaded(self, state: InstanceState) -> bool:
        d, expired, col_to_key = state.dict, state.expired_attributes, state.mapper._col_to_key
        for _, fk in self.prop.synchronize_pairs:
            key = col_to_key.get(fk)
            if key is not None and key not in d and key not in expired:
                return True
        return False

    # scalar relationships used as the "many" side of a one-to-one backref
    def append_from_backref(self, state: InstanceState, child: Any, initiator: Any) -> None:
        self.set(state, state.dict, child, initiator)

    def remove_from_backref(self, state: InstanceState, child: Any, initiator: Any) -> None:
        self.clear_from_backref(state, child, initiator)

    def get_history(self, state: InstanceState, d: dict, passive: bool = True) -> History:
        key = self.key
        if key not in d:
            if passive or state.key is None:
                return HISTORY_BLANK
            self.get(state, d)
        current = d.get(key, NO_VALUE)
        if key not in state.committed_state:
            return History((), (current,), ())
        original = state.committed_state[key]
        if original is NO_VALUE and self.prop.direction != "MANYTOONE" and \
                state.key is not None:
            # replaced before it was loaded: SQLAlchemy's deferred history loads it now
            from .loading import load_committed_one_child

            original = load_committed_one_child(state, self.prop)
        if original is current:
            return History((), (current,), ())
        return History(
            (current,), (), () if original is NO_VALUE or original is None else (original,)
        )


class CollectionAttributeImpl(_RelationshipImpl):
    """A one-to-many collection (an instrumented list)."""

    collection = True
    #: the container type: a function items -> a new, unattached instrumented collection
    _make: Any = None
    _dict_like = False

    def get(self, state: InstanceState, d: dict) -> Any:
        if state.key is None and not state._load_pending:
            return self._empty_collection(state)
        from .loading import lazy_load_collection

        loaded = lazy_load_collection(state, self.prop)
        coll = self._make(loaded)
        coll._si_attach(state, self)
        pending = state._pending_mutations.pop(self.key, None)
        if state.key is None:  # no load happened (e.g. rolled back to transient): nothing to merge
            pending = None
        if pending is not None:
            added, removed = pending
            base = coll._si_members()
            for item in removed:
                coll._si_raw_remove(item)
            for item in added:
                if not any(x is item for x in coll._si_members()):
                    coll._si_raw_append(item)
            state.committed_state[self.key] = base
            d[self.key] = coll
            if not state.modified:
                state._modified_event()
            return coll
        d[self.key] = coll
        return coll

    def _empty_collection(self, state: InstanceState) -> Any:
        """Reading the collection of an object without identity: an empty collection, the
        same one on every read, that goes into ``__dict__`` only when it is first changed (as
        SQLAlchemy 2.x keeps such collections aside until mutated)."""
        state._pending_mutations.pop(self.key, None)  # nothing loaded: nothing to merge
        empty = state._empty_collections
        if empty is None:
            empty = state._empty_collections = {}
        coll = empty.get(self.key)
        if coll is None:
            coll = empty[self.key] = self._make([])
            coll._si_attach(state, self)
        return coll

    def _adapt(self, state: InstanceState, value: Any) -> Any:
        coll = self._make(self._items_of(value))
        coll._si_attach(state, self)
        return coll

    def _items_of(self, value: Any) -> list:
        """The objects of a value assigned to this collection (a dict's values); as
        SQLAlchemy, the value must be of the collection's kind (list, set or dict-like)."""
        if value is None:
            return []
        kind = "dict" if self._dict_like else (
            "set" if getattr(self._make, "_si_kind", "list") == "set" else "list")
        if _duck_type(value) != kind:
            raise TypeError("Incompatible collection type: %s is not %s-like"
                            % (type(value).__name__, kind))
        return list(value.values()) if kind == "dict" else list(value)

    def set(self, state: InstanceState, d: dict, value: Any, initiator: Any) -> None:
        """Replace the whole collection: fire remove/append for the difference."""
        new_items = self._items_of(value)
        old = d[self.key] if self.key in d else self.get(state, d)
        new_ids = {id(x) for x in new_items}
        old_items = _members(old)
        old_ids = {id(x) for x in old_items}
        self._pre_change(state, d, old)
        coll = self._make(new_items)
        coll._si_attach(state, self)
        d[self.key] = coll
        for item in old_items:
            if id(item) not in new_ids:
                self.fire_remove(state, item, initiator)
        for item in new_items:
            if id(item) not in old_ids:
                self.fire_append(state, item, initiator)

    def _materialize(self, state: InstanceState, d: dict, current: Any) -> None:
        empty = state._empty_collections
        if empty and empty.get(self.key) is current and self.key not in d:
            del empty[self.key]  # the kept-aside empty collection is changed: now it counts
            d[self.key] = current

    def _pre_change(self, state: InstanceState, d: dict, current: Any) -> None:
        self._materialize(state, d, current)
        if self.prop.viewonly:  # see _record_change
            return
        if self.key not in state.committed_state:
            state.committed_state[self.key] = _members(current)
        if not state.modified:
            state._modified_event()

    def fire_append(self, state: InstanceState, item: Any, initiator: Any) -> None:
        """The append event, before the item is in the list (as SQLAlchemy's): the cascade,
        then the backref (which may find a pending orphan to expunge), then "has a parent".
        If the cascade refuses the item (a deleted object), nothing has changed."""
        if self.prop.single_parent and initiator is None:
            self._check_single_parent(state, item, None)
        self._cascade(state, item, initiator)
        rev = self._backref_impl()
        if rev is not None and initiator is not rev and item is not None:
            rev.append_from_backref(_state(item), state.obj(), self)
        self._set_has_parent(item, state, True)

    def fire_remove(self, state: InstanceState, item: Any, initiator: Any) -> None:
        self._removed(state, item)
        rev = self._backref_impl()
        if rev is not None and initiator is not rev and item is not None:
            # the item is usually still in the list here: a duplicate that stays keeps
            # its many-to-one (as SQLAlchemy checks for dupes on remove)
            coll = state.dict.get(self.key, ())
            if sum(1 for x in _members(coll) if x is item) < 2:
                rev.remove_from_backref(_state(item), state.obj(), self)

    # backref entry points: change the collection without calling back
    def append_from_backref(self, state: InstanceState, child: Any, initiator: Any) -> None:
        self._set_has_parent(child, state, True)
        d = state.dict
        if self.key in d:
            # no de-duplication: as SQLAlchemy's list, a backref append of an object whose
            # old parent was unknown can list it twice
            coll = d[self.key]
            self._pre_change(state, d, coll)
            coll._si_raw_append(child)
        elif state.key is None:
            coll = self.get(state, d)
            self._pre_change(state, d, coll)
            coll._si_raw_append(child)
        else:
            added, removed = state._pending_mutations.setdefault(self.key, ([], []))
            # as SQLAlchemy's pending collection: an append undoes a pending removal
            if any(x is child for x in removed):
                removed[:] = [x for x in removed if x is not child]
            else:
                added.append(child)
            if not state.modified:
                state._modified_event()
        self._cascade(state, child, initiator)

    def remove_from_backref(self, state: InstanceState, child: Any, initiator: Any) -> None:
        """As SQLAlchemy's backref pop: the remove event fires (the parent counts as changed,
        the child loses its parent) whether or not the child is in the list, which a
        transient or pending parent starts empty; an unloaded collection records it."""
        d = state.dict
        if self.key in d or state.key is None:
            coll = d[self.key] if self.key in d else self.get(state, d)
            self._pre_change(state, d, coll)
            coll._si_raw_remove(child)
        else:
            added, removed = state._pending_mutations.setdefault(self.key, ([], []))
            # ... and a removal undoes a pending append
            if any(x is child for x in added):
                added[:] = [x for x in added if x is not child]
            else:
                removed.append(child)
            if not state.modified:
                state._modified_event()
        self._removed(state, child)

    def get_history(self, state: InstanceState, d: dict, passive: bool = True) -> History:
        key = self.key
        if key not in d:
            pending = state._pending_mutations.get(key)
            if pending is not None and (passive or state.key is None):
                return History(tuple(pending[0]), (), tuple(pending[1]))
            if passive or state.key is None:
                return HISTORY_BLANK
            self.get(state, d)
        current = _members(d[key])
        if key not in state.committed_state:
            return History((), tuple(current), ())
        original = state.committed_state[key]
        orig_ids = {id(x) for x in original}
        cur_ids = {id(x) for x in current}
        return History(
            tuple(x for x in current if id(x) not in orig_ids),
            tuple(x for x in current if id(x) in orig_ids),
            tuple(x for x in original if id(x) not in cur_ids),
        )


class _Instrumented:
    """What every instrumented collection shares: its owner, and the event order."""

    __slots__ = ()

    def _si_attach(self, state: InstanceState, impl: CollectionAttributeImpl) -> None:
        self._si_state = state
        self._si_impl = impl

    def _owner(self) -> tuple[InstanceState, CollectionAttributeImpl] | None:
        """The object and attribute this collection belongs to (None for a detached copy)."""
        try:
            return self._si_state, self._si_impl
        except AttributeError:
            return None

    def _before(self) -> tuple[InstanceState, CollectionAttributeImpl] | None:
        owner = self._owner()
        if owner is not None:
            owner[1]._pre_change(owner[0], owner[0].dict, self)
        return owner

    def _appending(self, item: Any) -> None:
        """The append event runs before the collection changes; then the change is recorded."""
        owner = self._owner()
        if owner is not None:
            state, impl = owner
            # as SQLAlchemy's: written to, a kept-aside empty collection is the object's own
            # even when the append event then refuses the item (a deleted object)
            impl._materialize(state, state.dict, self)
            impl.fire_append(state, item, None)
            impl._pre_change(state, state.dict, self)


def _duck_type(value: Any) -> str | None:
    """Which collection ``value`` is or acts as: "list", "set", "dict" (SQLAlchemy's rule)."""
    for cls in (list, set, dict):
        if isinstance(value, cls):
            return cls.__name__
    for method, kind in (("append", "list"), ("add", "set"), ("set", "dict")):
        if hasattr(value, method):
            return kind
    return None


def _members(coll: Any) -> list:
    """The related objects a collection holds, in order (a dict's values)."""
    members = getattr(coll, "_si_members", None)
    if members is not None:
        return members()
    if isinstance(coll, dict):
        return list(coll.values())
    return list(coll)


class InstrumentedList(_Instrumented, list):
    """A list that tells its owning attribute about every change."""

    __slots__ = ("_si_state", "_si_impl")
    _si_kind = "list"

    def _si_members(self) -> list:
        return list(self)

    def _si_raw_append(self, item: Any) -> None:
        list.append(self, item)

    def _si_raw_remove(self, item: Any) -> bool:
        for i, x in enumerate(self):
            if x is item:
                list.__delitem__(self, i)
                return True
        return False

    def append(self, item: Any) -> None:
        self._appending(item)
        list.append(self, item)

    def insert(self, index: int, item: Any) -> None:
        self._appending(item)
        list.insert(self, index, item)

    def extend(self, items) -> None:
        for item in list(items):
            self.append(item)

    def __iadd__(self, items):
        self.extend(items)
        return self

    def remove(self, item: Any) -> None:
        # the remove event fires first, as in SQLAlchemy: an item that isn't in the list
        # still loses its backref (and may become an orphan) before ValueError is raised
        owner = self._before()
        if owner:
            owner[1].fire_remove(owner[0], item, None)
        list.remove(self, item)

    def pop(self, index: int = -1) -> Any:
        owner = self._before()
        item = list.pop(self, index)
        if owner:
            owner[1].fire_remove(owner[0], item, None)
        return item

    def clear(self) -> None:
        for item in list(self):
            self.remove(item)

    def __setitem__(self, index, value) -> None:
        owner = self._before()
        old = self[index]
        list.__setitem__(self, index, value)
        if owner:
            olds = old if isinstance(index, slice) else [old]
            news = list(value) if isinstance(index, slice) else [value]
            for item in olds:
                owner[1].fire_remove(owner[0], item, None)
            for item in news:
                owner[1].fire_append(owner[0], item, None)

    def __delitem__(self, index) -> None:
        owner = self._before()
        old = self[index]
        list.__delitem__(self, index)
        if owner:
            for item in old if isinstance(index, slice) else [old]:
                owner[1].fire_remove(owner[0], item, None)

    def __reduce__(self):
        return (list, (list(self),))


def get_history(obj: Any, key: str, passive: bool = True) -> History:
    """The history of attribute ``key`` of ``obj``."""
    state = _state(obj)
    return state.mapper.attrs[key].impl.get_history(state, state.dict, passive=passive)


def flag_modified(obj: Any, key: str) -> None:
    state = _state(obj)
    d = state.dict
    if key not in state.committed_state:
        state.committed_state[key] = NO_VALUE
    if key not in d:
        raise KeyError(key)
    state._modified_event()


def set_committed_value(obj: Any, key: str, value: Any) -> None:
    state = _state(obj)
    impl = state.mapper.attrs[key].impl
    if impl.collection:
        value = impl._adapt(state, value)
    state.dict[key] = value
    state.committed_state.pop(key, None)
