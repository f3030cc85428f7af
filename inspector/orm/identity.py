# orm/identity.py
"""The identity map: one object per (class, primary key) in a session, held weakly."""

from __future__ import annotations

from typing import Any

import sqlalchemy.exc as sa_exc

from .base import state_str
from .state import InstanceState


class IdentityMap:
    """Maps identity keys to :class:`InstanceState`; objects are reached through the state.

    Unmodified objects are referenced only weakly and vanish from the map when the
    program drops them; modified ones are held strongly (by their state) until flushed.
    """

    def __init__(self) -> None:
        self._dict: dict[tuple, InstanceState] = {}
        self._modified: set[InstanceState] = set()

    # mapping protocol over live objects
    def __getitem__(self, key: tuple) -> Any:
        state = self._dict[key]
        obj = state.obj()
        if obj is None:
            raise KeyError(key)
        return obj

    def get(self, key: tuple, default: Any = None) -> Any:
        state = self._dict.get(key)
        if state is None:
            return default
        obj = state.obj()
        return default if obj is None else obj

    def __contains__(self, key: object) -> bool:
        state = self._dict.get(key)  # type: ignore[arg-type]
        return state is not None and state.obj() is not None

    def __iter__(self):
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._dict)

    def keys(self) -> list[tuple]:
        return [k for k, s in self._dict.items() if s.obj() is not None]

    def values(self) -> list[Any]:
        return [o for o in (s.obj() for s in list(self._dict.values())) if o is not None]

    def items(self) -> list[tuple[tuple, Any]]:
        out = []
        for k, s in list(self._dict.items()):
            o = s.obj()
            if o is not None:
                out.append((k, o))
        return out

    # state-level API used by the session
    def all_states(self) -> list[InstanceState]:
        return list(self._dict.values())

    def get_state(self, key: tuple) -> InstanceState | None:
        return self._dict.get(key)

    def contains_state(self, state: InstanceState) -> bool:
        return self._dict.get(state.key) is state  # type: ignore[arg-type]

    def add(self, state: InstanceState) -> bool:
        key = state.key
        existing = self._dict.get(key)  # type: ignore[arg-type]
        if existing is not None and existing is not state:
            if existing.obj() is not None:
                raise sa_exc.InvalidRequestError(
                    "Can't attach instance %s; another instance with key %s is already "
                    "present in this session." % (state_str(state), key)
                )
        self._dict[key] = state  # type: ignore[index]
        if state.modified:
            self._modified.add(state)
        return True

    def replace(self, state: InstanceState) -> None:
        self._dict[state.key] = state  # type: ignore[index]

    def discard(self, state: InstanceState) -> None:
        if self._dict.get(state.key) is state:  # type: ignore[arg-type]
            del self._dict[state.key]  # type: ignore[arg-type]
        self._modified.discard(state)

    def _discard_dead(self, state: InstanceState) -> None:
        if self._dict.get(state.key) is state:  # type: ignore[arg-type]
            del self._dict[state.key]  # type: ignore[arg-type]
        self._modified.discard(state)

    def _dirty_states(self) -> set[InstanceState]:
        return self._modified

    def clear(self) -> None:
        self._dict.clear()
        self._modified.clear()

    def __repr__(self) -> str:
        return "<IdentityMap %d objects>" % len(self._dict)
