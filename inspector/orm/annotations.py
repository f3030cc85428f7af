# orm/annotations.py
"""Reading ``Mapped[...]`` annotations: a column's type and nullability, a relationship's shape."""

from __future__ import annotations

import builtins
import datetime
import decimal
import enum
import inspect
import sys
import types
import typing
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Double,
    Enum,
    Integer,
    Interval,
    LargeBinary,
    Numeric,
    String,
    Time,
    Uuid,
)

from . import exc as orm_exc

#: Python type -> SQL type, the defaults of every registry (as SQLAlchemy 2.x)
DEFAULT_TYPE_MAP: dict[Any, Any] = {
    int: Integer, str: String, float: Double, bool: Boolean, bytes: LargeBinary,
    datetime.datetime: DateTime, datetime.date: Date, datetime.time: Time,
    datetime.timedelta: Interval, decimal.Decimal: Numeric, uuid.UUID: Uuid,
}


class _ForwardNames(dict):
    """``eval`` locals: a name the module does not define (yet) becomes a ForwardRef."""

    def __init__(self, module_globals: dict) -> None:
        super().__init__()
        self._globals = module_globals

    def __missing__(self, name: str) -> Any:
        if name in self._globals or hasattr(builtins, name):
            raise KeyError(name)  # eval then finds it in globals / builtins
        return typing.ForwardRef(name)


def class_annotations(cls: type) -> dict[str, Any]:
    """The class's own annotations in declaration order, string annotations evaluated.

    ``from __future__ import annotations`` turns every annotation into a string; it is
    evaluated in the class's module, and names defined later there (another model) stay
    ForwardRefs instead of failing.
    """
    raw = inspect.get_annotations(cls)
    module = sys.modules.get(cls.__module__)
    module_globals = vars(module) if module is not None else {}
    out: dict[str, Any] = {}
    for key, ann in raw.items():
        if isinstance(ann, str):
            try:
                ann = eval(ann, module_globals, _ForwardNames(module_globals))  # noqa: S307
            except Exception as e:
                raise orm_exc.MappedAnnotationError(
                    "Could not evaluate the annotation %r of %s.%s: %s"
                    % (ann, cls.__name__, key, e)
                ) from e
        out[key] = _resolve_refs(ann, module_globals)
    return out


def _resolve_refs(tp: Any, module_globals: dict) -> Any:
    """``Mapped["float"]`` -> ``Mapped[float]``; names not defined yet stay ForwardRefs."""
    from .declarative import Mapped

    if isinstance(tp, typing.ForwardRef):
        try:
            value = eval(tp.__forward_arg__, module_globals,  # noqa: S307
                         _ForwardNames(module_globals))
        except Exception:
            return tp
        return typing.ForwardRef(value) if isinstance(value, str) else value
    origin = typing.get_origin(tp)
    if origin is Mapped:
        return Mapped[tuple(_resolve_refs(a, module_globals) for a in typing.get_args(tp))]
    if origin is typing.Union or origin is types.UnionType:
        return typing.Union[tuple(_resolve_refs(a, module_globals)  # noqa: UP007
                                  for a in typing.get_args(tp))]
    return tp


def is_class_var(ann: Any) -> bool:
    return ann is typing.ClassVar or typing.get_origin(ann) is typing.ClassVar


def mapped_inner(ann: Any) -> tuple[bool, Any]:
    """(True, X) for ``Mapped[X]``; (False, ann) for anything else."""
    from .declarative import Mapped

    if ann is Mapped:
        return True, None
    if typing.get_origin(ann) is Mapped:
        args = typing.get_args(ann)
        return True, (args[0] if args else None)
    return False, ann


def split_optional(tp: Any) -> tuple[Any, bool]:
    """(X, True) for ``Optional[X]`` / ``X | None``; (tp, False) otherwise."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        rest = tuple(a for a in args if a is not type(None))
        optional = len(rest) < len(args)
        if len(rest) == 1:
            return rest[0], optional
        if optional:
            return typing.Union[rest], True  # noqa: UP007
    return tp, False


def _lookup(type_map: dict, tp: Any) -> Any:
    try:
        return type_map.get(tp)
    except TypeError:  # unhashable annotation object
        return None


def sql_type_for(tp: Any, type_map: dict, owner: str, key: str) -> Any:
    """The SQL type for the Python type ``tp`` (the ``X`` of ``Mapped[X]``, Optional removed)."""
    from .declarative import _MappedColumn

    for mapping in (type_map, DEFAULT_TYPE_MAP):
        found = _lookup(mapping, tp)
        if found is not None:
            return found() if isinstance(found, type) else found
    if typing.get_origin(tp) is typing.Annotated:
        inner, *extras = typing.get_args(tp)
        if any(isinstance(x, _MappedColumn) for x in extras):
            raise NotImplementedError(
                "%s.%s: mapped_column() inside Annotated[...] is not supported by "
                "inspector.orm; write the mapped_column() on the attribute" % (owner, key)
            )
        return sql_type_for(inner, type_map, owner, key)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return Enum(tp)
    if typing.get_origin(tp) is typing.Literal and all(
            isinstance(a, str) for a in typing.get_args(tp)):
        return Enum(*typing.get_args(tp), native_enum=False)
    raise orm_exc.MappedAnnotationError(
        "Could not locate SQLAlchemy Core type when resolving for Python type indicated by "
        "'%s' inside the Mapped[] annotation for the '%s' attribute of %s; the type object "
        "is not resolvable by the registry (inspector.orm maps %s, Enum subclasses and the "
        "registry's type_annotation_map)"
        % (tp, key, owner, ", ".join(sorted(t.__name__ for t in DEFAULT_TYPE_MAP)))
    )


def relationship_shape(ann: Any, owner: str, key: str) -> tuple[Any, type | None]:
    """(target, collection class or None) from ``Mapped[list["B"]]``, ``Mapped["B"]`` ...

    The target is a class or a class name; ``None`` as collection means a scalar reference.
    """
    is_mapped, inner = mapped_inner(ann)
    if not is_mapped or inner is None:
        return None, None
    inner, _ = split_optional(inner)
    origin = typing.get_origin(inner)
    if origin is not None:
        args = typing.get_args(inner)
        if origin is dict and len(args) == 2:  # Mapped[dict[str, "B"]]: a keyed dict
            return _target(args[1]), dict
        if origin not in (list, set):
            raise NotImplementedError(
                "%s.%s: the collection type %r of a relationship annotation is not supported "
                "by inspector.orm; list, set and dict collections (Mapped[list[...]], "
                "Mapped[set[...]], Mapped[dict[..., ...]]) are"
                % (owner, key, getattr(origin, "__name__", origin))
            )
        if len(args) != 1:
            raise orm_exc.MappedAnnotationError(
                "%s.%s: can't read the relationship target from %r" % (owner, key, ann)
            )
        return _target(args[0]), origin
    return _target(inner), None


def _target(tp: Any) -> Any:
    if isinstance(tp, typing.ForwardRef):
        return tp.__forward_arg__
    return tp
