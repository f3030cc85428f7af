# orm/legacy.py
"""The Session API of the seeds (SQLAlchemy 0.4 - 0.8) that SQLAlchemy 2.x no longer has.

Each old name works as its modern replacement does, after a
:class:`~sqlalchemy.exc.SADeprecationWarning` (a ``DeprecationWarning``) that names the
replacement.  Where the old name meant something narrower (0.4's ``save()`` took only new
objects, ``update()`` only detached ones) that check is kept.  :func:`create_session`, the 0.6
factory, is still in SQLAlchemy 2.1 and is provided as 2.1 has it.
"""

from __future__ import annotations

import warnings
from typing import Any

import sqlalchemy.exc as sa_exc

from .base import state_str
from .state import instance_state

__all__ = ["create_session"]


def _deprecated(old: str, new: str, stacklevel: int = 3) -> None:
    warnings.warn(
        "%s is deprecated (SQLAlchemy 0.x); use %s instead" % (old, new),
        sa_exc.SADeprecationWarning,
        stacklevel=stacklevel,
    )


class _LegacySessionMethods:
    """Deprecated Session methods of SQLAlchemy 0.4 - 0.8, mixed into
    :class:`~inspector.orm.Session`.  Each warns, naming its replacement, then runs it."""

    def save(self, instance: Any) -> None:
        """0.4: add a *transient* object (and its save-update cascade) to the session.

        Deprecated: use :meth:`Session.add`.  An object that already has an identity is
        refused as 0.4 refused it (InvalidRequestError).
        """
        _deprecated("Session.save()", "Session.add()")
        if instance_state(instance).key is not None:
            raise sa_exc.InvalidRequestError(
                "Object '%s' already has an identity - it can't be registered as pending"
                % state_str(instance_state(instance))
            )
        self.add(instance)  # type: ignore[attr-defined]

    def update(self, instance: Any) -> None:
        """0.4: bring a *detached* object (and its save-update cascade) back into the session.

        Deprecated: use :meth:`Session.add`.  An object without identity (transient or
        pending) is refused as 0.4 refused it (InvalidRequestError "is not persisted").
        """
        _deprecated("Session.update()", "Session.add()")
        if instance_state(instance).key is None:
            raise sa_exc.InvalidRequestError(
                "Instance '%s' is not persisted" % state_str(instance_state(instance))
            )
        self.add(instance)  # type: ignore[attr-defined]

    def save_or_update(self, instance: Any) -> None:
        """0.4: ``save()`` or ``update()`` depending on the object.  Deprecated: it is
        exactly :meth:`Session.add`."""
        _deprecated("Session.save_or_update()", "Session.add()")
        self.add(instance)  # type: ignore[attr-defined]

    def load(self, entity: Any, ident: Any) -> Any:
        """0.4: the object with this primary key, *discarding pending changes* to it, and an
        error when there is no such row.

        Deprecated: use ``Session.get_one(entity, ident, populate_existing=True)``, which is
        what runs (the row overwrites the object in the identity map; a missing row raises
        :class:`~sqlalchemy.exc.NoResultFound`, an InvalidRequestError as 0.4's error was).
        """
        _deprecated("Session.load()",
                    "Session.get_one(entity, ident, populate_existing=True)")
        return self.get_one(entity, ident, populate_existing=True)  # type: ignore[attr-defined]

    def clear(self) -> None:
        """0.4: remove every object from the session.  Deprecated: use
        :meth:`Session.expunge_all`."""
        _deprecated("Session.clear()", "Session.expunge_all()")
        self.expunge_all()  # type: ignore[attr-defined]

    @classmethod
    def close_all(cls) -> None:
        """0.4 - 1.4: close every Session in memory.  Deprecated: use
        :func:`~inspector.orm.close_all_sessions`."""
        from .session import close_all_sessions

        _deprecated("Session.close_all()", "close_all_sessions()")
        close_all_sessions()

    def prune(self) -> int:
        """0.4 - 0.8: drop unreferenced objects from the identity map; returns how many.

        Deprecated (SQLAlchemy 2 removed it): this identity map is weak-referencing and
        prunes itself, as the seeds' default weak map did, so there is rarely anything
        left to do; entries whose object was garbage collected but not yet removed are
        removed now and counted.  Modified, new and deleted objects are never pruned.
        """
        _deprecated("Session.prune()", "nothing (the identity map prunes itself)")
        imap = self.identity_map  # type: ignore[attr-defined]
        dead = [s for s in imap.all_states() if s.obj() is None]
        for state in dead:
            imap._discard_dead(state)
        return len(dead)


def create_session(bind: Any = None, **kwargs: Any) -> Any:
    """A new :class:`~inspector.orm.Session` with the 0.6 factory's defaults:
    ``autoflush=False`` and ``expire_on_commit=False`` (other arguments as Session's).

    SQLAlchemy 2.1 still provides it (without a warning) and recommends
    :class:`~inspector.orm.sessionmaker`; 0.6's third default, ``autocommit=True``, is gone
    from 2.x: not a default here either, and asked for it is the warned legacy autocommit
    mode, as with Session (docs/transactions.md).
    """
    from .session import Session

    kwargs.setdefault("autoflush", False)
    kwargs.setdefault("expire_on_commit", False)
    return Session(bind=bind, **kwargs)
