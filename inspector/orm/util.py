# orm/util.py
"""ORM utility functions that SQLAlchemy exposes from ``sqlalchemy.orm.util``."""

from __future__ import annotations

from typing import Any

import sqlalchemy.exc as sa_exc

from .mapper import class_mapper, object_mapper
from .session import object_session

__all__ = ["identity_key", "object_session"]


def identity_key(class_: Any = None, ident: Any = None, *, instance: Any = None,
                 row: Any = None, identity_token: Any = None) -> tuple:
    """The identity key ``(class, primary key tuple, identity token)`` of an object or row.

    Three forms, as SQLAlchemy's ``sqlalchemy.orm.util.identity_key``:

    * ``identity_key(User, 5)`` / ``identity_key(User, (5, "x"))`` -- from a primary key
      (a scalar or a tuple / list in primary key column order);
    * ``identity_key(instance=user)`` -- from an object's primary key attributes (expired
      ones are loaded: a deleted row raises ObjectDeletedError);
    * ``identity_key(User, row=row)`` -- from a result row holding the primary key columns.

    ``identity_token`` is the third element (None unless sessions are sharded).
    """
    if class_ is not None:
        mapper = class_mapper(class_)
        if row is None:
            if ident is None:
                raise sa_exc.ArgumentError("ident or row is required")
            pk = tuple(ident) if isinstance(ident, (tuple, list)) else (ident,)
            return (mapper._identity_class, pk, identity_token)
        mapping = row._mapping
        return (mapper._identity_class, tuple(mapping[col] for col in mapper.primary_key),
                identity_token)
    if instance is not None:
        mapper = object_mapper(instance)
        return (mapper._identity_class, tuple(getattr(instance, k) for k in mapper.pk_keys), None)
    raise sa_exc.ArgumentError("class or instance is required")
