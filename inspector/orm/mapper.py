# orm/mapper.py
"""Mapper: links a class to a Table, holds its properties and computes identity keys."""

from __future__ import annotations

import weakref
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import Table

from . import exc as orm_exc
from .attributes import QueryableAttribute, ScalarAttributeImpl

#: every live mapper, in creation order, for configure_mappers(): configuring in that order
#: puts backref-created relationships on a target in SQLAlchemy's order (cascades walk it)
_mapper_registry: weakref.WeakKeyDictionary[Mapper, bool] = weakref.WeakKeyDictionary()
_configure_pending = [False]


class ColumnProperty:
    """A mapped column."""

    def __init__(self, column: Any) -> None:
        self.column = column
        self.key: str = ""
        self.parent: Mapper | None = None
        self.impl: ScalarAttributeImpl | None = None

    def expression_for(self, attr: QueryableAttribute) -> Any:
        return self.column._annotate(
            {"parententity": self.parent, "parentmapper": self.parent, "proxy_key": self.key}
        )

    def __repr__(self) -> str:
        return "ColumnProperty(%s.%s)" % (self.parent.class_.__name__ if self.parent else "?",
                                          self.key)


class Mapper:
    """The mapping of one class onto one table."""

    def __init__(self, class_: type, local_table: Table, properties: dict[str, Any],
                 registry: Any = None, *, version_id_col: Any = None,
                 version_id_generator: Any = None, eager_defaults: Any = "auto",
                 confirm_deleted_rows: bool = True, batch: bool = True) -> None:
        self.class_ = class_
        self.local_table = self.persist_selectable = local_table
        self.registry = registry
        self._sort_key = "%s.%s" % (class_.__module__, class_.__name__)
        self.columns: dict[str, Any] = {}  # attribute key -> Column
        self.column_attrs: dict[str, ColumnProperty] = {}
        self.relationships: dict[str, Any] = {}
        self.attrs: dict[str, Any] = {}
        self.primary_key = list(local_table.primary_key.columns)
        if not self.primary_key:
            raise sa_exc.ArgumentError(
                "Mapper %s could not assemble any primary key columns for mapped table '%s'"
                % (class_.__name__, local_table.name)
            )
        self.configured = False
        #: relationships elsewhere with delete-orphan cascade that hold objects of this class
        self._delete_orphans: list[Any] = []

        for key, prop in properties.items():
            self._add_property(key, prop)
        # table columns not named in the class are mapped under their column key
        mapped = {id(p.column) for p in self.column_attrs.values()}
        for col in local_table.columns:
            if id(col) not in mapped:
                self._add_property(col.key, ColumnProperty(col))

        self.column_keys = list(self.columns)
        self._col_to_key = {col: key for key, col in self.columns.items()}
        self.pk_keys = [self._col_to_key[c] for c in self.primary_key]
        # INSERT parameters: columns without defaults are sent as NULL when unset
        self._insert_cols_as_none = [
            (key, col.key) for key, col in self.columns.items()
            if not col.primary_key and col.default is None and col.server_default is None
            and not col.type.should_evaluate_none
        ]
        self._setup_persistence_options(version_id_col, version_id_generator, eager_defaults,
                                        confirm_deleted_rows, batch)
        class_.__mapper__ = self  # type: ignore[attr-defined]
        _mapper_registry[self] = True
        _configure_pending[0] = True

    def _setup_persistence_options(self, version_id_col: Any, version_id_generator: Any,
                                   eager_defaults: Any, confirm_deleted_rows: bool,
                                   batch: bool) -> None:
        """What the flush needs beyond the columns: versioning, defaults to fetch back."""
        if eager_defaults not in (True, False, "auto"):
            raise sa_exc.ArgumentError("eager_defaults must be True, False or 'auto'")
        if not batch:
            raise NotImplementedError(
                "Mapper batch=False is not supported by inspector.orm (rows are batched)")
        self.eager_defaults = eager_defaults
        self.confirm_deleted_rows = confirm_deleted_rows
        table = self.local_table
        if version_id_col is not None:
            col = getattr(version_id_col, "_built", None) or version_id_col  # mapped_column()
            col = getattr(col, "__clause_element__", lambda: col)()
            if col.table is not table:
                col = table.c.get(col.key) if col.key is not None else None
            if col is None or col not in self._col_to_key:
                raise sa_exc.ArgumentError(
                    "version_id_col %r is not a column of table '%s'"
                    % (version_id_col, table.name))
            version_id_col = col
        self.version_id_col = version_id_col
        self._version_key = (self._col_to_key[version_id_col]
                             if version_id_col is not None else None)
        #: set on an expired object, these load their old value first (active history)
        self._active_history_keys = frozenset(
            self.pk_keys + ([self._version_key] if self._version_key else []))
        if version_id_generator is False:
            self.version_id_generator: Any = False
        elif version_id_generator is None:
            self.version_id_generator = lambda v: (v or 0) + 1
        else:
            self.version_id_generator = version_id_generator
        vc = version_id_col
        self._version_id_has_server_side_value = vc is not None and (
            vc.server_default is not None or (
                vc.default is not None and not vc.default.is_scalar
                and not vc.default.is_callable))
        cols = list(self.columns.values())
        self._server_default_cols = [
            c for c in cols if c.server_default is not None
            or (c.default is not None and c.default.is_clause_element)]
        self._server_default_col_keys = frozenset(c.key for c in self._server_default_cols)
        self._server_onupdate_cols = [
            c for c in cols if c.server_onupdate is not None
            or (c.onupdate is not None and c.onupdate.is_clause_element)]
        self._server_onupdate_col_keys = frozenset(c.key for c in self._server_onupdate_cols)
        self._server_default_plus_onupdate_keys = [
            self._col_to_key[c] for c in cols
            if c in self._server_default_cols or c in self._server_onupdate_cols]
        self._insert_cols_evaluating_none = frozenset(
            c for c in cols if c.type.should_evaluate_none)

    def _prefer_eager_defaults(self, dialect: Any) -> bool:
        """Fetch server-generated values in the INSERT itself (RETURNING)?"""
        if self.eager_defaults == "auto":
            return bool(self.local_table.implicit_returning and self._server_default_cols
                        and dialect.insert_executemany_returning)
        return bool(self.eager_defaults)

    def _add_property(self, key: str, prop: Any) -> None:
        prop.key = key
        prop.parent = self
        if isinstance(prop, ColumnProperty):
            prop.impl = ScalarAttributeImpl(key)
            self.columns[key] = prop.column
            self.column_attrs[key] = prop
        else:
            self.relationships[key] = prop
        self.attrs[key] = prop
        if isinstance(prop, ColumnProperty):
            setattr(self.class_, key, QueryableAttribute(self.class_, key, prop.impl, prop))

    def add_property(self, key: str, prop: Any) -> None:
        """Add a relationship after mapping (used by backrefs)."""
        self._add_property(key, prop)
        _configure_pending[0] = True
        self.configured = False

    # -- configuration -------------------------------------------------------
    @staticmethod
    def _configure_all() -> None:
        if _configure_pending[0]:
            configure_mappers()

    def _post_configure(self) -> None:
        for prop in list(self.relationships.values()):
            prop._setup(self)
        self.configured = True

    # -- identity ------------------------------------------------------------
    def identity_key_from_state(self, state: Any) -> tuple:
        d = state.dict
        token = state.key[2] if state.key is not None else None  # kept, as SQLAlchemy's
        return (self.class_, tuple(d.get(k) for k in self.pk_keys), token)

    def identity_key_from_primary_key(self, pk: tuple) -> tuple:
        return (self.class_, tuple(pk), None)

    def primary_key_from_instance(self, obj: Any) -> tuple:
        d = obj.__dict__
        return tuple(d.get(k) for k in self.pk_keys)

    def _is_orphan(self, state: Any) -> bool:
        """True when a delete-orphan relationship that can hold this object doesn't.

        A persistent object with no recorded change is assumed to still have its parent.
        """
        for prop in self._delete_orphans:
            parent = state.parents.get(prop, state.key is not None)
            if parent is False:
                return True
        return False

    def get_property(self, key: str) -> Any:
        try:
            return self.attrs[key]
        except KeyError:
            raise sa_exc.InvalidRequestError(
                "Mapper '%s' has no property '%s'" % (self, key)
            ) from None

    def __clause_element__(self) -> Any:
        return self.local_table._annotate({"parententity": self, "parentmapper": self})

    @property
    def mapper(self) -> Mapper:
        return self

    @property
    def entity(self) -> type:
        return self.class_

    def __repr__(self) -> str:
        return "<Mapper %s>" % self.class_.__name__

    def __str__(self) -> str:
        return "Mapper[%s(%s)]" % (self.class_.__name__, self.local_table.name)


def configure_mappers() -> None:
    """Resolve string targets, directions and backrefs of every relationship."""
    if not _configure_pending[0]:
        return
    _configure_pending[0] = False
    try:
        # backrefs may add properties while we configure: loop until stable
        while True:
            todo = [m for m in list(_mapper_registry) if not m.configured]
            if not todo:
                break
            for m in todo:
                m._post_configure()
    except Exception:
        _configure_pending[0] = True
        raise


def class_mapper(cls: type) -> Mapper:
    mapper = cls.__dict__.get("__mapper__") if isinstance(cls, type) else None
    if mapper is None:
        raise orm_exc.UnmappedClassError(cls)
    Mapper._configure_all()
    return mapper


def object_mapper(obj: Any) -> Mapper:
    mapper = getattr(type(obj), "__mapper__", None)
    if mapper is None:
        raise orm_exc.UnmappedInstanceError(obj)
    return mapper
