# orm/relationships.py
"""relationship(): direction from foreign keys, backrefs, cascade rules, lazy-load clauses."""

from __future__ import annotations

from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import Table, and_, bindparam, select
from sqlalchemy.sql import coercions, operators, roles, visitors
from sqlalchemy.sql.elements import BinaryExpression, BooleanClauseList, ColumnClause
from sqlalchemy.sql.selectable import LABEL_STYLE_NONE

from .attributes import (
    QueryableAttribute,
    ScalarObjectAttributeImpl,
)
from .inheritance import entity_selectable, single_criterion

ONETOMANY = "ONETOMANY"
MANYTOONE = "MANYTOONE"
MANYTOMANY = "MANYTOMANY"

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
                 secondaryjoin: Any = None, collection_class: Any = None,
                 single_parent: bool = False, active_history: bool = False,
                 post_update: bool = False, passive_updates: bool = True,
                 **kw: Any) -> None:
        if collection_class is not None:
            from .collections import check_collection_class

            check_collection_class(collection_class)
        if lazy not in ("select", True):
            raise NotImplementedError(
                "relationship(lazy=%r) is not supported by inspector.orm yet: relationships "
                "load lazily with a SELECT on first access (lazy='select')" % (lazy,))
        _refuse_arguments(kw)
        self.argument = argument
        self._secondary_arg = secondary
        self._primaryjoin_arg = primaryjoin
        self._secondaryjoin_arg = secondaryjoin
        self.collection_class = collection_class
        self.secondary: Any = None
        self.primaryjoin: Any = None
        self.secondaryjoin: Any = None
        self.secondary_synchronize_pairs: list[tuple[Any, Any]] = []
        #: the parent's columns a lazy load binds (their values, in this order)
        self._lazy_cols: list[Any] = []
        #: the lazy load's WHERE with ``_lazy_cols`` as placeholders (None: built from pairs)
        self._lazy_clause: Any = None
        #: a many-to-one whose target can be found by primary key in the identity map
        self._use_get = True
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
        #: rows are linked by a separate UPDATE after both are saved (and unlinked by one
        #: before a DELETE): breaks a cycle of mutually dependent rows
        self.post_update = post_update
        #: a changed primary key reaches the referencing rows through ON UPDATE CASCADE
        #: (True), or through UPDATEs the flush emits itself (False)
        self.passive_updates = passive_updates
        self.active_history = active_history
        #: replacing a reference loads the old value first (SQLAlchemy's active history)
        self._active_history = self.active_history or single_parent
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

    def _namespace(self) -> dict:
        """Names a string argument (``primaryjoin="User.id == ..."``) is evaluated with: the
        registry's classes, the tables of the parent's MetaData, and SQL helpers."""
        import sqlalchemy

        ns: dict[str, Any] = {
            "and_": sqlalchemy.and_, "or_": sqlalchemy.or_, "not_": sqlalchemy.not_,
            "func": sqlalchemy.func, "text": sqlalchemy.text, "desc": sqlalchemy.desc,
            "asc": sqlalchemy.asc, "foreign": foreign, "remote": remote,
        }
        ns.update(self.parent.local_table.metadata.tables)
        registry = self.parent.registry
        if registry is not None:
            ns.update(getattr(registry, "_classes", {}))
        return ns

    def _eval(self, value: Any, what: str) -> Any:
        value = self._resolve(value)
        if isinstance(value, str):
            try:
                return eval(value, self._namespace())  # noqa: S307 (a declarative string)
            except NameError as err:
                raise sa_exc.InvalidRequestError(
                    "When initializing mapper %s, expression %r failed to locate a name (%r). "
                    "If this is a class name, consider adding this relationship() to the %r "
                    "class after both dependent classes have been defined."
                    % (self.parent, value, err.name, self.parent.class_)
                ) from None
        return value

    def _columns(self, value: Any) -> set:
        value = self._resolve(value)
        if value is None:
            return set()
        if isinstance(value, str):
            try:
                value = self._eval(value, "columns")
            except sa_exc.InvalidRequestError:
                # plain column names of the parent's table, comma separated
                value = [self.parent.columns[v.strip()] for v in value.split(",")]
        if not isinstance(value, (list, tuple, set)):
            value = [value]
        return {_column(v) for v in value}

    def _join(self, value: Any) -> Any:
        expr = self._eval(value, "join")
        if expr is None:
            return None
        return coercions.expect(roles.WhereHavingRole, expr)

    def _setup(self, parent: Any) -> None:
        if self._configured:
            return
        self.parent = parent
        self.mapper = target = self._target_mapper()
        ptable, ttable = parent.local_table, target.local_table
        fk_filter = self._columns(self._foreign_keys_arg)
        remote_side = self._columns(self._remote_side_arg)
        self.secondary = self._secondary_table()
        pj = self._join(self._primaryjoin_arg)
        if self.secondary is not None:
            self._setup_secondary(ptable, ttable, pj, fk_filter)
        elif pj is not None:
            self._setup_custom_join(ptable, ttable, pj, fk_filter, remote_side)
        else:
            # a subclass's rows span its hierarchy's tables: foreign keys of any of them count
            self._setup_foreign_keys(tuple(parent.tables), tuple(target.tables), fk_filter,
                                     remote_side,
                                     parent._inherit_fk_pairs | target._inherit_fk_pairs)
        if self.direction == MANYTOONE and self._use_get:
            refs = [r for r, _ in self.synchronize_pairs]
            self._use_get = [id(r) for r in refs] == [id(c) for c in target.primary_key] or \
                [target._col_to_key.get(r) for r in refs] == target.pk_keys
        # (referenced column, foreign key column); the referenced side is the "parent" of
        # the row dependency: its key must exist before the foreign key can point at it
        self.uselist = (
            self._uselist_arg if self._uselist_arg is not None
            else self.direction != MANYTOONE
        )
        if self.cascade.delete_orphan and self.direction != ONETOMANY and \
                not self.single_parent:
            kind = "many-to-many" if self.direction == MANYTOMANY else "many-to-one"
            raise sa_exc.ArgumentError(
                "For %s relationship %s, delete-orphan cascade is normally configured only "
                "on the \"one\" side of a one-to-many relationship, and not on the \"many\" "
                "side of a many-to-one or many-to-many relationship.  To force this "
                "relationship to allow a particular \"%s\" object to be referenced by only a "
                "single \"%s\" object at a time via the %s relationship, which would allow "
                "delete-orphan cascade to take place in this direction, set the "
                "single_parent=True flag."
                % (kind, self, target.class_.__name__, parent.class_.__name__, self))
        self.order_by = self._order_by()
        if self.uselist:
            from .collections import collection_impl

            self.impl = collection_impl(self.key, self, self.collection_class)
        else:
            if self.collection_class is not None:
                raise sa_exc.ArgumentError(
                    "relationship %s: collection_class applies to collections, not to a "
                    "uselist=False reference" % self)
            self.impl = ScalarObjectAttributeImpl(self.key, self)
        setattr(parent.class_, self.key,
                QueryableAttribute(parent.class_, self.key, self.impl, self))
        if self.cascade.delete_orphan and self not in target._delete_orphans:
            target._delete_orphans.append(self)
        self._configured = True
        self._setup_backref()

    def _secondary_table(self) -> Any:
        sec = self._resolve(self._secondary_arg)
        if sec is None:
            return None
        if isinstance(sec, str):
            table = self.parent.local_table.metadata.tables.get(sec)
            if table is None:
                table = self._eval(sec, "secondary")
            sec = table
        if not isinstance(sec, Table):
            raise NotImplementedError(
                "relationship %s: secondary=%r is not supported by inspector.orm (a Table, "
                "or the name of one in the same MetaData, is)" % (self, sec))
        return sec

    def _setup_foreign_keys(self, ptables: tuple, ttables: tuple, fk_filter: set,
                            remote_side: set, inherit_pairs: set) -> None:
        """No join given: the direction and the pairs come from the foreign keys (of any
        table of each side's hierarchy, not those joining a subclass table to its parent)."""
        parent = self.parent
        if ptables == ttables:
            paths = _fk_paths(ptables, ptables, fk_filter, inherit_pairs)
            if len(paths) > 1:
                raise self._ambiguous("")
            pairs = paths[0] if paths else []
            if remote_side and all(ref in remote_side for ref, _ in pairs):
                self.direction = MANYTOONE
            else:
                self.direction = ONETOMANY
            self.synchronize_pairs = pairs
            self._lazy_cols = [fk if self.direction == MANYTOONE else ref for ref, fk in pairs]
            return
        child_fks = _fk_paths(ttables, ptables, fk_filter, inherit_pairs)
        parent_fks = _fk_paths(ptables, ttables, fk_filter, inherit_pairs)
        if len(child_fks) > 1 or len(parent_fks) > 1:
            raise self._ambiguous("")
        if child_fks and not parent_fks:
            self.direction, self.synchronize_pairs = ONETOMANY, child_fks[0]
        elif parent_fks and not child_fks:
            self.direction, self.synchronize_pairs = MANYTOONE, parent_fks[0]
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
        self.primaryjoin = and_(*[ref == fk for ref, fk in self.synchronize_pairs])
        self._lazy_cols = [fk if self.direction == MANYTOONE else ref
                           for ref, fk in self.synchronize_pairs]
        self._lazy_clause = self.primaryjoin

    def _ambiguous(self, via: str) -> Exception:
        if via:
            return sa_exc.AmbiguousForeignKeysError(
                "Could not determine join condition between parent/child tables on "
                "relationship %s - there are multiple foreign key paths linking the tables "
                "via secondary table '%s'.  Specify the 'foreign_keys' argument, providing a "
                "list of those columns which should be counted as containing a foreign key "
                "reference from the secondary table to each of the parent and child tables."
                % (self, via))
        return sa_exc.AmbiguousForeignKeysError(
            "Could not determine join condition between parent/child tables on relationship "
            "%s - there are multiple foreign key paths linking the tables.  Specify the "
            "'foreign_keys' argument, providing a list of those columns which should be "
            "counted as containing a foreign key reference to the parent table." % self)

    def _setup_secondary(self, ptable: Any, ttable: Any, pj: Any, fk_filter: set) -> None:
        """Many-to-many: ``synchronize_pairs`` (parent column, secondary column) and
        ``secondary_synchronize_pairs`` (target column, secondary column)."""
        sec = self.secondary
        sj = self._join(self._secondaryjoin_arg)

        def pairs_for(join: Any, table: Any, hierarchy: tuple) -> list:
            # a subclass's rows span its hierarchy's tables: the secondary may reference
            # any of them (its own table first, as SQLAlchemy's a_subset)
            if join is not None:
                pairs = []
                for a, b in _equalities(join):
                    if a.table is sec and b.table in hierarchy:
                        a, b = b, a
                    if a.table in hierarchy and b.table is sec:
                        pairs.append((a, b))
                if not pairs:
                    raise sa_exc.ArgumentError(
                        "Could not locate any relevant foreign key columns for %s join "
                        "condition '%s' on relationship %s.  Ensure that referencing columns "
                        "are associated with a ForeignKey or ForeignKeyConstraint, or are "
                        "annotated in the join condition with the foreign() annotation."
                        % ("primary" if table is ptable else "secondary", join, self))
                return pairs
            paths = _fk_paths(sec, table, fk_filter)
            if not paths and len(hierarchy) > 1:
                paths = _fk_paths(sec, hierarchy, fk_filter)
            if len(paths) > 1 or (ptable is ttable and len(paths) == 1 and (
                    pj is None and sj is None)):
                raise self._ambiguous(sec.name)
            if not paths:
                raise sa_exc.NoForeignKeysError(
                    "Could not determine join condition between parent/child tables on "
                    "relationship %s - there are no foreign keys linking these tables via "
                    "secondary table '%s'.  Ensure that referencing columns are associated "
                    "with a ForeignKey or ForeignKeyConstraint, or specify 'primaryjoin' and "
                    "'secondaryjoin' expressions." % (self, sec.name))
            return paths[0]

        if ptable is ttable and (pj is None or sj is None):
            raise self._ambiguous(sec.name)
        self.direction = MANYTOMANY
        self.synchronize_pairs = pairs_for(pj, ptable, tuple(self.parent.tables))
        self.secondary_synchronize_pairs = pairs_for(sj, ttable, tuple(self.mapper.tables))
        self.primaryjoin = pj if pj is not None else and_(
            *[ref == fk for ref, fk in self.synchronize_pairs])
        self.secondaryjoin = sj if sj is not None else and_(
            *[ref == fk for ref, fk in self.secondary_synchronize_pairs])
        self._lazy_cols = [c for t in self.parent.tables
                           for c in _table_columns(self.primaryjoin, t)]
        self._lazy_clause = and_(self.primaryjoin, self.secondaryjoin)
        self._use_get = False

    def _setup_custom_join(self, ptable: Any, ttable: Any, pj: Any, fk_filter: set,
                           remote_side: set) -> None:
        """``primaryjoin`` without ``secondary``: the foreign side of each equality is the
        column in ``foreign_keys``, annotated ``foreign()``, or holding a ForeignKey."""
        marked = {id(c) for c in _foreign_annotated(pj)}
        if not remote_side:  # remote() annotations name the remote side instead
            remote_side = set(_foreign_annotated(pj, "remote"))
        explicit = bool(fk_filter) or bool(marked)
        pairs = []
        for a, b in _equalities(pj, keep_annotations=True):
            a_fk = _is_foreign(a, b, fk_filter, marked, explicit)
            b_fk = _is_foreign(b, a, fk_filter, marked, explicit)
            a, b = _column(a), _column(b)
            if a_fk and not b_fk:
                pairs.append((b, a))
            elif b_fk and not a_fk:
                pairs.append((a, b))
        if not pairs:
            raise sa_exc.ArgumentError(
                "Could not locate any relevant foreign key columns for primary join "
                "condition '%s' on relationship %s.  Ensure that referencing columns are "
                "associated with a ForeignKey or ForeignKeyConstraint, or are annotated in "
                "the join condition with the foreign() annotation." % (pj, self))
        self.primaryjoin = pj
        self.synchronize_pairs = pairs
        simple = _only_equalities(pj)
        if ptable is ttable:
            if not simple:
                raise NotImplementedError(
                    "relationship %s: a self-referential primaryjoin with more than column "
                    "equalities is not supported by inspector.orm" % self)
            if remote_side and all(ref in remote_side for ref, _ in pairs):
                self.direction = MANYTOONE
            else:
                self.direction = ONETOMANY
            self._lazy_cols = [fk if self.direction == MANYTOONE else ref
                               for ref, fk in pairs]
            return
        fk_tables = {fk.table for _, fk in pairs}
        if fk_tables == {ttable}:
            self.direction = ONETOMANY
        elif fk_tables == {ptable}:
            self.direction = MANYTOONE
        else:
            raise sa_exc.AmbiguousForeignKeysError(
                "relationship %s: the foreign key columns of primaryjoin '%s' are on both "
                "sides; specify the 'foreign_keys' argument." % (self, pj))
        if simple:
            self._lazy_cols = [fk if self.direction == MANYTOONE else ref
                               for ref, fk in pairs]
        else:
            self._lazy_cols = _table_columns(pj, ptable)
        self._lazy_clause = pj
        self._use_get = simple

    def _order_by(self) -> list:
        ob = self._resolve(self._order_by_arg)
        if ob is None or ob is False:
            return []
        if isinstance(ob, str):
            try:
                ob = self._eval(ob, "order_by")
            except sa_exc.InvalidRequestError:
                ob = [getattr(self.mapper.class_, s.strip().split(".")[-1])
                      for s in ob.split(",")]
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
            if other._configured:
                _check_directions(other, self)
        elif self.backref:
            name, kw = (self.backref, {}) if isinstance(self.backref, str) else self.backref
            if name in self.mapper.attrs:
                raise sa_exc.ArgumentError(
                    "Error creating backref '%s' on relationship '%s': property of that name "
                    "exists on mapper '%s'" % (name, self, self.mapper)
                )
            kw = dict(kw)
            if self.parent is self.mapper and "remote_side" not in kw and \
                    self.secondary is None and self.direction == MANYTOONE:
                # (a one-to-many's backref gets none: as SQLAlchemy, it is a one-to-many
                # too, refused below)
                kw["remote_side"] = [fk for _, fk in self.synchronize_pairs]
            if self._foreign_keys_arg is not None and "foreign_keys" not in kw:
                kw["foreign_keys"] = self._foreign_keys_arg
            if self.secondary is not None:
                kw.setdefault("secondary", self.secondary)
                if self._primaryjoin_arg is not None or self._secondaryjoin_arg is not None:
                    kw.setdefault("primaryjoin", self.secondaryjoin)
                    kw.setdefault("secondaryjoin", self.primaryjoin)
            elif self._primaryjoin_arg is not None:
                kw.setdefault("primaryjoin", self.primaryjoin)
            # as SQLAlchemy's backref(): these flags carry over unless given
            kw.setdefault("post_update", self.post_update)
            kw.setdefault("passive_updates", self.passive_updates)
            other = RelationshipProperty(self.parent.class_, back_populates=self.key, **kw)
            self.mapper.add_property(name, other)
            self._reverse_property = other
            other._reverse_property = self
            other._setup(self.mapper)
            _check_directions(self, other)

    # -- SQL -----------------------------------------------------------------
    def expression_for(self, attr: QueryableAttribute) -> Any:
        raise sa_exc.InvalidRequestError(
            "relationship %s can't be used as a SQL expression yet" % attr
        )

    def lazy_select(self, values: list) -> tuple[Any, dict]:
        """SELECT of the target rows for a parent whose ``_lazy_cols`` hold ``values``, and
        its parameters: ``(statement, params)``.

        The statement is made once per relationship (and target shape) with bound
        parameters that have no value, given as ``params`` at each load, as SQLAlchemy's
        lazy loader does: no statement to build and no cache key to compute per load.
        """
        target = self.mapper
        single = target.single and target.polymorphic_on is not None
        shape = (entity_selectable(target),
                 tuple(target._polymorphic_identities()) if single else None)
        cached = self.__dict__.get("_lazy_template")
        if cached is None or cached[0][0] is not shape[0] or cached[0][1] != shape[1]:
            cached = self._lazy_template = (shape, *self._lazy_template_for(target))
        _, stmt, slots = cached
        return stmt, {key: values[i] for key, i in slots}

    def _lazy_template_for(self, target: Any) -> tuple[Any, list]:
        """The lazy load's SELECT with value-less bound parameters, and for each parameter
        its key and the index of its value in ``lazy_select``'s ``values``."""
        slots: list[tuple[str, int]] = []

        def bind(index: int, col: Any, name: str | None = None) -> Any:
            if name is None:
                param = bindparam(None, type_=col.type, unique=True)
            else:
                param = bindparam(name, type_=col.type)
            slots.append((param.key, index))
            return param

        if self.direction == MANYTOONE and self._use_get and self.secondary is None:
            # a get() by primary key: SQLAlchemy names the parameters pk_N
            by_key = {target._col_to_key.get(ref): i
                      for i, (ref, _fk) in enumerate(self.synchronize_pairs)}
            crit = [col == bind(by_key[target._col_to_key[col]], col, "pk_%d" % (i + 1))
                    for i, col in enumerate(target.primary_key)]
            where = and_(*crit) if len(crit) > 1 else crit[0]
        elif self._lazy_clause is not None:
            binds = {id(col): bind(i, col) for i, col in enumerate(self._lazy_cols)}
            if self.secondary is not None:
                # only the primaryjoin names the parent (a self-referential secondaryjoin
                # names the same table for the target)
                where = and_(_bind_columns(self.primaryjoin, binds), self.secondaryjoin)
            else:
                where = _bind_columns(self._lazy_clause, binds)
        else:  # self-referential: which side is the parent comes from the direction
            if self.direction == ONETOMANY:
                crit = [bind(i, fk) == fk for i, (ref, fk) in enumerate(self.synchronize_pairs)]
            else:
                crit = [ref == bind(i, ref) for i, (ref, fk) in enumerate(self.synchronize_pairs)]
            where = and_(*crit) if len(crit) > 1 else crit[0]
        stmt = select(target.__clause_element__()).where(where)
        single = single_criterion(target)
        if single is not None:
            stmt = stmt.where(single)
        if target.inherits is not None and not target.single and not target.concrete:
            stmt = stmt.set_label_style(LABEL_STYLE_NONE)  # as SQLAlchemy's lazy loader
        if self.order_by:
            stmt = stmt.order_by(*self.order_by)
        return stmt, slots

    def __repr__(self) -> str:
        owner = self.parent.class_.__name__ if self.parent is not None else "?"
        return "%s.%s" % (owner, self.key)


#: relationship() arguments that change nothing we do, with the values that mean just that;
#: ``None`` as the value accepts any (documentation and warning control only)
_NEUTRAL_ARGUMENTS: dict[str, Any] = {
    "doc": None, "info": None, "overlaps": None, "enable_typechecks": True,
    "sync_backref": True, "cascade_backrefs": False,
    "join_depth": None, "innerjoin": False, "omit_join": None, "bake_queries": True,
    "distinct_target_key": None, "load_on_pending": False,
}


_DIRECTION_NUMBERS = {ONETOMANY: 1, MANYTOONE: 2, MANYTOMANY: 3}


def _check_directions(first: Any, second: Any) -> None:
    """A relationship and its reverse cannot both be one-to-many (or many-to-one)."""
    if first.direction == second.direction and first.direction in (ONETOMANY, MANYTOONE):
        raise sa_exc.ArgumentError(
            "%s and back-reference %s are both of the same direction "
            "<RelationshipDirection.%s: %d>.  Did you mean to set remote_side on the "
            "many-to-one side ?" % (first, second, second.direction,
                                   _DIRECTION_NUMBERS[second.direction]))


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


def _column(value: Any) -> Any:
    """A table column from a Column, an ORM attribute, a declarative ``mapped_column()``
    (named in the class body) or an annotated column."""
    built = getattr(value, "_built", None)
    if built is not None:
        value = built
    col = getattr(value, "__clause_element__", lambda: value)()
    if getattr(col, "_annotations", None):
        col = col._deannotate()
    return col


def _fk_paths(from_table: Any, to_table: Any, fk_filter: set,
              skip: set = frozenset()) -> list[list[tuple[Any, Any]]]:
    """The foreign key constraints of ``from_table`` referencing ``to_table`` (each a table
    or a tuple of tables), each as its (referenced column, foreign key column) pairs, in
    column order; ``skip``: (referenced, referencing) pairs not to count."""
    from_tables = from_table if isinstance(from_table, tuple) else (from_table,)
    to_tables = to_table if isinstance(to_table, tuple) else (to_table,)
    paths: dict[Any, list] = {}
    for table in from_tables:
        for col in table.columns:
            for fk in col.foreign_keys:
                if (fk.column, fk.parent) in skip:
                    continue  # a subclass table's key referencing its parent table
                if any(fk.column.table is t for t in to_tables) and (
                        not fk_filter or fk.parent in fk_filter):
                    paths.setdefault(fk.constraint, []).append((fk.column, fk.parent))
    return list(paths.values())


def _equalities(expr: Any, keep_annotations: bool = False) -> list[tuple[Any, Any]]:
    """The ``column = column`` comparisons inside a join condition."""
    out = []
    for el in visitors.iterate(expr):
        if isinstance(el, BinaryExpression) and el.operator is operators.eq and \
                isinstance(el.left, ColumnClause) and isinstance(el.right, ColumnClause) and \
                el.left.table is not None and el.right.table is not None:
            if keep_annotations:
                out.append((el.left, el.right))
            else:
                out.append((_column(el.left), _column(el.right)))
    return out


def _only_equalities(expr: Any) -> bool:
    """A join condition made only of ``column = column`` comparisons joined by AND."""
    if isinstance(expr, BooleanClauseList) and expr.operator is operators.and_:
        return all(_only_equalities(c) for c in expr.clauses)
    return isinstance(expr, BinaryExpression) and expr.operator is operators.eq and \
        isinstance(expr.left, ColumnClause) and isinstance(expr.right, ColumnClause)


def _table_columns(expr: Any, table: Any) -> list:
    """The distinct columns of ``table`` in ``expr``, in order of appearance."""
    out: list = []
    for el in visitors.iterate(expr):
        if isinstance(el, ColumnClause) and el.table is not None:
            col = _column(el)
            if col.table is table and not any(c is col for c in out):
                out.append(col)
    return out


def _bind_columns(expr: Any, binds: dict) -> Any:
    """``expr`` with the columns in ``binds`` replaced by their bound parameters."""

    def replace(el: Any) -> Any:
        if isinstance(el, ColumnClause):
            return binds.get(id(_column(el)))
        return None

    return visitors.replacement_traverse(expr, {}, replace)


def _foreign_annotated(expr: Any, annotation: str = "foreign") -> list:
    """The columns of ``expr`` annotated ``foreign()`` (or ``remote()``)."""
    return [_column(el) for el in visitors.iterate(expr) if isinstance(el, ColumnClause)
            and getattr(el, "_annotations", {}).get(annotation)]


def _is_foreign(col: Any, other: Any, fk_filter: set, marked: set, explicit: bool) -> bool:
    c, o = _column(col), _column(other)
    if explicit:
        return c in fk_filter or id(c) in marked
    return any(fk.column is o for fk in c.foreign_keys)


def foreign(expr: Any) -> Any:
    """Mark a column of a ``primaryjoin`` as the foreign (referencing) side."""
    return coercions.expect(roles.ColumnArgumentRole, expr)._annotate({"foreign": True})


def remote(expr: Any) -> Any:
    """Mark a column of a ``primaryjoin`` as the remote side."""
    return coercions.expect(roles.ColumnArgumentRole, expr)._annotate({"remote": True})


def relationship(argument: Any = None, secondary: Any = None, **kw: Any) -> RelationshipProperty:
    """Declare a relationship to another mapped class (see :class:`RelationshipProperty`)."""
    from .dataclass_mapping import DATACLASS_OPTIONS

    dataclass_opts = {k: kw.pop(k) for k in DATACLASS_OPTIONS if k in kw}
    prop = RelationshipProperty(argument, secondary, **kw)
    prop._dataclass_opts = dataclass_opts
    return prop


def backref(name: str, **kwargs: Any) -> tuple[str, dict]:
    return (name, kwargs)
