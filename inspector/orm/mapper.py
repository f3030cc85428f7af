# orm/mapper.py
"""Mapper: links a class to a Table, holds its properties and computes identity keys."""

from __future__ import annotations

import weakref
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import Column, Table
from sqlalchemy.sql.annotation import _deep_deannotate
from sqlalchemy.sql.util import criterion_as_pairs, join_condition

from . import exc as orm_exc
from .attributes import QueryableAttribute, ScalarAttributeImpl
from .inheritance import entity_selectable, install_identity_init

#: every live mapper, in creation order, for configure_mappers(): configuring in that order
#: puts backref-created relationships on a target in SQLAlchemy's order (cascades walk it)
_mapper_registry: weakref.WeakKeyDictionary[Mapper, bool] = weakref.WeakKeyDictionary()
_configure_pending = [False]


class ColumnProperty:
    """A mapped column (several columns under one key: a joined-table subclass's primary key
    and the inherited one it references)."""

    def __init__(self, column: Any, *more: Any) -> None:
        self.columns = [column, *more]
        self.column = column
        self.key: str = ""
        self.parent: Mapper | None = None
        self.impl: ScalarAttributeImpl | None = None

    def expression_for(self, attr: QueryableAttribute) -> Any:
        mapper = attr.class_.__dict__.get("__mapper__", self.parent)
        return self.column._annotate(
            {"parententity": mapper, "parentmapper": mapper, "proxy_key": self.key}
        )

    def __repr__(self) -> str:
        return "ColumnProperty(%s.%s)" % (self.parent.class_.__name__ if self.parent else "?",
                                          self.key)


#: Mapper() / mapper() arguments of SQLAlchemy that inspector.orm does not implement
_UNSUPPORTED_MAPPER_ARGS = (
    "with_polymorphic", "polymorphic_load", "polymorphic_abstract",
    "column_prefix", "always_refresh", "allow_partial_pks",
    "non_primary", "order_by", "extension", "primary_key", "polymorphic_fetch",
    "select_table", "polymorphic_union", "passive_deletes",
    "legacy_is_orphan", "with_labels",
    "entity_name", "allow_column_override", "save_on_init", "allow_null_pks",
    "exclude_properties_from_select", "_polymorphic_map", "local_table_only",
)


class Mapper:
    """The mapping of one class onto one table (or, for a subclass, onto its hierarchy's)."""

    def __init__(self, class_: type, local_table: Table | None = None,
                 properties: dict[str, Any] | None = None, registry: Any = None, *,
                 inherits: Any = None, inherit_condition: Any = None,
                 polymorphic_on: Any = None, polymorphic_identity: Any = None,
                 concrete: bool = False, include_properties: Any = None,
                 exclude_properties: Any = None, version_id_col: Any = None,
                 version_id_generator: Any = None, eager_defaults: Any = "auto",
                 confirm_deleted_rows: bool = True, batch: bool = True,
                 passive_updates: bool = True, **kw: Any) -> None:
        for key in kw:
            if key in _UNSUPPORTED_MAPPER_ARGS:
                raise NotImplementedError(
                    "Mapper argument %s=... is not supported by inspector.orm" % key)
            raise TypeError("Mapper() got an unexpected keyword argument '%s'" % key)
        if "__mapper__" in class_.__dict__:
            raise sa_exc.ArgumentError(
                "Class '%s' already has a primary mapper defined. " % class_)
        if concrete and inherits is not None and polymorphic_identity is not None and \
                _mapper_of(inherits).polymorphic_on is not None:
            raise NotImplementedError(
                "%s: polymorphic loading of concrete-table inheritance (a polymorphic_identity "
                "under %s's polymorphic_on, loaded through a polymorphic_union) is not "
                "supported by inspector.orm; concrete subclasses load from their own table"
                % (class_.__name__, _mapper_of(inherits).class_.__name__))
        properties = dict(properties or {})
        self.class_ = class_
        self.registry = registry
        self._sort_key = "%s.%s" % (class_.__module__, class_.__name__)
        if inherits is not None:
            inherits = _mapper_of(inherits)
        self.inherits: Mapper | None = inherits
        self.concrete = bool(concrete)
        self._inheriting_mappers: list[Mapper] = []
        self.polymorphic_identity = polymorphic_identity
        #: a joined subclass's table: does the database cascade a changed primary key into
        #: it (ON UPDATE CASCADE; its UPDATE then locates the row by the new key), or does
        #: the flush UPDATE its key columns (False)?  A subclass takes its parent's.
        self.passive_updates = (inherits.passive_updates if inherits is not None
                                else passive_updates)
        self._inherit_sync: list[tuple[str, str]] = (
            list(inherits._inherit_sync) if inherits is not None and not concrete else [])
        if inherits is not None and not concrete:
            self.single = local_table is None or local_table is inherits.local_table
            if self.single:
                local_table = inherits.local_table
                self.persist_selectable = inherits.persist_selectable
                self.tables = list(inherits.tables)
            else:
                if inherit_condition is None:
                    inherit_condition = join_condition(inherits.local_table, local_table)
                else:  # written with mapped attributes: the plain table columns
                    if hasattr(inherit_condition, "__clause_element__"):
                        inherit_condition = inherit_condition.__clause_element__()
                    inherit_condition = _deep_deannotate(inherit_condition)
                self.inherit_condition = inherit_condition
                self.persist_selectable = inherits.persist_selectable.join(
                    local_table, inherit_condition)
                self.tables = list(inherits.tables) + [local_table]
            self.base_mapper: Mapper = inherits.base_mapper
            self._identity_class: type = inherits._identity_class
            self.primary_key = list(inherits.primary_key)
        else:
            if local_table is None:
                raise sa_exc.ArgumentError(
                    "Mapper %s has no table to map (give one, or inherits= for single-table "
                    "inheritance)" % class_.__name__)
            self.single = False
            self.persist_selectable = local_table
            self.tables = [local_table]
            self.base_mapper = inherits.base_mapper if inherits is not None else self
            self._identity_class = class_
            self.primary_key = list(local_table.primary_key.columns)
        self.local_table = local_table
        if inherits is not None:
            self.polymorphic_map: dict[Any, Mapper] = inherits.polymorphic_map
            if polymorphic_on is None and not concrete:
                polymorphic_on = inherits.polymorphic_on
        else:
            self.polymorphic_map = {}
        self.columns: dict[str, Any] = {}  # attribute key -> Column
        self.column_attrs: dict[str, ColumnProperty] = {}
        self.relationships: dict[str, Any] = {}
        self.attrs: dict[str, Any] = {}
        if not self.primary_key:
            raise sa_exc.ArgumentError(
                "Mapper %s could not assemble any primary key columns for mapped table '%s'"
                % (class_.__name__, local_table.name)
            )
        self.configured = False
        #: relationships elsewhere with delete-orphan cascade that hold objects of this class
        self._delete_orphans: list[Any] = []

        include = set(include_properties) if include_properties is not None else None
        exclude = set(exclude_properties or ())

        def wanted(key: str) -> bool:
            return (include is None or key in include) and key not in exclude

        if inherits is not None and not concrete:
            self._inherit_properties(inherits)
        for key, prop in properties.items():
            if not isinstance(prop, ColumnProperty) and not hasattr(prop, "_setup"):
                prop = ColumnProperty(*_as_columns(prop, class_, key))
            inherited = self.column_attrs.get(key)
            if (isinstance(prop, ColumnProperty) and inherited is not None
                    and inherited.parent is not self and not concrete):
                # a joined subclass's column under an inherited name (its primary key that
                # references the parent's): one attribute, both columns, its own first
                prop = ColumnProperty(*prop.columns, *inherited.columns)
            self._add_property(key, prop)
        # table columns not named in the class are mapped under their column key
        mapped = {id(c) for p in self.column_attrs.values() for c in p.columns}
        for col in local_table.columns:
            if id(col) in mapped or not wanted(col.key):
                continue
            if col.key in self.column_attrs and inherits is not None and not concrete:
                inherited = self.column_attrs[col.key]
                self._add_property(col.key, ColumnProperty(col, *inherited.columns))
            else:
                self._add_property(col.key, ColumnProperty(col))
        #: (parent column, subclass column) of every inheritance join up the hierarchy: the
        #: foreign keys a relationship must not take for its own
        self._inherit_fk_pairs: set = set(inherits._inherit_fk_pairs) if inherits else set()
        if inherits is not None and not concrete and not self.single:
            # key columns named differently from the parent's: copied after the parent's INSERT
            ckeys = {id(c): k for k, p in self.column_attrs.items() for c in p.columns}
            for pcol, ccol in criterion_as_pairs(
                    self.inherit_condition, consider_as_foreign_keys=set(local_table.columns)):
                self._inherit_fk_pairs.add((pcol, ccol))
                pk, ck = ckeys.get(id(pcol)), ckeys.get(id(ccol))
                if pk is not None and ck is not None and pk != ck:
                    self._inherit_sync.append((pk, ck))

        self._init_polymorphic(polymorphic_on)
        self._compile_columns()
        if inherits is not None and not concrete and version_id_col is None:
            version_id_col = inherits.version_id_col
            if version_id_generator is None:
                version_id_generator = inherits.version_id_generator
        self._setup_persistence_options(version_id_col, version_id_generator, eager_defaults,
                                        confirm_deleted_rows, batch)
        class_.__mapper__ = self  # type: ignore[attr-defined]
        if not hasattr(class_, "__clause_element__"):  # select(User) of a classical mapping
            class_.__clause_element__ = classmethod(_class_clause_element)  # type: ignore
        if inherits is not None:
            inherits._inheriting_mappers.append(self)
        if self.polymorphic_on is not None and self.polymorphic_identity is not None:
            install_identity_init(self)
        _mapper_registry[self] = True
        _configure_pending[0] = True

    def _inherit_properties(self, parent: Mapper) -> None:
        """A subclass maps everything its parent maps (the same property objects); its own
        QueryableAttributes make ``Manager.name`` an expression of the subclass."""
        for key, prop in parent.attrs.items():
            self.attrs[key] = prop
            if isinstance(prop, ColumnProperty):
                self.columns[key] = parent.columns[key]
                self.column_attrs[key] = prop
                setattr(self.class_, key, QueryableAttribute(self.class_, key, prop.impl, prop))
            else:
                self.relationships[key] = prop

    def _init_polymorphic(self, polymorphic_on: Any) -> None:
        if isinstance(polymorphic_on, str):
            prop = self.column_attrs.get(polymorphic_on)
            if prop is None:
                raise sa_exc.ArgumentError(
                    "Can't determine polymorphic_on value '%s' - no attribute is mapped to "
                    "this name." % polymorphic_on)
            polymorphic_on = prop.column
        elif polymorphic_on is not None and hasattr(polymorphic_on, "__clause_element__"):
            polymorphic_on = polymorphic_on.__clause_element__()
        self.polymorphic_on = polymorphic_on
        self._polymorphic_key: str | None = None
        if polymorphic_on is not None:
            for key, prop in self.column_attrs.items():
                if any(c is polymorphic_on or c.compare(polymorphic_on) for c in prop.columns):
                    self._polymorphic_key = key
                    break
            else:
                raise NotImplementedError(
                    "polymorphic_on=%r: a discriminator that is not a mapped column is not "
                    "supported by inspector.orm" % (polymorphic_on,))
        if self.polymorphic_identity is not None:
            if self.polymorphic_identity in self.polymorphic_map:
                import warnings

                warnings.warn(
                    "Reassigning polymorphic association for identity %r from %r to %r: "
                    "Check for duplicate use of %r as value for polymorphic_identity."
                    % (self.polymorphic_identity,
                       self.polymorphic_map[self.polymorphic_identity], self,
                       self.polymorphic_identity), sa_exc.SAWarning, stacklevel=3)
            self.polymorphic_map[self.polymorphic_identity] = self

    def _compile_columns(self) -> None:
        """Derived lookups: column -> key, per-table columns, the SELECT's columns."""
        self.column_keys = list(self.columns)
        self._col_to_key = {c: key for key, p in self.column_attrs.items() for c in p.columns}
        self.pk_keys = [self._col_to_key[c] for c in self.primary_key]
        tables = set(self.tables)
        self._table_cols: dict[Any, list[tuple[str, Any]]] = {t: [] for t in self.tables}
        for key, prop in self.column_attrs.items():
            for col in prop.columns:
                if col.table in tables:
                    self._table_cols[col.table].append((key, col))
        # SELECT order, as SQLAlchemy's: attributes by their first column's place in the
        # table (or join), each attribute's columns together (a subclass's own first)
        position = {c: i for i, c in enumerate(self.persist_selectable.c)}
        props = sorted(self.column_attrs.values(), key=lambda p: min(
            (position[c] for c in p.columns if c in position), default=len(position)))
        select_cols: list = []
        for prop in props:
            for col in prop.columns:
                if col.table in tables and col not in select_cols:
                    select_cols.append(col)
        self._select_cols = select_cols
        self._table_pk_keys = {
            t: [self._col_to_key[c] for c in t.primary_key.columns if c in self._col_to_key]
            for t in self.tables}
        #: per table, its key columns for UPDATE / DELETE: (bind label, column key,
        #: attribute key, position in the identity's primary key or None)
        self._table_pk_info = {
            t: [(c._label, c.key, self._col_to_key[c],
                 self.pk_keys.index(self._col_to_key[c])
                 if self._col_to_key[c] in self.pk_keys else None)
                for c in t.primary_key.columns]
            for t in self.tables}
        # INSERT parameters: columns without defaults are sent as NULL when unset
        self._insert_cols_as_none = [
            (key, col.key) for key, col in self.columns.items()
            if not col.primary_key and col.default is None and col.server_default is None
            and not col.type.should_evaluate_none
        ]
        self._table_none_cols = {
            t: [(key, col.key) for key, col in cols
                if not col.primary_key and col.default is None and col.server_default is None
                and not col.type.should_evaluate_none]
            for t, cols in self._table_cols.items()}

    # -- hierarchy -------------------------------------------------------------
    def isa(self, other: Mapper) -> bool:
        m: Mapper | None = self
        while m is not None:
            if m is other:
                return True
            m = m.inherits
        return False

    def iterate_to_root(self):
        m: Mapper | None = self
        while m is not None:
            yield m
            m = m.inherits

    @property
    def self_and_descendants(self) -> list[Mapper]:
        out = [self]
        for sub in self._inheriting_mappers:
            out.extend(sub.self_and_descendants)
        return out

    def polymorphic_iterator(self):
        """This mapper and every mapper inheriting from it, depth first."""
        return iter(self.self_and_descendants)

    @property
    def mapped_table(self) -> Any:
        """The seeds' era name of :attr:`persist_selectable`."""
        return self.persist_selectable

    def _polymorphic_identities(self) -> list:
        return [m.polymorphic_identity for m in self.self_and_descendants
                if m.polymorphic_identity is not None]

    @property
    def _sorted_tables(self) -> list:
        """The hierarchy's tables, a parent class's before its subclasses' (then in the
        order the subclasses were mapped)."""
        tables = []
        for m in self.self_and_descendants:
            for t in m.tables:
                if t not in tables:
                    tables.append(t)
        return tables

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
            if col.table not in self.tables:
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
            self.columns[key] = prop.columns[-1]
            self.column_attrs[key] = prop
        else:
            self.relationships[key] = prop
        self.attrs[key] = prop
        if isinstance(prop, ColumnProperty):
            setattr(self.class_, key, QueryableAttribute(self.class_, key, prop.impl, prop))

    def add_property(self, key: str, prop: Any) -> None:
        """Add a relationship after mapping (used by backrefs); subclasses inherit it."""
        self._add_property(key, prop)
        for sub in self.self_and_descendants[1:]:
            if key not in sub.attrs or sub.attrs[key].parent is not sub:
                sub.attrs[key] = prop
                if not isinstance(prop, ColumnProperty):
                    sub.relationships[key] = prop
        _configure_pending[0] = True
        self.configured = False

    # -- configuration -------------------------------------------------------
    @staticmethod
    def _configure_all() -> None:
        if _configure_pending[0]:
            configure_mappers()

    def _post_configure(self) -> None:
        for prop in list(self.relationships.values()):
            if prop.parent is self:
                prop._setup(self)
        self.configured = True

    # -- identity ------------------------------------------------------------
    def identity_key_from_state(self, state: Any) -> tuple:
        d = state.dict
        token = state.key[2] if state.key is not None else None  # kept, as SQLAlchemy's
        return (self._identity_class, tuple([d.get(k) for k in self.pk_keys]), token)

    def identity_key_from_primary_key(self, pk: tuple) -> tuple:
        return (self._identity_class, tuple(pk), None)

    def primary_key_from_instance(self, obj: Any) -> tuple:
        d = obj.__dict__
        return tuple(d.get(k) for k in self.pk_keys)

    def _is_orphan(self, state: Any) -> bool:
        """True when a delete-orphan relationship that can hold this object doesn't.

        A persistent object with no recorded change is assumed to still have its parent.
        """
        for mapper in self.iterate_to_root():
            for prop in mapper._delete_orphans:
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
        return entity_selectable(self)

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


def _mapper_of(value: Any) -> Mapper:
    """``inherits=`` given as a Mapper or as a mapped class (not configuring the mappers:
    a relationship of the parent may name a class mapped later, as in SQLAlchemy)."""
    if isinstance(value, Mapper):
        return value
    mapper = value.__dict__.get("__mapper__") if isinstance(value, type) else None
    if mapper is None:
        raise orm_exc.UnmappedClassError(value)
    return mapper


def _class_clause_element(cls: type) -> Any:
    mapper = cls.__dict__.get("__mapper__")
    if mapper is None:
        raise sa_exc.ArgumentError("Class %s is not mapped" % cls.__name__)
    return mapper.__clause_element__()


def _as_columns(value: Any, class_: type, key: str) -> list:
    """``properties={"name": table.c.user_name}``: a Column (or a list of them) to map."""
    values = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for v in values:
        v = v.__clause_element__() if hasattr(v, "__clause_element__") else v
        if not isinstance(v, Column):
            raise NotImplementedError(
                "%s.%s: mapping %r (not a table Column) is not supported by inspector.orm"
                % (class_.__name__, key, value))
        out.append(v)
    return out


def column_property(*columns: Any, **kw: Any) -> ColumnProperty:
    """A column mapped under a key of your choice (``properties={"name": column_property(
    users.c.user_name)}``); several columns share one attribute."""
    for key, value in kw.items():
        if value not in (None, False):
            raise NotImplementedError(
                "column_property(%s=...) is not supported by inspector.orm" % key)
    return ColumnProperty(*_as_columns(list(columns), object, "column_property"))


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


#: the registry of classes mapped through the legacy mapper() function
_legacy_registry: list[Any] = []


def mapper(class_: type, local_table: Table | None = None, properties: Any = None,
           **kw: Any) -> Mapper:
    """The classical ``mapper(Class, table, properties={...})`` of SQLAlchemy before 2.0.

    Removed from SQLAlchemy 2; kept here for scripts of the seeds' era, with a
    DeprecationWarning: use ``registry().map_imperatively()``.  It maps into one
    module-level registry (string relationship targets resolve there).
    """
    import warnings

    warnings.warn(
        "mapper() is deprecated (removed in SQLAlchemy 2.0): use "
        "registry().map_imperatively(class_, local_table, properties=...)",
        DeprecationWarning, stacklevel=2)
    if not _legacy_registry:
        from .declarative import registry

        _legacy_registry.append(registry())
    return _legacy_registry[0].map_imperatively(class_, local_table, properties=properties,
                                                **kw)


def _unmap(mapper: Mapper) -> None:
    """Undo what mapping did to the class: its attributes, ``__mapper__``, the wrapper."""
    from .inheritance import uninstall_identity_init

    cls = mapper.class_
    for key, value in list(cls.__dict__.items()):
        if isinstance(value, QueryableAttribute):
            delattr(cls, key)
    if cls.__dict__.get("__mapper__") is mapper:
        del cls.__mapper__  # type: ignore[attr-defined]
    ce = cls.__dict__.get("__clause_element__")
    if isinstance(ce, classmethod) and ce.__func__ is _class_clause_element:
        del cls.__clause_element__  # type: ignore[attr-defined]
    uninstall_identity_init(cls)
    if mapper.registry is not None:
        reg = mapper.registry
        if reg._classes.get(cls.__name__) is cls:
            del reg._classes[cls.__name__]
        if mapper in reg.mappers:
            reg.mappers.remove(mapper)
    _mapper_registry.pop(mapper, None)


def clear_mappers() -> None:
    """Remove every mapping: the classes become plain classes again (their instances made
    while mapped are of no further use), as SQLAlchemy's ``clear_mappers()``."""
    for m in sorted(list(_mapper_registry), key=lambda m: -len(list(m.iterate_to_root()))):
        _unmap(m)
    _legacy_registry.clear()
    _configure_pending[0] = False


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
