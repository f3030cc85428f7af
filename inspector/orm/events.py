# orm/events.py
"""Session events: ``event.listen(session, "after_flush", fn)``, cheap when nobody listens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy.exc as sa_exc

#: names a Session dispatches; the ones after the blank line are Session Inspector's own
SESSION_EVENTS = frozenset(
    """
    after_transaction_create after_transaction_end after_begin before_commit after_commit
    after_rollback after_soft_rollback before_flush after_flush after_flush_postexec
    before_attach after_attach transient_to_pending pending_to_transient
    pending_to_persistent persistent_to_deleted deleted_to_persistent deleted_to_detached
    persistent_to_detached detached_to_persistent loaded_as_persistent
    persistent_to_transient

    flush_planned flush_step_started flush_step flush_finished
    """.split()
)


class _Dispatch:
    """Listener lists by event name, for one session or for a class of sessions."""

    __slots__ = ("_listeners", "_parent")

    def __init__(self, parent: _Dispatch | None = None) -> None:
        self._listeners: dict[str, list[Callable]] = {}
        self._parent = parent

    def listeners(self, name: str) -> list[Callable]:
        own = self._listeners.get(name, ())
        if self._parent is None:
            return list(own)
        return self._parent.listeners(name) + list(own)

    def has(self, name: str) -> bool:
        if name in self._listeners and self._listeners[name]:
            return True
        return self._parent is not None and self._parent.has(name)

    def __bool__(self) -> bool:
        return bool(self._listeners) or bool(self._parent)

    def fire(self, name: str, *args: Any) -> None:
        for fn in self.listeners(name):
            fn(*args)

    def add(self, name: str, fn: Callable) -> None:
        self._listeners.setdefault(name, []).append(fn)

    def remove(self, name: str, fn: Callable) -> None:
        try:
            self._listeners.get(name, []).remove(fn)
        except ValueError:
            raise sa_exc.InvalidRequestError(
                "No listeners found for event %s / %r / %s " % (self, name, fn)
            ) from None
        if not self._listeners[name]:
            del self._listeners[name]


def _dispatch_for(target: Any) -> _Dispatch:
    from .session import Session, sessionmaker

    if isinstance(target, sessionmaker):
        return target._dispatch
    if isinstance(target, Session):
        return target.dispatch
    if isinstance(target, type) and issubclass(target, Session):
        return target._class_dispatch
    raise sa_exc.InvalidRequestError("No such event target: %r" % (target,))


def listen(target: Any, identifier: str, fn: Callable, **kw: Any) -> None:
    """Call ``fn`` whenever ``target`` (a Session, sessionmaker or Session class) fires
    the event ``identifier``."""
    if identifier not in SESSION_EVENTS:
        raise sa_exc.InvalidRequestError(
            "No such event '%s' for target '%s'" % (identifier, target)
        )
    _dispatch_for(target).add(identifier, fn)


def remove(target: Any, identifier: str, fn: Callable) -> None:
    _dispatch_for(target).remove(identifier, fn)


def contains(target: Any, identifier: str, fn: Callable) -> bool:
    return fn in _dispatch_for(target)._listeners.get(identifier, ())


def listens_for(target: Any, identifier: str, **kw: Any) -> Callable[[Callable], Callable]:
    def decorate(fn: Callable) -> Callable:
        listen(target, identifier, fn, **kw)
        return fn

    return decorate
