# orm/cascade.py
"""The cascade walks: which objects ``Session.add()`` reaches, and in what order
(:func:`save_update_cascade`); and what ``delete()``, ``expunge()`` and ``expire()`` /
``refresh()`` reach (:func:`cascade_iterator`).

The order matters because it is the order objects enter ``Session.new`` (their
``insert_order``), which decides the INSERT order and so the generated primary keys.  The rule,
taken from SQLAlchemy's ``Mapper.cascade_iterator("save-update", ...)``:

* depth first, starting at the added object (which is not yielded itself);
* an object's relationships are visited in mapper property order (declaration order, then
  relationships created by backrefs, in the order their mappers were configured);
* for one relationship, all its pending members are collected at once (current members first,
  for a changed collection: added, then unchanged, then removed ones; for a scalar: the current
  value, then a replaced original) and marked visited; each of them is then yielded and its own
  relationships walked before the next member is yielded;
* a member already in the session (pending or in the identity map) is skipped *and not walked
  through* (``halt_on``): everything behind it got into the session when it did, or was
  deliberately left out.  This is what keeps repeated ``add()`` calls linear;
* only values already in ``__dict__`` are looked at: nothing is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .attributes import _members
from .base import NO_VALUE
from .exc import DetachedInstanceError
from .state import InstanceState, instance_state

__all__ = ["save_update_cascade", "pending_related", "cascade_iterator"]


def pending_related(state: InstanceState, prop: Any) -> list[Any]:
    """Objects held by relationship ``prop`` of ``state``, now or before the pending change.

    Collections: added members, then unchanged ones, then removed ones.  Scalars: the current
    value, then the replaced original.  An attribute not in ``state.dict`` gives nothing.
    """
    key = prop.key
    d = state.dict
    if key not in d:
        return []
    current = d[key]
    original = state.committed_state.get(key, NO_VALUE)
    if not prop.uselist:
        out = [] if current is None or current is NO_VALUE else [current]
        if original is not NO_VALUE and original is not None and original is not current:
            out.append(original)
        return out
    if current is None:
        return []
    current = _members(current)
    if original is NO_VALUE or original is None:
        return list(current)
    before = {id(x) for x in original}
    now = {id(x) for x in current}
    return (
        [x for x in current if id(x) not in before]
        + [x for x in current if id(x) in before]
        + [x for x in original if id(x) not in now]
    )


def save_update_cascade(
    state: InstanceState, halt_on: Callable[[InstanceState], bool] | None = None
) -> Iterator[InstanceState]:
    """States reached from ``state`` along save-update cascades, depth first (see module doc).

    The walk is lazy: a yielded state's relationships are read only when the next state is
    asked for, so the caller may register the yielded state first (and ``halt_on`` sees it).
    """
    visited: set[InstanceState] = set()

    def members(parent: InstanceState) -> Iterator[InstanceState]:
        for prop in list(parent.mapper.relationships.values()):
            if not prop.cascade.save_update:
                continue
            batch = []
            for obj in pending_related(parent, prop):
                if obj is None:
                    continue
                cstate = instance_state(obj)
                if cstate in visited or (halt_on is not None and halt_on(cstate)):
                    continue
                visited.add(cstate)
                batch.append(cstate)
            yield from batch

    stack = [members(state)]
    while stack:
        cstate = next(stack[-1], None)
        if cstate is None:
            stack.pop()
            continue
        yield cstate
        stack.append(members(cstate))


def cascade_iterator(state: InstanceState, cascade: str) -> Iterator[Any]:
    """Every object the ``delete``, ``expunge`` or ``refresh_expire`` cascade reaches from
    ``state``: depth first (a child's own cascade before its next sibling), each once.

    Only delete loads unloaded relationships (unless ``passive_deletes``); the others see
    what is loaded.  refresh-expire passes over pending objects unless the relationship also
    has delete-orphan.
    """
    if not state.mapper.relationships:  # nothing to cascade along (a delete of 10k plain rows)
        return
    seen = {state}
    stack = [_cascade_step(state, cascade)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        cstate = instance_state(child)
        if cstate in seen:
            continue
        seen.add(cstate)
        yield child
        stack.append(_cascade_step(cstate, cascade))


def _cascade_step(state: InstanceState, cascade: str):
    d = state.dict
    for key, prop in state.mapper.relationships.items():
        if not getattr(prop.cascade, cascade):
            continue
        if key in d:
            value = d[key]
        elif cascade == "delete" and not prop.passive_deletes and state.key is not None:
            try:
                value = getattr(state.obj(), key)
            except DetachedInstanceError:  # a detached member: nothing to load (no error)
                continue
        else:
            continue
        if value is None:
            continue
        if prop.uselist:
            value = _members(value)
        skip_pending = cascade == "refresh_expire" and not prop.cascade.delete_orphan
        if prop.uselist and any(c is None for c in value):
            # as SQLAlchemy, whose cascade takes every member's state first
            raise AttributeError("'NoneType' object has no attribute '_sa_instance_state'")
        for child in list(value) if prop.uselist else [value]:
            if child is not None and not (skip_pending and instance_state(child).key is None):
                yield child
