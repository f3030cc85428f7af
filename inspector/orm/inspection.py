# orm/inspection.py
"""inspect(): the state of an instance, or the mapper of a class."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exc as sa_exc

from .mapper import Mapper, class_mapper
from .state import InstanceState, instance_state


def inspect(subject: Any, raiseerr: bool = True) -> Any:
    """``inspect(obj)`` -> InstanceState; ``inspect(User)`` -> Mapper."""
    if isinstance(subject, (InstanceState, Mapper)):
        return subject
    if isinstance(subject, type):
        if "__mapper__" in subject.__dict__:
            return class_mapper(subject)
    elif getattr(type(subject), "__mapper__", None) is not None:
        return instance_state(subject)
    if raiseerr:
        raise sa_exc.NoInspectionAvailable(
            "No inspection system is available for object of type %s" % type(subject)
        )
    return None
