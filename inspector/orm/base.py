# orm/base.py
"""Constants and small value types shared by the ORM modules."""

from __future__ import annotations

import gc
from typing import Any, NamedTuple


class _Symbol:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self):
        return (_symbol, (self.name,))


_symbols: dict[str, _Symbol] = {}


def _symbol(name: str) -> _Symbol:
    return _symbols.setdefault(name, _Symbol(name))


#: an attribute that holds no value at all (never set, or expired)
NO_VALUE = _symbol("NO_VALUE")

#: the name under which an instance keeps its InstanceState in ``__dict__``
STATE_ATTR = "_si_state"


class History(NamedTuple):
    """What happened to one attribute since it was last loaded or flushed."""

    added: tuple[Any, ...] | list[Any]
    unchanged: tuple[Any, ...] | list[Any]
    deleted: tuple[Any, ...] | list[Any]

    def __bool__(self) -> bool:
        return bool(self.added or self.unchanged or self.deleted)

    def empty(self) -> bool:
        return not (self.added or self.deleted) and not self.unchanged

    def has_changes(self) -> bool:
        return bool(self.added or self.deleted)

    def non_deleted(self) -> list[Any]:
        return list(self.added or ()) + list(self.unchanged or ())

    def sum(self) -> list[Any]:
        return list(self.added or ()) + list(self.unchanged or ()) + list(self.deleted or ())


HISTORY_BLANK = History((), (), ())


def instance_str(obj: Any) -> str:
    """``<User at 0x7f...>``: how SQLAlchemy names an instance in messages."""
    return "<%s at 0x%x>" % (type(obj).__name__, id(obj))


def state_str(state: Any) -> str:
    obj = state.obj()
    if obj is None:
        return "<%s at 0x%x (collected)>" % (state.class_.__name__, id(state))
    return instance_str(obj)


class _DontSet:
    """A dataclass field default that a ``MappedAsDataclass`` ``__init__`` must not assign."""

    def __repr__(self) -> str:
        return "DONT_SET"


DONT_SET = _DontSet()


class gc_paused:
    """``with gc_paused(pause):`` -- the cyclic garbage collector paused for the block (when
    ``pause`` is true) and switched back on at its end, errors included, only if it was on.
    Building thousands of objects that hold no reference cycles (loaded rows, expired states,
    snapshot views) would otherwise set off full collections, each a pass over the whole heap."""

    __slots__ = ("_resume",)

    def __init__(self, pause: bool = True) -> None:
        self._resume = pause and gc.isenabled()

    def __enter__(self) -> None:
        if self._resume:
            gc.disable()

    def __exit__(self, *exc: Any) -> None:
        if self._resume:
            gc.enable()
