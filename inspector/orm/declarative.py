# orm/declarative.py
"""Declarative mapping: a class body of Columns and relationships becomes a Table and a Mapper."""

from __future__ import annotations

import typing
from typing import Any, Generic, TypeVar

import sqlalchemy.exc as sa_exc
from sqlalchemy import Column, ForeignKey, MetaData, Table
from sqlalchemy.sql.operators import ColumnOperators

from . import exc as orm_exc
from .annotations import (
    class_annotations,
    is_class_var,
    mapped_inner,
    relationship_shape,
    split_optional,
    sql_type_for,
)
from .mapper import ColumnProperty, Mapper, _mapper_of
from .relationships import RelationshipProperty

_T = TypeVar("_T")


class _classproperty:
    def __init__(self, fget: Any) -> None:
        self.fget = fget

    def __get__(self, obj: Any, owner: Any) -> Any:
        return self.fget(owner)


class Mapped(Generic[_T]):
    """Annotation marker for mapped attributes (``name: Mapped[str]``)."""


#: mapped_column() options of SQLAlchemy with ORM meaning that inspector.orm does not
#: implement (accepted only as None / False, which mean what we do)
_UNIMPLEMENTED_COLUMN_OPTIONS = (
    "deferred", "deferred_group", "deferred_raiseload", "active_history", "sort_order",
    "use_existing_column",
)

#: mapped_column() options that only a MappedAsDataclass class understands
_DATACLASS_COLUMN_OPTIONS = ("init", "repr", "default_factory", "compare", "kw_only", "hash",
                             "dataclass_metadata")

#: __mapper_args__ entries passed on to the Mapper
_MAPPER_ARGS = frozenset(("eager_defaults", "confirm_deleted_rows", "batch", "version_id_col",
                          "version_id_generator", "passive_updates"))


class _MappedColumn(ColumnOperators):
    """What ``mapped_column()`` returns: Column arguments waiting for the annotation."""

    def __init__(self, args: tuple, kw: dict) -> None:
        for key in kw:
            if key in _UNIMPLEMENTED_COLUMN_OPTIONS and kw[key] not in (None, False):
                raise NotImplementedError(
                    "mapped_column(%s=...) is not supported by inspector.orm" % key
                )
        kw = {k: v for k, v in kw.items() if k not in _UNIMPLEMENTED_COLUMN_OPTIONS}
        self._dataclass_opts = {k: kw.pop(k) for k in _DATACLASS_COLUMN_OPTIONS if k in kw}
        if "default" in kw:
            self._dataclass_opts["default"] = kw["default"]
        if "insert_default" in kw:
            if "default" in kw:
                raise sa_exc.ArgumentError(
                    "mapped_column(): give either default or insert_default, not both"
                )
            kw["default"] = kw.pop("insert_default")
        self.args, self.kw = args, kw
        self._built: Column | None = None
        self.last: Column | None = None  # the Column made for the class mapped last
        self._early: Column | None = None  # made before mapping, for a class-body expression

    def column(self, key: str, annotation: Any, type_map: dict, owner: str) -> Column:
        """The Column, its type and nullability completed from ``Mapped[...]``."""
        args, kw = list(self.args), dict(self.kw)
        has_type = "type_" in kw or any(
            isinstance(a, type) or hasattr(a, "_type_affinity")
            for a in args if not isinstance(a, str))
        has_fk = any(isinstance(a, ForeignKey) for a in args)
        is_mapped, inner = mapped_inner(annotation)
        if is_mapped and inner is not None:
            inner, optional = split_optional(inner)
            if not has_type and not (has_fk and isinstance(inner, typing.ForwardRef)):
                insert_at = 1 if args and isinstance(args[0], str) else 0
                args.insert(insert_at, sql_type_for(inner, type_map, owner, key))
            if "nullable" not in kw:
                kw["nullable"] = optional
        elif not has_type and not has_fk:
            raise sa_exc.ArgumentError(
                'Python typing annotation is required for attribute "%s.%s" when primary '
                'argument(s) for "MappedColumn" construct are None or not present'
                % (owner, key)
            )
        early, self._early = self._early, None
        if early is not None:
            # used in an expression in the class body already: complete that Column
            col = early
            if len(args) > len(self.args):
                col._set_type(args[len(self.args) == 0 and 0 or (
                    1 if self.args and isinstance(self.args[0], str) else 0)])
            if "nullable" in kw:
                col.nullable = kw["nullable"]
        else:
            col = Column(*args, **kw)
        if col.name is None:  # an explicit name (and key) stays the table's, as SQLAlchemy
            col.name = key
            if "key" not in kw:
                col.key = key
        self.last = col
        return col

    def __clause_element__(self) -> Column:
        """The Column made from this, for expressions in the class body
        (``foreign_keys=[mentor_id]``, ``inherit_condition=person_id == Person.id``); its
        name, type and nullability are completed when the class is mapped."""
        if self.last is not None:
            return self.last
        if self._early is None:
            self._early = Column(*self.args, **self.kw)
        return self._early

    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        return op(self.__clause_element__(), *other, **kwargs)

    def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
        return op(other, self.__clause_element__(), **kwargs)

    __hash__ = object.__hash__

    def column_for_mixin(self, key: str, annotation: Any, type_map: dict,
                         owner: str) -> Column:
        """A copy per mapped subclass: a mixin's mapped_column() is shared by many tables."""
        if self._built is None:
            self._built = self.column(key, annotation, type_map, owner)
        return self._built._copy()


class declared_attr:
    """A class-level attribute computed per mapped class: ``@declared_attr`` on a mixin (or
    a base) gives each subclass its own Column, relationship, ``__tablename__``,
    ``__table_args__`` or ``__mapper_args__``, by calling the function with the class."""

    def __init__(self, fget: Any, cascading: bool = False) -> None:
        self.fget = fget
        self.__doc__ = getattr(fget, "__doc__", None)
        if cascading:
            raise NotImplementedError(
                "declared_attr.cascading is not supported by inspector.orm")

    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is not None:  # an instance reads what the class maps
            return self
        return self.fget(owner)

    @classmethod
    def directive(cls, fget: Any) -> declared_attr:
        """``@declared_attr.directive`` for ``__tablename__`` and friends (same here)."""
        return cls(fget)

    @_classproperty
    def cascading(cls) -> Any:
        def refuse(fget: Any) -> Any:
            return declared_attr(fget, cascading=True)
        return refuse


def _directive(cls: type, name: str) -> Any:
    """``__tablename__`` / ``__table_args__`` / ``__mapper_args__`` of a class being mapped,
    as SQLAlchemy reads them: the class's own, else a mixin's; a mapped superclass's plain
    value is not inherited (its declared_attr is, evaluated for this class)."""
    for base in cls.__mro__:
        if name not in base.__dict__:
            continue
        value = base.__dict__[name]
        if isinstance(value, declared_attr):
            return value.fget(cls)
        if base is cls or "__mapper__" not in base.__dict__:
            return value
    return None


def mapped_column(*args: Any, **kw: Any) -> Any:
    """A Column whose type and nullability may come from its ``Mapped[...]`` annotation."""
    return _MappedColumn(args, kw)


class registry:
    """Holds the MetaData and the classes mapped through one declarative base."""

    def __init__(self, *, metadata: MetaData | None = None,
                 type_annotation_map: dict | None = None) -> None:
        self.metadata = metadata if metadata is not None else MetaData()
        self.type_annotation_map: dict[Any, Any] = dict(type_annotation_map or {})
        self._classes: dict[str, type] = {}
        self.mappers: list[Mapper] = []

    def _class_by_name(self, name: str) -> type | None:
        return self._classes.get(name)

    def generate_base(self, name: str = "Base", cls: type = object) -> type:
        bases = cls if isinstance(cls, tuple) else (cls,)
        return _make_base(name, bases, self)

    def map_imperatively(self, class_: type, local_table: Any = None,
                         **kw: Any) -> Mapper:
        """Classical mapping: ``class_`` (a plain class) onto ``local_table``, with
        ``properties={"name": users.c.user_name, "addresses": relationship(...)}`` and the
        Mapper arguments (``inherits``, ``polymorphic_on``, ``polymorphic_identity``,
        ``concrete``, ``include_properties``, ``exclude_properties``...)."""
        mapper = Mapper(class_, local_table, kw.pop("properties", None), registry=self, **kw)
        self._classes[class_.__name__] = class_
        self.mappers.append(mapper)
        return mapper

    def configure(self) -> None:
        from .mapper import configure_mappers

        configure_mappers()

    def dispose(self) -> None:
        """Unmap every class of this registry."""
        from .mapper import _unmap

        for m in sorted(self.mappers, key=lambda m: -len(list(m.iterate_to_root()))):
            _unmap(m)
        self._classes.clear()
        self.mappers.clear()


def _declarative_constructor(self: Any, **kwargs: Any) -> None:
    """Set each keyword argument as an attribute; unknown names are an error."""
    Mapper._configure_all()  # relationship attributes exist once mappers are configured
    cls = type(self)
    for k, v in kwargs.items():
        if not hasattr(cls, k):
            raise TypeError("%r is an invalid keyword argument for %s" % (k, cls.__name__))
        setattr(self, k, v)


_declarative_constructor.__name__ = "__init__"


def _declaration_order(assigned: list[str], annotated: list[str]) -> list[str]:
    """Attribute names in (nearly) class-body order, as SQLAlchemy orders a table's columns.

    The class ``__dict__`` knows the order of assigned names, the annotations that of
    annotated ones; read one list until a name both share, then continue with the other.
    """
    shared = set(assigned) & set(annotated)
    sources = [iter(assigned), iter(annotated)]
    turn = 0
    out: list[str] = []
    while True:
        for name in sources[turn]:
            if name in shared:
                shared.discard(name)  # the other list emits it when it gets there
                break
            out.append(name)
        else:
            out.extend(sources[1 - turn])
            return out
        turn = 1 - turn


_NOTHING = object()


def _unmapped_annotation_error(cls: type, key: str) -> Exception:
    return orm_exc.MappedAnnotationError(
        'Type annotation for "%s.%s" can\'t be correctly interpreted for Annotated '
        "Declarative Table form.  ORM annotations should normally make use of the "
        "``Mapped[]`` generic type as a container for the actual type, which indicates the "
        "intent that the attribute is mapped. Class variables that are not intended to be "
        "mapped by the ORM should use ClassVar[].  To allow Annotated Declarative to "
        "disregard legacy annotations which don't use Mapped[] to pass, set "
        '"__allow_unmapped__ = True" on the class or a superclass this class.'
        % (cls.__name__, key)
    )


def _scan_class(cls: type, owner: type, type_map: dict, mixin: bool,
                columns: list, props: dict) -> None:
    """Collect the Columns and relationships ``cls`` declares (``owner`` is being mapped)."""
    annotations = class_annotations(cls)
    allow_unmapped = getattr(owner, "__allow_unmapped__", False)
    for key in _declaration_order(list(cls.__dict__), list(annotations)):
        if key.startswith("__") and key.endswith("__"):
            continue
        value = cls.__dict__.get(key, _NOTHING)
        ann = annotations.get(key, _NOTHING)
        if ann is not _NOTHING and is_class_var(ann):
            continue
        fresh = isinstance(value, declared_attr)
        if fresh:
            if key in props or any(k == key for k, _ in columns):
                continue
            value = value.fget(owner)  # made for this class: nothing shared to copy
        is_mapped = ann is not _NOTHING and mapped_inner(ann)[0]
        mapped_value = isinstance(value, (Column, _MappedColumn, RelationshipProperty))
        if ann is not _NOTHING and not is_mapped and not allow_unmapped and (
            value is _NOTHING or isinstance(value, (_MappedColumn, RelationshipProperty))
        ):
            raise _unmapped_annotation_error(owner, key)
        if not is_mapped:
            ann = None
        if key in props or any(k == key for k, _ in columns):
            continue  # the subclass (scanned first) overrides a mixin
        if value is _NOTHING:
            if ann is None or "__table__" in owner.__dict__:
                continue  # with an explicit __table__, annotations only describe its columns
            value = _MappedColumn((), {})  # annotation only: the column is all annotation
        elif "__table__" in owner.__dict__ and isinstance(value, (Column, _MappedColumn)):
            raise sa_exc.ArgumentError(
                "Can't add additional column %r when specifying __table__" % key
            )
        elif not mapped_value:
            continue
        if not _is_dataclass_mapping(owner):
            opts = set(getattr(value, "_dataclass_opts", None) or ())
            if isinstance(value, _MappedColumn):
                opts.discard("default")
            if opts:
                raise NotImplementedError(
                    "%s.%s: %s are dataclass options, supported by inspector.orm only in a "
                    "MappedAsDataclass class" % (owner.__name__, key, ", ".join(sorted(opts))))
        if isinstance(value, _MappedColumn):
            if mixin and not fresh:
                value = value.column_for_mixin(key, ann, type_map, owner.__name__)
            else:
                # remembered: relationship(foreign_keys=[x]) may name it in the class body
                value._built = value = value.column(key, ann, type_map, owner.__name__)
        elif isinstance(value, Column):
            if mixin and not fresh:
                value = value._copy()
            if value.name is None:
                value.name = key
            if value.key is None:
                value.key = key
        elif isinstance(value, RelationshipProperty):
            if mixin and not fresh:
                raise NotImplementedError(
                    "%s.%s: relationship() on a mixin class is not supported by "
                    "inspector.orm; declare it with @declared_attr or on the mapped class"
                    % (cls.__name__, key)
                )
            _shape_relationship(value, ann, owner.__name__, key)
            props[key] = value
            continue
        columns.append((key, value))


def _is_dataclass_mapping(cls: type) -> bool:
    from .dataclass_mapping import MappedAsDataclass

    return issubclass(cls, MappedAsDataclass)


def _shape_relationship(prop: RelationshipProperty, ann: Any, owner: str, key: str) -> None:
    """Fill a relationship's target and scalar/list shape from its ``Mapped[...]``."""
    if ann is None:
        if prop.argument is None:
            raise sa_exc.ArgumentError(
                'Python typing annotation is required for attribute "%s.%s" when primary '
                'argument(s) for "Relationship" construct are None or not present'
                % (owner, key)
            )
        return
    target, collection = relationship_shape(ann, owner, key)
    if prop.argument is None:
        prop.argument = target
    if collection is None and prop._uselist_arg is None:
        prop._uselist_arg = False
    elif collection is set and prop.collection_class is None:
        prop.collection_class = set
    elif collection is dict and prop.collection_class is None:
        raise sa_exc.ArgumentError(
            "%s.%s: a Mapped[dict[...]] relationship needs collection_class= (for example "
            "attribute_keyed_dict('name'))" % (owner, key))


#: __mapper_args__ entries that become Mapper() arguments
_INHERITANCE_MAPPER_ARGS = ("polymorphic_on", "polymorphic_identity", "concrete",
                            "inherit_condition", "include_properties", "exclude_properties",
                            "inherits")


def _mapped_superclass(cls: type) -> Any:
    for base in cls.__mro__[1:]:
        mapper = base.__dict__.get("__mapper__")
        if mapper is not None:
            return mapper
    return None


def _map_class(cls: type, reg: registry) -> None:
    inherits = _mapped_superclass(cls)
    tablename = _directive(cls, "__tablename__")
    table = cls.__dict__.get("__table__")
    if tablename is None and table is None and inherits is None:
        return
    mapper_args = dict(_directive(cls, "__mapper_args__") or {})
    kw: dict[str, Any] = {}
    for key, value in mapper_args.items():
        if key in _INHERITANCE_MAPPER_ARGS or key in _MAPPER_ARGS:
            kw[key] = value
        else:
            raise NotImplementedError(
                "%s.__mapper_args__ %r=%r is not supported by inspector.orm"
                % (cls.__name__, key, value)
            )
    if "inherits" in kw:
        inherits = _mapper_of(kw.pop("inherits"))
    concrete = bool(kw.get("concrete"))
    single = inherits is not None and tablename is None and table is None and not concrete
    if concrete and tablename is None and table is None:
        raise sa_exc.InvalidRequestError(
            "Class %s has no table: a concrete mapping needs its own __tablename__ or "
            "__table__" % cls.__name__)
    # a mapper argument naming a class attribute (mapped_column()): its key, to find the
    # Column it becomes
    arg_keys = {name: key for name in ("version_id_col",) if name in mapper_args
                for key, v in cls.__dict__.items() if v is mapper_args[name]
                and not isinstance(v, Column)}
    type_map = reg.type_annotation_map
    columns: list[tuple[str, Column]] = []
    props: dict[str, Any] = {}
    _scan_class(cls, cls, type_map, False, columns, props)
    inherited = set(inherits.class_.__mro__) if inherits is not None else set()
    for base in cls.__mro__[1:]:
        if base is object or "registry" in base.__dict__ or base is DeclarativeBase:
            continue  # the declarative base itself maps nothing
        if base in inherited:
            continue  # a mapped superclass (and its mixins): mapped there, inherited here
        _scan_class(base, cls, type_map, True, columns, props)
    if single:
        table = inherits.local_table
        for _key, col in columns:
            existing = table.c.get(col.key)
            if existing is not None and existing is not col:
                raise sa_exc.ArgumentError(
                    "Column '%s' on class %s conflicts with existing column '%s'.  If using "
                    "Declarative, consider using the use_existing_column parameter of "
                    "mapped_column() to resolve conflicts."
                    % (col, cls.__name__, existing))
            if col.primary_key:
                raise sa_exc.ArgumentError(
                    "Can't place primary key columns on an inherited class with no table.")
            table.append_column(col)
        # as SQLAlchemy: a single-table subclass maps its parent's columns and its own,
        # not the columns its siblings added to the shared table
        own = {id(c) for _, c in columns}
        kw.setdefault("exclude_properties", [
            c.key for c in table.columns
            if id(c) not in own and c not in inherits._col_to_key])
    elif table is None:
        args = _directive(cls, "__table_args__") or ()
        table_kw: dict[str, Any] = {}
        if isinstance(args, dict):
            args, table_kw = (), args
        elif args and isinstance(args[-1], dict):
            args, table_kw = args[:-1], args[-1]
        table = Table(tablename, reg.metadata, *[c for _, c in columns], *args, **table_kw)
        cls.__table__ = table  # type: ignore[attr-defined]
    properties: dict[str, Any] = {}
    for key, col in columns:
        properties[key] = ColumnProperty(table.c[col.key])
    for key in [k for k, _ in columns] + list(props):
        if key in cls.__dict__:
            delattr(cls, key)
    polymorphic_on = kw.get("polymorphic_on")
    if isinstance(polymorphic_on, _MappedColumn):
        kw["polymorphic_on"] = polymorphic_on.last
    for name, key in arg_keys.items():
        if key in properties:
            kw[name] = properties[key].column
    mapper = Mapper(cls, None if single else table, properties, registry=reg,
                    inherits=inherits, **kw)
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
    if kw:
        raise TypeError("%s.__init_subclass__() takes no keyword arguments" % cls.__name__)
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
                     cls: type = object, type_annotation_map: dict | None = None,
                     **kw: Any) -> Any:
    """A base class whose subclasses with ``__tablename__`` are mapped."""
    if kw:
        _refuse_base_options("declarative_base", kw)
    reg = registry(metadata=metadata, type_annotation_map=type_annotation_map)
    return reg.generate_base(name=name, cls=cls)


#: declarative_base() options of SQLAlchemy that inspector.orm does not implement
_UNIMPLEMENTED_BASE_OPTIONS = ("mapper", "class_registry", "constructor", "metaclass", "bind")


def _refuse_base_options(func: str, kw: dict) -> None:
    for key in kw:
        if key in _UNIMPLEMENTED_BASE_OPTIONS:
            raise NotImplementedError(
                "%s(%s=...) is not supported by inspector.orm" % (func, key)
            )
        raise TypeError("%s() got an unexpected keyword argument '%s'" % (func, key))


class DeclarativeBase:
    """2.x style base: ``class Base(DeclarativeBase): pass``."""

    registry: registry
    metadata: MetaData
    __clause_element__ = classmethod(_class_clause_element)

    def __init_subclass__(cls, **kw: Any) -> None:
        if DeclarativeBase in cls.__bases__:
            reg = cls.__dict__.get("registry")
            type_map = cls.__dict__.get("type_annotation_map")
            if isinstance(reg, registry):
                if type_map is not None:
                    raise sa_exc.ArgumentError(
                        "Declarative base class has both a 'registry' attribute and a "
                        "type_annotation_map entry.  Per-base type_annotation_maps are not "
                        "supported.  Please apply the type_annotation_map to this registry "
                        "directly."
                    )
            else:
                reg = registry(metadata=cls.__dict__.get("metadata"),
                               type_annotation_map=type_map)
            cls.registry = reg
            cls.metadata = reg.metadata
            if "__init__" not in cls.__dict__:
                cls.__init__ = _declarative_constructor  # type: ignore[assignment]
            return
        super().__init_subclass__(**kw)
        if cls.__dict__.get("__abstract__", False):
            return
        _map_class(cls, cls.registry)


