# orm/scoping.py
"""scoped_session: one Session per scope (per thread by default), reached through a proxy.

``Session = scoped_session(sessionmaker(bind=engine))`` gives a registry: ``Session()``
returns the current scope's Session (creating it on first use), ``Session.add(obj)`` and the
other Session methods and attributes act on that Session, ``Session.remove()`` closes and
forgets it.  The scope is the current thread unless a ``scopefunc`` names another one.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from typing import Any

import sqlalchemy.exc as sa_exc

from .session import Session

__all__ = ["scoped_session", "ScopedRegistry", "ThreadLocalRegistry"]


class ScopedRegistry:
    """Objects made by ``createfunc``, one per value of ``scopefunc()`` (its scope token).

    The token must be hashable; objects stay in the registry until :meth:`clear` is called
    in their scope.
    """

    def __init__(self, createfunc: Callable[[], Any], scopefunc: Callable[[], Any]) -> None:
        self.createfunc = createfunc
        self.scopefunc = scopefunc
        self.registry: dict[Any, Any] = {}

    def __call__(self) -> Any:
        """The current scope's object, made by ``createfunc`` if it has none yet."""
        token = self.scopefunc()
        try:
            return self.registry[token]
        except KeyError:
            return self.registry.setdefault(token, self.createfunc())

    def has(self) -> bool:
        """True if the current scope has an object."""
        return self.scopefunc() in self.registry

    def set(self, obj: Any) -> None:
        """Make ``obj`` the current scope's object."""
        self.registry[self.scopefunc()] = obj

    def clear(self) -> None:
        """Forget the current scope's object (it is not closed here)."""
        self.registry.pop(self.scopefunc(), None)


class ThreadLocalRegistry(ScopedRegistry):
    """A :class:`ScopedRegistry` whose scope is the current thread (``threading.local``)."""

    def __init__(self, createfunc: Callable[[], Any]) -> None:
        self.createfunc = createfunc
        self.registry = threading.local()  # type: ignore[assignment]

    def __call__(self) -> Any:
        try:
            return self.registry.value
        except AttributeError:
            value = self.registry.value = self.createfunc()
            return value

    def has(self) -> bool:
        return hasattr(self.registry, "value")

    def set(self, obj: Any) -> None:
        self.registry.value = obj

    def clear(self) -> None:
        try:
            del self.registry.value
        except AttributeError:
            pass


#: Session methods a scoped_session offers, acting on the current Session (as SQLAlchemy 2.1's)
_PROXIED_METHODS = (
    "__contains__", "__iter__", "add", "add_all", "begin", "begin_nested", "close", "reset",
    "commit", "connection", "delete", "delete_all", "execute", "expire", "expire_all",
    "expunge", "expunge_all", "flush", "get", "get_one", "get_bind", "is_modified",
    "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings", "merge", "merge_all",
    "query", "refresh", "rollback", "scalar", "scalars",
)
#: Session attributes read through a scoped_session; the second group can also be set
_PROXIED_READONLY = ("dirty", "deleted", "new", "is_active", "no_autoflush", "info")
_PROXIED_SETTABLE = ("bind", "binds", "identity_map", "autoflush", "execution_options")


class scoped_session:
    """Provides scoped management of :class:`~inspector.orm.Session` objects.

    ``scoped_session(session_factory, scopefunc=None)``: ``session_factory`` (usually a
    :class:`~inspector.orm.sessionmaker`) makes the Sessions; ``scopefunc``, when given,
    returns a hashable token naming the current scope; without it each thread has its own
    Session (``threading.local``).

    Calling the object returns the current Session; the Session methods and attributes
    (``add``, ``commit``, ``query``, ``new``, ``autoflush``, ...) are proxied to it, as are
    the class methods :meth:`object_session` and :meth:`identity_key`.
    """

    session_factory: Any
    registry: ScopedRegistry

    def __init__(self, session_factory: Any,
                 scopefunc: Callable[[], Any] | None = None) -> None:
        self.session_factory = session_factory
        if scopefunc:
            self.registry = ScopedRegistry(session_factory, scopefunc)
        else:
            self.registry = ThreadLocalRegistry(session_factory)

    @property
    def _proxied(self) -> Any:
        return self.registry()

    def __call__(self, **kw: Any) -> Any:
        """The current scope's Session, created by the factory if there is none.

        Keyword arguments go to the factory; giving them when the scope already has a
        Session raises InvalidRequestError (they could not apply to it).
        """
        if not kw:
            return self.registry()
        if self.registry.has():
            raise sa_exc.InvalidRequestError(
                "Scoped session is already present; no new arguments may be specified."
            )
        sess = self.session_factory(**kw)
        self.registry.set(sess)
        return sess

    def configure(self, **kwargs: Any) -> None:
        """Reconfigure the factory (:meth:`sessionmaker.configure`).

        When the current scope already has a Session a SAWarning says so: the new settings
        only reach Sessions made from now on.
        """
        if self.registry.has():
            warnings.warn(
                "At least one scoped session is already present.  configure() can not "
                "affect sessions that have already been created.",
                sa_exc.SAWarning,
                stacklevel=2,
            )
        self.session_factory.configure(**kwargs)

    def remove(self) -> None:
        """Close the current scope's Session, if it has one, and forget it.

        ``close()`` releases connections and rolls back the transaction; the next use in
        this scope makes a new Session.
        """
        if self.registry.has():
            self.registry().close()
        self.registry.clear()

    def query_property(self, query_cls: Any = None) -> Any:
        """A class attribute that gives a legacy :class:`~inspector.orm.Query` of the class
        against the current Session: ``User.query = Session.query_property()``.

        Without ``query_cls`` the Session's own query class is used
        (``session.query(cls)``); with it, ``query_cls(cls, session=session)`` is called.
        As in SQLAlchemy 2.x the *class* is handed to ``query_cls`` (0.6 handed the mapper).
        """
        registry = self.registry

        class _QueryProperty:
            def __get__(self, instance: Any, owner: type) -> Any:
                if query_cls:
                    return query_cls(owner, session=registry())
                return registry().query(owner)

        return _QueryProperty()

    # the class methods of Session, also as class methods here
    @classmethod
    def object_session(cls, instance: Any) -> Any:
        """The Session ``instance`` belongs to, or None (:meth:`Session.object_session`)."""
        return Session.object_session(instance)

    @classmethod
    def identity_key(cls, *args: Any, **kwargs: Any) -> tuple:
        """An identity key (:meth:`Session.identity_key`)."""
        return Session.identity_key(*args, **kwargs)

    def __repr__(self) -> str:
        return "<scoped_session of %r>" % (self.session_factory,)


def _session_attr(session: Any, name: str) -> Any:
    try:
        return getattr(session, name)
    except AttributeError:
        if hasattr(Session, name) or not isinstance(session, Session):
            raise
        raise NotImplementedError(
            "Session.%s (proxied by scoped_session) is not supported by inspector.orm" % name
        ) from None


def _proxy_method(name: str) -> Any:
    def method(self: scoped_session, *args: Any, **kwargs: Any) -> Any:
        return _session_attr(self._proxied, name)(*args, **kwargs)

    method.__name__ = name
    method.__qualname__ = "scoped_session." + name
    method.__doc__ = ("Proxy for :meth:`Session.%s` on the current scope's Session." % name)
    return method


def _proxy_attribute(name: str, settable: bool) -> property:
    def fget(self: scoped_session) -> Any:
        return _session_attr(self._proxied, name)

    def fset(self: scoped_session, value: Any) -> None:
        setattr(self._proxied, name, value)

    doc = "Proxy for :attr:`Session.%s` of the current scope's Session." % name
    return property(fget, fset if settable else None, doc=doc)


for _name in _PROXIED_METHODS:
    setattr(scoped_session, _name, _proxy_method(_name))
for _name in _PROXIED_READONLY + _PROXIED_SETTABLE:
    _prop = _proxy_attribute(_name, settable=_name in _PROXIED_SETTABLE)
    setattr(scoped_session, _name, _prop)
    _prop.__set_name__(scoped_session, _name)  # names it in "has no setter" errors
del _name, _prop
