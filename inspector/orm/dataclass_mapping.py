# orm/dataclass_mapping.py
"""``MappedAsDataclass``: mapped classes that are also Python dataclasses.

Before a class is mapped, its ``Mapped[...]`` annotations become dataclass fields (with
``init`` / ``repr`` / ``compare`` / ``kw_only`` / ``default`` / ``default_factory`` taken
from ``mapped_column()`` and ``relationship()``), ``dataclasses.dataclass`` generates
``__init__`` / ``__repr__`` / ``__eq__``, and the mapped attributes are put back for the
declarative scan.  As in SQLAlchemy, a scalar ``default=`` is not written into a new
object's ``__dict__``: the column's INSERT default supplies it, and reading the unset
attribute gives it.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from .annotations import class_annotations, is_class_var, mapped_inner
from .base import DONT_SET

#: the dataclass options of mapped_column() / relationship()
DATACLASS_OPTIONS = ("init", "repr", "default", "default_factory", "compare", "kw_only",
                     "hash", "dataclass_metadata")

_NO_ARG = object()


class MappedAsDataclass:
    """Mixin for a declarative base: every mapped subclass is a dataclass."""

    def __init_subclass__(cls, init: bool = True, repr: bool = True, eq: bool = True,
                          order: bool = False, unsafe_hash: bool = False,
                          kw_only: bool = False, match_args: bool = True,
                          dataclass_callable: Any = None, **kw: Any) -> None:
        if dataclass_callable is not None:
            raise NotImplementedError(
                "MappedAsDataclass(dataclass_callable=...) is not supported by inspector.orm")
        if not _is_declarative_base(cls):
            _make_dataclass(cls, dict(init=init, repr=repr, eq=eq, order=order,
                                      unsafe_hash=unsafe_hash, kw_only=kw_only,
                                      match_args=match_args))
        super().__init_subclass__(**kw)
        mapper = cls.__dict__.get("__mapper__")
        if mapper is not None:
            _finish(cls, mapper)


def _is_declarative_base(cls: type) -> bool:
    from .declarative import DeclarativeBase

    return DeclarativeBase in cls.__bases__ or cls.__dict__.get("__abstract__", False)


def _field_for(value: Any) -> Any:
    """The dataclass field for a class attribute (mapped_column(), relationship(), a plain
    default or nothing)."""
    opts = getattr(value, "_dataclass_opts", None)
    if opts is None:
        if value is _NO_ARG:
            return dataclasses.field()
        if hasattr(value, "_dataclass_opts") or _is_mapped_construct(value):
            return dataclasses.field()
        return dataclasses.field(default=value)
    kw: dict[str, Any] = {}
    for key in ("init", "repr", "compare", "kw_only", "hash"):
        if key in opts:
            kw[key] = opts[key]
    if "dataclass_metadata" in opts:
        kw["metadata"] = opts["dataclass_metadata"]
    if _is_relationship(value) and ("default_factory" in opts or "default" in opts):
        kw["default"] = DONT_SET  # None, or an empty collection, when read
    elif "default_factory" in opts:
        kw["default_factory"] = opts["default_factory"]
    elif "default" in opts:
        kw["default"] = DONT_SET  # the attribute (and the column) supply it
    elif opts.get("init") is False:
        kw["default"] = DONT_SET
    return dataclasses.field(**kw)


def _is_relationship(value: Any) -> bool:
    from .relationships import RelationshipProperty

    return isinstance(value, RelationshipProperty)


def _is_mapped_construct(value: Any) -> bool:
    from sqlalchemy import Column

    from .relationships import RelationshipProperty

    return isinstance(value, (Column, RelationshipProperty))


def _make_dataclass(cls: type, options: dict) -> None:
    annotations = class_annotations(cls)
    saved: dict[str, Any] = {}
    for key, ann in annotations.items():
        if is_class_var(ann) or not mapped_inner(ann)[0]:
            continue
        value = cls.__dict__.get(key, _NO_ARG)
        saved[key] = value
        setattr(cls, key, _field_for(value))
    try:
        dataclasses.dataclass(cls, **options)
    finally:
        for key, value in saved.items():
            if value is _NO_ARG:
                if key in cls.__dict__:
                    delattr(cls, key)
            else:
                setattr(cls, key, value)
    cls._si_dataclass_defaults = {  # type: ignore[attr-defined]
        key: value._dataclass_opts["default"] for key, value in saved.items()
        if "default" in (getattr(value, "_dataclass_opts", None) or {})
    }


def _finish(cls: type, mapper: Any) -> None:
    """After mapping: unset attributes read their dataclass default; __init__ skips the
    DONT_SET placeholders and configures the mappers first (relationship attributes)."""
    for key, default in cls.__dict__.get("_si_dataclass_defaults", {}).items():
        prop = mapper.attrs.get(key)
        if prop is not None and prop.impl is not None:
            prop.impl.default_value = default
    init = cls.__dict__.get("__init__")
    if init is None or getattr(init, "_si_configures", False):
        return

    init.__qualname__ = "__init__"  # errors name it as SQLAlchemy's generated one does

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kw: Any) -> None:
        mapper._configure_all()
        init(self, *args, **kw)

    __init__._si_configures = True  # type: ignore[attr-defined]
    cls.__init__ = __init__  # type: ignore[misc]
