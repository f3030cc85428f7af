# orm/exc.py
"""Exceptions raised by the ORM layer; Core's exceptions are reused, not redefined."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import MultipleResultsFound, NoResultFound

__all__ = [
    "ConcurrentModificationError",
    "DetachedInstanceError",
    "FlushError",
    "MultipleResultsFound",
    "NoResultFound",
    "ObjectDeletedError",
    "ObjectDereferencedError",
    "StaleDataError",
    "UnmappedClassError",
    "UnmappedError",
    "UnmappedInstanceError",
    "FlushInProgressError",
    "MappedAnnotationError",
]


class StaleDataError(sa_exc.SQLAlchemyError):
    """An UPDATE or DELETE matched a different number of rows than expected."""


ConcurrentModificationError = StaleDataError


class FlushError(sa_exc.SQLAlchemyError):
    """A flush could not be planned or completed."""


class UnmappedError(sa_exc.InvalidRequestError):
    """An operation needed a mapped class or instance and got something else."""


class ObjectDereferencedError(sa_exc.SQLAlchemyError):
    """An operation needed an object that has already been garbage collected."""


class DetachedInstanceError(sa_exc.SQLAlchemyError):
    """An attribute load was attempted on an object that belongs to no session."""

    code = "bhk3"


class UnmappedInstanceError(UnmappedError):
    """A mapping operation was given an instance of an unmapped class."""

    def __init__(self, obj, msg=None):
        if msg is None:
            msg = (
                "Class '%s.%s' is not mapped"
                % (type(obj).__module__, type(obj).__name__)
            )
        super().__init__(msg)


class UnmappedClassError(UnmappedError):
    """A mapping operation was given a class that has no mapper."""

    def __init__(self, cls, msg=None):
        if msg is None:
            name = getattr(cls, "__name__", repr(cls))
            msg = "Class '%s.%s' is not mapped" % (getattr(cls, "__module__", "?"), name)
        super().__init__(msg)


class ObjectDeletedError(sa_exc.InvalidRequestError):
    """A refresh found that the object's row no longer exists."""

    def __init__(self, state, msg=None):
        if msg is None:
            msg = (
                "Instance '%s' has been deleted, or its row is otherwise not present."
                % state.label()
            )
        super().__init__(msg)


class FlushInProgressError(sa_exc.InvalidRequestError):
    """A session operation was attempted while a stepped flush is still open."""


class MappedAnnotationError(sa_exc.ArgumentError):
    """A ``Mapped[...]`` annotation of a declarative class can't be turned into a mapping."""
