# orm/interfaces.py
"""The 0.4-0.8 ``SessionExtension`` (deprecated): its hooks become Session event listeners.

``Session(extension=MyExtension())`` or ``sessionmaker(extension=[a, b])`` registers, for
each hook a subclass overrides, a listener on the new session with
``sqlalchemy.event.listen`` -- which is what to use instead.  The hooks keep the 0.7
signatures; ``after_bulk_update`` / ``after_bulk_delete`` get ``(session, query,
query_context, result)`` with ``query_context`` None (SQLAlchemy 1.4 dropped it).
"""

from __future__ import annotations

import warnings
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import event

__all__ = ["SessionExtension"]

#: the hooks of SessionExtension, in the order of the 0.7 seed
EXTENSION_HOOKS = (
    "before_commit", "after_commit", "after_rollback", "before_flush", "after_flush",
    "after_flush_postexec", "after_begin", "after_attach", "after_bulk_update",
    "after_bulk_delete",
)


class SessionExtension:
    """Hooks into a Session's commit, rollback and flush (deprecated since SQLAlchemy 0.7:
    use ``event.listen(session_or_class, "before_commit", fn)`` and the other
    SessionEvents).  Subclass it, override the hooks you need and pass an instance (or a
    list) as ``Session(extension=...)`` / ``sessionmaker(extension=...)``."""

    def before_commit(self, session: Any) -> None:
        """Right before the transaction commits (before its final flush)."""

    def after_commit(self, session: Any) -> None:
        """After the database transaction committed."""

    def after_rollback(self, session: Any) -> None:
        """After the database transaction was rolled back."""

    def before_flush(self, session: Any, flush_context: Any, objects: Any) -> None:
        """Before a flush plans its work; ``objects`` is what ``flush(objects)`` got
        (always None here)."""

    def after_flush(self, session: Any, flush_context: Any) -> None:
        """After the flush's SQL ran; new/dirty/deleted still show the pre-flush state."""

    def after_flush_postexec(self, session: Any, flush_context: Any) -> None:
        """After the flush's bookkeeping: new/dirty/deleted are final."""

    def after_begin(self, session: Any, transaction: Any, connection: Any) -> None:
        """A transaction began on ``connection``."""

    def after_attach(self, session: Any, instance: Any) -> None:
        """An object was attached to the session."""

    def after_bulk_update(self, session: Any, query: Any, query_context: Any,
                          result: Any) -> None:
        """After ``Query.update()``."""

    def after_bulk_delete(self, session: Any, query: Any, query_context: Any,
                          result: Any) -> None:
        """After ``Query.delete()``."""


def _overridden(extension: Any, name: str) -> Any:
    """The extension's own hook ``name`` (bound), or None if it keeps the no-op."""
    hook = getattr(extension, name, None)
    if hook is None:
        return None
    base = getattr(SessionExtension, name)
    if getattr(hook, "__func__", None) is base:
        return None
    return hook


def _bulk_adapter(hook: Any) -> Any:
    def listener(context: Any) -> None:
        hook(context.session, context.query, None, context.result)

    return listener


def adapt_extensions(session: Any, extension: Any) -> None:
    """Listen on ``session`` with each hook of ``extension`` (one object or a list)."""
    extensions = list(extension) if isinstance(extension, (list, tuple)) else [extension]
    if not extensions:
        return
    warnings.warn(
        "SessionExtension (the extension= argument of Session / sessionmaker) is "
        "deprecated since SQLAlchemy 0.7; use event.listen(session, 'before_commit', fn) "
        "and the other Session events instead",
        DeprecationWarning,
        stacklevel=4,
    )
    for ext in extensions:
        hooks = {name: _overridden(ext, name) for name in EXTENSION_HOOKS}
        if not isinstance(ext, SessionExtension) and not any(hooks.values()):
            raise sa_exc.ArgumentError(
                "extension= expects SessionExtension instances (or objects with its hook "
                "methods), got %r" % (ext,)
            )
        for name, hook in hooks.items():
            if hook is None:
                continue
            if name in ("after_bulk_update", "after_bulk_delete"):
                hook = _bulk_adapter(hook)
            event.listen(session, name, hook)
