# orm/relationships.py
"""relationship(): direction from foreign keys, backrefs, cascade rules, lazy-load clauses."""

from __future__ import annotations

from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import and_, bindparam, select
from sqlalchemy.sql.selectable import LABEL_STYLE_NONE

from .attributes import (
    CollectionAttributeImpl,
    QueryableAttribute,
    ScalarObjectAttributeImpl,
)
from .inheritance import single_criterion

ONETOMANY = "ONETOMANY"
MANYTOONE = "MANYTOONE"

_ALL_CASCADES = frozenset(
    ("save-update", "merge", "delete", "delete-orphan", "refresh-expire", "expunge")
)


_VIEWONLY_CASCADES = frozenset(("merge", "refresh-expire", "expunge"))


class CascadeOptions(frozenset):
    """The parsed ``cascade=`` argument of a relationship."""

    def __new__(cls, value: str | None = "save-update, merge"):
        names = {v.strip() for v in (value or "").split(",") if v.strip()}
        if "all" in names:
            names.discard("all")
            names |= {"save-update", "merge", "refresh-expire", "expunge", "delete"}
        if "none" in names:
            names.discard("none")
        bad = names - _ALL_CASCADES
        if bad:
            raise sa_exc.ArgumentError(
                "Invalid cascade option(s): %s" % ", ".join(repr(b) for b in sorted(bad))
            )
        self = super().__new__(cls, names)
        self.save_update = "save-update" in names  # type: ignore[attr-defined]
        self.delete = "delete" in names  # type: ignore[attr-defined]
        self.delete_orphan = "delete-orphan" in names  # type: ignore[attr-defined]
        self.merge = "merge" in names  # type: ignore[attr-defined]
        self.expunge = "expunge" in names  # type: ignore[attr-defined]
        self.refresh_expire = "refresh-expire" in names  # type: ignore[attr-defined]
        return self

    def __repr__(self) -> str:
        return "CascadeOptions(%r)" % ",".join(sorted(self))


class RelationshipProperty:
    """A link from one mapped class to another, through foreign keys."""

    def __init__(self, argument: Any = None, secondary: Any = None, *, backref: Any = None,
                 back_populates: str | None = None, uselist: bool | None = None,
                 order_by: Any = None, cascade: str | None = None, lazy: str = "select",
                 remote_side: Any = None, foreign_keys: Any = None, viewonly: bool = False,
                 passive_deletes: bool = False, primaryjoin: Any = None,
                 single_parent: bool = False, **kw: Any) -> None:
        if secondary is not None or primaryjoin is not None:
            raise sa_exc.ArgumentError(
                "relationship(): 'secondary' and 'primaryjoin' are not supported yet "
                "by inspector.orm (one-to-many and many-to-one through foreign keys are)"
            )
        if lazy not in ("select", True):
            raise NotImplementedError(
                "relationship(lazy=%r) is not supported by inspector.orm yet: relationships "
                "load lazily with a SELECT on first access (lazy='select')" % (lazy,))
        _refuse_arguments(kw)
        self.argument = argument
        self.backref = backref
        self.back_populates = back_populates
        self._uselist_arg = uselist
        self._order_by_arg = order_by
        self.cascade = CascadeOptions(cascade if cascade is not None else "save-update, merge")
        if viewonly:  # as SQLAlchemy: a viewonly relationship keeps no persistence cascades
            self.cascade = CascadeOptions(",".join(self.cascade & _VIEWONLY_CASCADES))
        self.lazy = lazy
        self._remote_side_arg = remote_side
        self._foreign_keys_arg = foreign_keys
        self.viewonly = viewonly
        self.passive_deletes = passive_deletes
        self.single_parent = single_parent
        self.key = ""
        self.parent: Any = None
        self.mapper: Any = None
        self.direction: str | None = None
        self.impl: Any = None
        self._reverse_property: RelationshipProperty | None = None
        self.synchronize_pairs: list[tuple[Any, Any]] = []
        self._configured = False

    # -- configuration -------------------------------------------------------
    def _resolve(self, value: Any) -> Any:
        if callable(value) and not isinstance(value, type) and not hasattr(
            value, "__clause_element__"
        ):
            value = value()
        return value

    def _target_mapper(self) -> Any:
        arg = self._resolve(self.argument)
        if isinstance(arg, str):
            registry = self.parent.registry
            cls = registry._class_by_name(arg) if registry is not None else None
            if cls is None:
                raise sa_exc.InvalidRequestError(
                    "When initializing mapper %s, expression %r failed to locate a name (%r). "
                    "If this is a class name, consider adding this relationship() to the %r "
                    "class after both dependent classes have been defined."
                    % (self.parent, arg, arg, self.parent.class_)
                )
            arg = cls
        mapper = getattr(arg, "__mapper__", None)
        if mapper is None:
            raise sa_exc.ArgumentError(
                "relationship '%s' expects a class or a mapper argument (received: %r)"
                % (self.key, arg)
            )
        return mapper

    def _columns(self, value: Any) -> set:
        value = self._resolve(value)
        if value is None:
            return set()
        if isinstance(value, str):
            value = [self.parent.columns[v.strip()] for v in value.split(",")]
        if not isinstance(value, (list, tuple, set)):
            value = [value]
        return {getattr(v, "__clause_element__", lambda v=v: v)() for v in value}

    def _setup(self, parent: Any) -> None:
        if self._configured:
            return
        self.parent = parent
        self.mapper = target = self._target_mapper()
        # a subclass's rows span its hierarchy's tables: foreign keys of any of them count
        ptable, ttable = tuple(parent.tables), tuple(target.tables)
        fk_filter = {c for c in self._columns(self._foreign_keys_arg)}
        inherit_pairs = parent._inherit_fk_pairs | target._inherit_fk_pairs
        remote_side = {c for c in self._columns(self._remote_side_arg)}

        def fks(from_tables: Any, to_tables: Any) -> list[tuple[Any, Any]]:
            out = []
            for from_table in from_tables:
                for fk in from_table.foreign_keys:
                    if (fk.column, fk.parent) in inherit_pairs:
                        continue  # a subclass table's key referencing its parent table
                    if (any(fk.column.table is t for t in to_tables)
                            and (not fk_filter or fk.parent in fk_filter)):
                        out.append((fk.column, fk.parent))
            return out

        if ptable == ttable:
            pairs = fks(ptable, ptable)
            if remote_side and all(ref in remote_side for ref, _ in pairs):
                self.direction = MANYTOONE
            elif remote_side:
                self.direction = ONETOMANY
            else:
                self.direction = ONETOMANY
            self.synchronize_pairs = pairs
        else:
            child_fks = fks(ttable, ptable)
            parent_fks = fks(ptable, ttable)
            if child_fks and not parent_fks:
                self.direction, self.synchronize_pairs = ONETOMANY, child_fks
            elif parent_fks and not child_fks:
                self.direction, self.synchronize_pairs = MANYTOONE, parent_fks
            elif not child_fks and not parent_fks:
                raise sa_exc.NoForeignKeysError(
                    "Could not determine join condition between parent/child tables on "
                    "relationship %s.%s - there are no foreign keys linking these tables.  "
                    "Ensure that referencing columns are associated with a ForeignKey or "
                    "ForeignKeyConstraint, or specify a 'primaryjoin' expression."
                    % (parent.class_.__name__, self.key)
                )
            else:
                raise sa_exc.AmbiguousForeignKeysError(
                    "Could not determine join condition between parent/child tables on "
                    "relationship %s.%s - there are foreign keys in both directions; "
                    "specify the 'foreign_keys' argument." % (parent.class_.__name__, self.key)
                )
        # (referenced column, foreign key column); the referenced side is the "parent" of
        # the row dependency: its key must exist before the foreign key can point at it
        self.uselist = (
            self._uselist_arg if self._uselist_arg is not None else self.direction == ONETOMANY
        )
        self.order_by = self._order_by()
        if self.uselist:
            self.impl = CollectionAttributeImpl(self.key, self)
        else:
            self.impl = ScalarObjectAttributeImpl(self.key, self)
        setattr(parent.class_, self.key,
                QueryableAttribute(parent.class_, self.key, self.impl, self))
        if self.cascade.delete_orphan and self not in target._delete_orphans:
            target._delete_orphans.append(self)
        self._configured = True
        self._setup_backref()

    def _order_by(self) -> list:
        ob = self._resolve(self._order_by_arg)
        if ob is None or ob is False:
            return []
        if isinstance(ob, str):
            ob = [getattr(self.mapper.class_, s.strip().split(".")[-1]) for s in ob.split(",")]
        if not isinstance(ob, (list, tuple)):
            ob = [ob]
        return [getattr(o, "__clause_element__", lambda o=o: o)() for o in ob]

    def _setup_backref(self) -> None:
        if self.back_populates:
            other = self.mapper.relationships.get(self.back_populates)
            if other is None:
                raise sa_exc.InvalidRequestError(
                    "Mapper '%s' has no property '%s'.  If this property was indicated "
                    "from other mappers or configure events, ensure registry.configure() "
                    "has been called." % (self.mapper, self.back_populates)
                )
            self._reverse_property = other
            other._reverse_property = self
        elif self.backref:
            name, kw = (self.backref, {}) if isinstance(self.backref, str) else self.backref
            if name in self.mapper.attrs:
                raise sa_exc.ArgumentError(
                    "Error creating backref '%s' on relationship '%s': property of that name "
                    "exists on mapper '%s'" % (name, self, self.mapper)
                )
            kw = dict(kw)
            if self.parent is self.mapper and "remote_side" not in kw:
                if self.direction == ONETOMANY:
                    kw["remote_side"] = [ref for ref, _ in self.synchronize_pairs]
                else:
                    kw["remote_side"] = [fk for _, fk in self.synchronize_pairs]
            if self._foreign_keys_arg is not None and "foreign_keys" not in kw:
                kw["foreign_keys"] = self._foreign_keys_arg
            other = RelationshipProperty(self.parent.class_, back_populates=self.key, **kw)
            self.mapper.add_property(name, other)
            self._reverse_property = other
            other._reverse_property = self
            other._setup(self.mapper)

    # -- SQL -----------------------------------------------------------------
    def expression_for(self, attr: QueryableAttribute) -> Any:
        raise sa_exc.InvalidRequestError(
            "relationship %s can't be used as a SQL expression yet" % attr
        )

    def lazy_select(self, values: list) -> Any:
        """SELECT of the target rows whose keys match ``values`` (one per sync pair)."""
        if self.direction == ONETOMANY:
            crit = [bindparam(None, v, type_=fk.type) == fk
                    for (ref, fk), v in zip(self.synchronize_pairs, values)]
        else:
            refs = [ref for ref, _ in self.synchronize_pairs]
            target = self.mapper
            if [target._col_to_key.get(r) for r in refs] == target.pk_keys:
                refs = target.primary_key  # a load by primary key, as Session.get() words it
            crit = [ref == bindparam(None, v, type_=ref.type) for ref, v in zip(refs, values)]
        target = self.mapper
        stmt = select(target.__clause_element__()).where(
            and_(*crit) if len(crit) > 1 else crit[0])
        single = single_criterion(target)
        if single is not None:
            stmt = stmt.where(single)
        if target.inherits is not None and not target.single and not target.concrete:
            stmt = stmt.set_label_style(LABEL_STYLE_NONE)  # as SQLAlchemy's lazy loader
        if self.order_by:
            stmt = stmt.order_by(*self.order_by)
        return stmt

    def __repr__(self) -> str:
        owner = self.parent.class_.__name__ if self.parent is not None else "?"
        return "%s.%s" % (owner, self.key)


#: relationship() arguments that change nothing we do, with the values that mean just that;
#: ``None`` as the value accepts any (documentation and warning control only)
_NEUTRAL_ARGUMENTS: dict[str, Any] = {
    "doc": None, "info": None, "overlaps": None, "post_update": False,
    "passive_updates": True, "active_history": False, "enable_typechecks": True,
    "collection_class": list, "sync_backref": True, "cascade_backrefs": False,
    "join_depth": None, "innerjoin": False, "omit_join": None, "bake_queries": True,
    "distinct_target_key": None, "load_on_pending": False,
}


def _refuse_arguments(kw: dict) -> None:
    """Arguments we don't implement are an error, never silently ignored."""
    for name, value in kw.items():
        if name not in _NEUTRAL_ARGUMENTS:
            raise TypeError("relationship() got an unexpected keyword argument %r" % name)
        neutral = _NEUTRAL_ARGUMENTS[name]
        if neutral is not None and value is not neutral and value != neutral:
            raise NotImplementedError(
                "relationship(%s=%r) is not supported by inspector.orm yet (only %s=%r, "
                "what it does today)" % (name, value, name, neutral))


def relationship(argument: Any = None, secondary: Any = None, **kw: Any) -> RelationshipProperty:
    """Declare a relationship to another mapped class (see :class:`RelationshipProperty`)."""
    from .dataclass_mapping import DATACLASS_OPTIONS

    dataclass_opts = {k: kw.pop(k) for k in DATACLASS_OPTIONS if k in kw}
    prop = RelationshipProperty(argument, secondary, **kw)
    prop._dataclass_opts = dataclass_opts
    return prop


def backref(name: str, **kwargs: Any) -> tuple[str, dict]:
    return (name, kwargs)
