# orm/declarative.py
"""Declarative mapping: a class body of Columns and relationships becomes a Table and a Mapper."""

from __future__ import annotations

import datetime
import decimal
import typing
from typing import Any, Generic, TypeVar

import sqlalchemy.exc as sa_exc
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
)

from .mapper import ColumnProperty, Mapper
from .relationships import RelationshipProperty

_T = TypeVar("_T")


class Mapped(Generic[_T]):
    """Annotation marker for mapped attributes (``name: Mapped[str]``)."""


_TYPE_MAP: dict[Any, Any] = {
    int: Integer, str: String, float: Float, bool: Boolean, bytes: LargeBinary,
    datetime.datetime: DateTime, datetime.date: Date, decimal.Decimal: Numeric,
}


class _MappedColumn:
    def __init__(self, args: tuple, kw: dict) -> None:
        self.args, self.kw = args, kw

    def column(self, key: str, annotation: Any) -> Column:
        args, kw = list(self.args), dict(self.kw)
        has_type = any(isinstance(a, type) or hasattr(a, "_type_affinity") for a in args
                       if not isinstance(a, str))
        inner, optional = _unwrap(annotation)
        if not has_type and inner is not None:
            sqltype = _TYPE_MAP.get(inner)
            if sqltype is not None:
                insert_at = 1 if args and isinstance(args[0], str) else 0
                args.insert(insert_at, sqltype)
        if "nullable" not in kw and annotation is not None and not kw.get("primary_key"):
            kw["nullable"] = optional
        col = Column(*args, **kw)
        if col.name is None:
            col.name = key
        col.key = key
        return col


def mapped_column(*args: Any, **kw: Any) -> Any:
    """A Column whose type may come from its ``Mapped[...]`` annotation."""
    return _MappedColumn(args, kw)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    if annotation is None:
        return None, True
    if isinstance(annotation, str):
        return None, True
    if typing.get_origin(annotation) is Mapped:
        (annotation,) = typing.get_args(annotation) or (None,)
    optional = False
    origin = typing.get_origin(annotation)
    if origin is typing.Union or str(origin) == "types.UnionType":
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0] if len(args) == 1 else None
    return annotation, optional


class registry:
    """Holds the MetaData and the classes mapped through one declarative base."""

    def __init__(self, metadata: MetaData | None = None) -> None:
        self.metadata = metadata if metadata is not None else MetaData()
        self._classes: dict[str, type] = {}
        self.mappers: list[Mapper] = []

    def _class_by_name(self, name: str) -> type | None:
        return self._classes.get(name)

    def generate_base(self, name: str = "Base", cls: type = object) -> type:
        bases = cls if isinstance(cls, tuple) else (cls,)
        return _make_base(name, bases, self)

    def configure(self) -> None:
        from .mapper import configure_mappers

        configure_mappers()

    def dispose(self) -> None:
        self._classes.clear()


def _declarative_constructor(self: Any, **kwargs: Any) -> None:
    """Set each keyword argument as an attribute; unknown names are an error."""
    Mapper._configure_all()  # relationship attributes exist once mappers are configured
    cls = type(self)
    for k, v in kwargs.items():
        if not hasattr(cls, k):
            raise TypeError("%r is an invalid keyword argument for %s" % (k, cls.__name__))
        setattr(self, k, v)


_declarative_constructor.__name__ = "__init__"


def _map_class(cls: type, reg: registry) -> None:
    tablename = cls.__dict__.get("__tablename__")
    table = cls.__dict__.get("__table__")
    if tablename is None and table is None:
        return
    annotations = cls.__dict__.get("__annotations__", {})
    try:
        hints = typing.get_type_hints(cls)
    except Exception:
        hints = {}
    columns: list[tuple[str, Column]] = []
    props: dict[str, Any] = {}
    for key, value in list(cls.__dict__.items()):
        if isinstance(value, _MappedColumn):
            value = value.column(key, hints.get(key, annotations.get(key)))
        if isinstance(value, Column):
            if value.name is None:
                value.name = key
            if value.key is None or value.key == value.name:
                value.key = key
            columns.append((key, value))
        elif isinstance(value, RelationshipProperty):
            props[key] = value
    if table is None:
        args = cls.__dict__.get("__table_args__", ())
        kw: dict[str, Any] = {}
        if isinstance(args, dict):
            args, kw = (), args
        elif args and isinstance(args[-1], dict):
            args, kw = args[:-1], args[-1]
        table = Table(tablename, reg.metadata, *[c for _, c in columns], *args, **kw)
        cls.__table__ = table  # type: ignore[attr-defined]
    properties: dict[str, Any] = {}
    for key, col in columns:
        properties[key] = ColumnProperty(table.c[col.key])
    for key in [k for k, _ in columns] + list(props):
        if key in cls.__dict__:
            delattr(cls, key)
    mapper = Mapper(cls, table, properties, registry=reg)
    for key, prop in props.items():
        mapper.add_property(key, prop)
    reg._classes[cls.__name__] = cls
    reg.mappers.append(mapper)


def _class_clause_element(cls: type) -> Any:
    """Lets Core take the class itself: ``select(User)``."""
    mapper = cls.__dict__.get("__mapper__")
    if mapper is None:
        raise sa_exc.ArgumentError("Class %s is not mapped" % cls.__name__)
    return mapper.__clause_element__()


def _init_subclass(cls: type, **kw: Any) -> None:
    reg = cls.registry  # type: ignore[attr-defined]
    if cls.__dict__.get("__abstract__", False):
        return
    _map_class(cls, reg)


def _make_base(name: str, bases: tuple, reg: registry) -> type:
    namespace = {
        "registry": reg,
        "metadata": reg.metadata,
        "__init__": _declarative_constructor,
        "__init_subclass__": classmethod(_init_subclass),
        "__clause_element__": classmethod(_class_clause_element),
        "__abstract__": True,
    }
    return type(name, bases, namespace)


def declarative_base(*, metadata: MetaData | None = None, name: str = "Base",
                     cls: type = object, **kw: Any) -> Any:
    """A base class whose subclasses with ``__tablename__`` are mapped."""
    return registry(metadata=metadata).generate_base(name=name, cls=cls)


class DeclarativeBase:
    """2.x style base: ``class Base(DeclarativeBase): pass``."""

    registry: registry
    metadata: MetaData
    __clause_element__ = classmethod(_class_clause_element)

    def __init_subclass__(cls, **kw: Any) -> None:
        if DeclarativeBase in cls.__bases__:
            reg = cls.__dict__.get("registry")
            if not isinstance(reg, registry):
                reg = registry(metadata=cls.__dict__.get("metadata"))
            cls.registry = reg
            cls.metadata = reg.metadata
            if "__init__" not in cls.__dict__:
                cls.__init__ = _declarative_constructor  # type: ignore[assignment]
            return
        super().__init_subclass__(**kw)
        if cls.__dict__.get("__abstract__", False):
            return
        _map_class(cls, cls.registry)


