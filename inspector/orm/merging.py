# orm/merging.py
"""Session.merge(): copy an object's state onto the session's object with the same identity.

The rules, as SQLAlchemy 2.x's (``Session._merge`` and the properties' ``merge()``):

* ``load=True`` autoflushes first (before the argument is even checked), then finds the target:
  the identity map, else a SELECT by primary key (``Session.get``); no row, or no primary key,
  gives a new pending object (added to the session before anything is copied onto it);
* ``load=False`` never emits SQL: a transient source is refused, so is a source with unflushed
  changes; an identity missing from the map gets a new *persistent* object with that key
  (never a pending copy that would INSERT a duplicate); the copied values become its committed
  state (no history, not dirty);
* columns present in the source's ``__dict__`` are set on the target as a user would set
  them (with ``load=True`` the target counts as modified, even for an equal value); a column
  the source never loaded is expired on a persistent target;
* relationships with the ``merge`` cascade are merged recursively (each source object once;
  a relationship reached back through its backref is not walked again), the merged objects
  then set on the target's relationship (its collection is loaded first with ``load=True``).
"""

from __future__ import annotations

import warnings
from typing import Any

import sqlalchemy.exc as sa_exc

from . import exc as orm_exc
from .base import state_str
from .state import InstanceState, instance_state

__all__ = ["merge"]


def merge(session: Any, instance: Any, load: bool = True) -> Any:
    """``Session.merge(instance, load=load)``: see the module docstring."""
    if load:
        session._autoflush()  # as SQLAlchemy: before the argument is looked at
    try:
        state = instance_state(instance)
    except orm_exc.UnmappedInstanceError:
        raise orm_exc.UnmappedInstanceError(instance) from None
    autoflush = session.autoflush
    session.autoflush = False
    try:
        return _merge(session, state, load, {}, {})
    finally:
        session.autoflush = autoflush


def _new_instance(mapper: Any) -> tuple[Any, InstanceState]:
    obj = mapper.class_.__new__(mapper.class_)
    return obj, instance_state(obj)


def _merge(session: Any, state: InstanceState, load: bool, recursive: dict,
           conflicts: dict) -> Any:
    if state in recursive:
        return recursive[state]
    mapper = state.mapper
    key = state.key
    if key is None:
        if state in session._new:
            warnings.warn(
                "Instance %s is already pending in this Session yet is being merged again; "
                "this is probably not what you want to do" % state_str(state),
                sa_exc.SAWarning,
                stacklevel=4,
            )
        if not load:
            raise sa_exc.InvalidRequestError(
                "merge() with load=False option does not support objects transient (i.e. "
                "unpersisted) objects.  flush() all changes on mapped instances before "
                "merging with load=False."
            )
        d = state.dict
        if any(k not in d and k in state.expired_attributes for k in mapper.pk_keys):
            # an expired key (an object rolled back to transient) is loaded, as SQLAlchemy
            # reads it: outside a session that is a DetachedInstanceError
            from .loading import load_expired

            load_expired(state)
        pk = tuple(d.get(k) for k in mapper.pk_keys)
        key = (mapper._identity_class, pk, None)
        # a partial primary key still names a row (allow_partial_pks); none at all does not
        key_is_persistent = all(k in d for k in mapper.pk_keys) and any(
            v is not None for v in pk)
    else:
        key_is_persistent = True

    merged = session.identity_map.get(key)
    if merged is None:
        if key_is_persistent and key in conflicts:
            merged = conflicts[key]
        elif not load:
            if state.modified:
                raise sa_exc.InvalidRequestError(
                    "merge() with load=False option does not support objects marked as "
                    "'dirty'.  flush() all changes on mapped instances before merging with "
                    "load=False."
                )
            merged, merged_state = _new_instance(mapper)
            merged_state.key = key
            session._update_impl(merged_state)
        elif key_is_persistent:
            merged = session.get(mapper.class_, key[1], identity_token=key[2])

    if merged is None:
        merged, merged_state = _new_instance(mapper)
        session._save_or_update_state(merged_state)
    else:
        merged_state = instance_state(merged)

    recursive[state] = merged
    conflicts[key] = merged

    if state is not merged_state:
        source = state.dict
        dest = merged_state.dict
        # SQLAlchemy's property order: a declarative mapper configures the relationships
        # before the table's columns (what an exception halfway leaves behind shows it)
        props = list(mapper.attrs.values())
        for prop in props:
            if prop.key not in mapper.columns:
                _merge_relationship(session, prop, state, source, merged_state, dest, load,
                                    recursive, conflicts)
        for prop in props:
            if prop.key in mapper.columns:
                _merge_column(prop, source, merged_state, dest, load)

    if not load:
        _commit_merged(session, merged_state)
    return merged


def _merge_column(prop: Any, source: dict, dest_state: InstanceState, dest: dict,
                  load: bool) -> None:
    key = prop.key
    if dest_state.mapper is not prop.parent and key not in dest_state.mapper.attrs and (
            load if key in source else dest_state.key is not None and key not in dest):
        # the identity map holds a superclass object under this key: SQLAlchemy fails
        # looking up the subclass's attribute on it (a KeyError), after copying the
        # attributes before it
        raise KeyError(key)
    if key in source:
        if load:
            prop.impl.set(dest_state, dest, source[key], None)
        else:
            dest[key] = source[key]
    elif dest_state.key is not None and key not in dest:
        dest_state._expire_attributes(dest, [key])


def _merge_relationship(session: Any, prop: Any, state: InstanceState, source: dict,
                        dest_state: InstanceState, dest: dict, load: bool,
                        recursive: dict, conflicts: dict) -> None:
    if load and prop._reverse_property is not None and (
            (state, prop._reverse_property) in recursive):
        return  # reached through the backref: the other side sets this one
    if not prop.cascade.merge or prop.key not in source:
        return
    impl = prop.impl
    if prop.uselist:
        members = source[prop.key] or ()
        if load and prop.key not in dest:
            impl.get(dest_state, dest)  # load the target's collection first
        merged_members = []
        for member in list(members):
            if member is None:  # SQLAlchemy fails reading the state of None: the same class
                raise AttributeError(
                    "'NoneType' object has no attribute '_sa_instance_state' (a None in "
                    "collection %s cannot be merged)" % prop)
            mstate = instance_state(member)
            recursive[(mstate, prop)] = True
            obj = _merge(session, mstate, load, recursive, conflicts)
            if obj is not None:
                merged_members.append(obj)
        if load:
            impl.set(dest_state, dest, merged_members, None)
        else:
            dest[prop.key] = impl._adapt(dest_state, merged_members)
    else:
        current = source[prop.key]
        obj = None
        if current is not None:
            cstate = instance_state(current)
            recursive[(cstate, prop)] = True
            obj = _merge(session, cstate, load, recursive, conflicts)
        if load:
            impl.set(dest_state, dest, obj, None)
        else:
            dest[prop.key] = obj


def _commit_merged(session: Any, state: InstanceState) -> None:
    """``load=False``: what was copied is the committed state, not a change."""
    state._commit_all()
    state.expired_attributes.difference_update(
        [k for k in state.expired_attributes if k in state.dict])
    session.identity_map._modified.discard(state)
