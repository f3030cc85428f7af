# orm/persistence.py
"""Turns one flush step into Core INSERT / UPDATE / DELETE statements and runs them.

Called only by the unit of work (unitofwork.py).  Each function returns records of the
statements it executed so the flush can be replayed and shown.
"""

from __future__ import annotations

import warnings
import weakref
from dataclasses import dataclass, field
from itertools import groupby
from types import MappingProxyType
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import bindparam, select
from sqlalchemy.exc import SAWarning
from sqlalchemy.sql.elements import ClauseElement

from . import exc as orm_exc
from .base import NO_VALUE, state_str
from .loading import load_expired


@dataclass
class StatementRecord:
    """One statement a flush step executed (once, as an executemany, or row by row)."""

    sql: str
    parameters: list[dict[str, Any]]
    rowcount: int | None
    keys: list[tuple] = field(default_factory=list)  # primary keys generated
    table: str = ""
    statement: str = ""  # INSERT | UPDATE | DELETE
    executions: int = 1  # cursor executions (1: one statement or one executemany)

    @property
    def rows(self) -> int:
        """How many rows this batch wrote (its parameter sets)."""
        return len(self.parameters)

    @property
    def batch(self) -> dict[str, Any]:
        """``{"table": "address", "statement": "INSERT", "rows": 500}``: the batch in short."""
        return {"table": self.table, "statement": self.statement, "rows": self.rows,
                "executions": self.executions}


def _sort_states(mapper: Any, states: list) -> list:
    pending = [s for s in states if s.key is None]
    persistent = [s for s in states if s.key is not None]
    pending.sort(key=lambda s: s.insert_order or 0)
    try:
        persistent.sort(key=lambda s: s.key[1])
    except TypeError:
        persistent.sort(key=lambda s: repr(s.key[1]))
    return pending + persistent


def _stmt_cache(mapper: Any) -> dict:
    cache = mapper.__dict__.get("_stmt_cache")
    if cache is None:
        cache = mapper._stmt_cache = {}
    return cache


# -- inheritance: one table of a hierarchy at a time ------------------------------------
def _hierarchical(mapper: Any) -> bool:
    """Does a flush step of ``mapper`` write several tables (or several classes' rows)?"""
    if isinstance(mapper, _TableMapper):
        return False
    return mapper.inherits is not None or bool(mapper._inheriting_mappers)


def _tables(mapper: Any) -> list:
    """The tables a flush of ``mapper``'s hierarchy writes, referenced ones first."""
    return mapper._sorted_tables if mapper._inheriting_mappers else list(mapper.tables)


class _TableMapper:
    """One table's share of a mapper, with the attributes the statement builders below
    read from a mapper (its columns, key, version and defaults of that table only);
    anything else is the mapper's."""

    def __init__(self, mapper: Any, table: Any, col_to_key: dict | None = None) -> None:
        self._mapper = mapper
        self.local_table = table
        cols = mapper._table_cols.get(table, [])
        self.columns = dict(cols)
        self.column_keys = list(self.columns)
        self._col_to_key = col_to_key if col_to_key is not None else mapper._col_to_key
        self.primary_key = list(table.primary_key.columns)
        self.pk_keys = [mapper._col_to_key[c] for c in self.primary_key]
        self._ident_pos = [mapper.pk_keys.index(k) if k in mapper.pk_keys else None
                           for k in self.pk_keys]
        vc = mapper.version_id_col
        if vc is not None and vc.table is not table:
            vc = None
        self.version_id_col = vc
        self._version_key = mapper._version_key if vc is not None else None
        self._version_id_has_server_side_value = (
            vc is not None and mapper._version_id_has_server_side_value)
        self._server_default_cols = [c for c in mapper._server_default_cols
                                     if c.table is table]
        self._server_default_col_keys = frozenset(c.key for c in self._server_default_cols)
        self._server_onupdate_cols = [c for c in mapper._server_onupdate_cols
                                      if c.table is table]
        self._server_onupdate_col_keys = frozenset(c.key for c in self._server_onupdate_cols)
        self._server_default_plus_onupdate_keys = [
            k for k in mapper._server_default_plus_onupdate_keys if k in self.columns]
        self._insert_cols_evaluating_none = frozenset(
            c for c in mapper._insert_cols_evaluating_none if c.table is table)
        self._insert_cols_as_none = mapper._table_none_cols.get(table, [])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._mapper, name)

    def _prefer_eager_defaults(self, dialect: Any) -> bool:
        if self.eager_defaults == "auto":
            return bool(self.local_table.implicit_returning and self._server_default_cols
                        and dialect.insert_executemany_returning)
        return bool(self.eager_defaults)

    def __repr__(self) -> str:
        return repr(self._mapper)


def _table_mapper(mapper: Any, table: Any) -> _TableMapper:
    """``mapper``'s share of ``table`` (made once)."""
    views = mapper.__dict__.get("_table_mappers")
    if views is None:
        views = mapper._table_mappers = {}
    view = views.get(table)
    if view is None:
        view = views[table] = _TableMapper(mapper, table)
    return view


def _table_owner(mapper: Any, table: Any) -> _TableMapper:
    """The statements of ``table`` in a hierarchy: built from the topmost class mapping
    it, reading back the columns of every class of the hierarchy."""
    base = mapper.base_mapper
    views = base.__dict__.get("_owner_mappers")
    if views is None:
        views = base._owner_mappers = {}
    view = views.get(table)
    if view is None:
        owner = next(m for m in base.self_and_descendants if table in m.tables)
        col_to_key: dict = {}
        for m in reversed(base.self_and_descendants):
            col_to_key.update(m._col_to_key)
        view = views[table] = _TableMapper(owner, table, col_to_key)
        # a column a subclass added to a shared table is read back as the owner's
        cols = {c for m in base.self_and_descendants if table in m._table_cols
                for c in _table_mapper(m, table)._server_default_cols}
        view._server_default_cols = [c for c in table.columns if c in cols]
        view._server_default_col_keys = frozenset(c.key for c in view._server_default_cols)
    return view


def _ident_value(mapper: Any, state: Any, i: int) -> Any:
    """The identity's value for the ``i``-th key column of ``mapper`` (a table's share)."""
    pos = getattr(mapper, "_ident_pos", None)
    if pos is None:
        return state.key[1][i]
    if pos[i] is None:
        return state.dict.get(mapper.pk_keys[i])
    return state.key[1][pos[i]]


def _pk_stmt(mapper: Any, kind: str) -> Any:
    """UPDATE or DELETE of one row by primary key (and version), built once per mapper.

    UPDATE binds the key as ``<table>_<col>`` (the SET clause already uses the column
    names); DELETE binds it under the column key, as SQLAlchemy does.
    """
    cache = _stmt_cache(mapper)
    stmt = cache.get(kind)
    if stmt is None:
        table = mapper.local_table
        cols = list(mapper.primary_key)
        if mapper.version_id_col is not None:
            cols.append(mapper.version_id_col)
        clause = None
        for col in cols:
            name = col._label if kind != "delete" else col.key
            c = col == bindparam(name, type_=col.type)
            clause = c if clause is None else clause & c
        base = table.delete() if kind == "delete" else table.update()
        stmt = cache[kind] = base.where(clause)
    return stmt


#: values that are never SQL expressions: _is_sql answers without an attribute lookup
_PLAIN_VALUES = frozenset((int, str, float, bool, bytes, type(None)))


def _is_sql(value: Any) -> Any:
    """The SQL expression an attribute was set to (rendered into the statement), or None."""
    if type(value) in _PLAIN_VALUES:
        return None
    if hasattr(value, "__clause_element__"):
        return value.__clause_element__()
    if isinstance(value, ClauseElement):
        return value
    return None


def _committed_version(mapper: Any, state: Any) -> Any:
    """The version the row has in the database, as this object last saw it."""
    key = mapper._version_key
    d = state.dict
    if key not in d and state.key is not None:
        load_expired(state)
    value = state.committed_state.get(key, NO_VALUE)
    if value is NO_VALUE:
        value = d.get(key)
    return value


# -- INSERT / UPDATE -----------------------------------------------------------------
def save_obj(mapper: Any, states: list, connection: Any,
             row_switches: dict | None = None) -> list[StatementRecord]:
    """UPDATE changed rows, then INSERT new ones, for the given states of one mapper.

    ``row_switches`` maps a new object to the deleted one holding the same primary key in
    this flush: the new object's row is an UPDATE of the old one (a "row switch").
    """
    if _hierarchical(mapper):
        return _save_hierarchy(mapper, states, connection, row_switches or {})
    records: list[StatementRecord] = []
    inserts: list[tuple] = []
    updates: list[tuple] = []
    dialect = connection.dialect
    prefer_eager = mapper._prefer_eager_defaults(dialect)
    switches = row_switches or {}
    inserted: list = []
    updated: list = []
    for state in _sort_states(mapper, states):
        switch = switches.get(state)
        if state.key is None and switch is None:
            if state._expired:
                _refuse_expired_pending(mapper, state)
            inserts.append(_insert_record(mapper, state, prefer_eager))
            inserted.append(state)
        else:
            rec = _update_record(mapper, state, switch)
            updated.append(state)
            if rec is not None:
                updates.append(rec)
    if updates:
        _emit_updates(mapper, updates, connection, records)
    if inserts:
        _emit_inserts(mapper, inserts, connection, prefer_eager, records)
    _finalize(mapper, inserted + updated, connection)
    return records


def _save_hierarchy(mapper: Any, states: list, connection: Any,
                    switches: dict) -> list[StatementRecord]:
    """save_obj() of the objects of an inheritance hierarchy: table by table, a parent
    table before its subclasses', each row built from its own class's share of the table
    (objects of several classes batch together)."""
    records: list[StatementRecord] = []
    ordered = _sort_states(mapper, states)
    new = set()
    for state in ordered:
        if state.key is None and switches.get(state) is None:
            new.add(state)
            smapper = state.mapper
            if state._expired:
                _refuse_expired_pending(smapper, state)
            # (the discriminator is set at construction only: an object made transient after
            # its expiry is INSERTed with none, as SQLAlchemy's)
    dialect = connection.dialect
    for table in _tables(mapper):
        owner = _table_owner(mapper, table)
        # as SQLAlchemy, "auto" asks the base class, which has no server defaults in a
        # subclass's table
        prefer_eager = owner._prefer_eager_defaults(dialect) and (
            owner.eager_defaults is True or table in mapper.base_mapper.tables)
        inserts: list[tuple] = []
        updates: list[tuple] = []
        written: list = []
        for state in ordered:
            smapper = state.mapper
            if table not in smapper._table_cols:
                continue
            view = _table_mapper(smapper, table)
            written.append(state)
            if state in new:
                d = state.dict
                for parent_key, child_key in smapper._inherit_sync:
                    if d.get(child_key) is None and d.get(parent_key) is not None:
                        d[child_key] = d[parent_key]
                inserts.append(_insert_record(view, state, prefer_eager))
            else:
                # a subclass table's key follows the base table's through ON UPDATE
                # CASCADE (passive_updates, as SQLAlchemy's "pk_cascaded")
                rec = _update_record(view, state, switches.get(state),
                                     view.version_id_col is not None
                                     and _changed_elsewhere(smapper, state, table),
                                     cascaded=smapper.passive_updates
                                     and table is not mapper.base_mapper.local_table)
                if rec is not None:
                    updates.append(rec)
        if updates:
            _emit_updates(owner, updates, connection, records)
        if inserts:
            _emit_inserts(owner, inserts, connection, prefer_eager, records)
        _finalize(owner, written, connection)
    return records


#: the value_params of a row with no SQL expression among its values (read only)
_NO_VALUES: Any = MappingProxyType({})


def _insert_columns(mapper: Any) -> list:
    """(attribute key, column, bind name, None evaluates) of each column an INSERT may
    set, worked out once per mapper (or table share)."""
    columns = mapper.columns
    cached = mapper.__dict__.get("_insert_column_plan")
    if cached is None or cached[0] is not columns or cached[1] != len(columns):
        eval_none = mapper._insert_cols_evaluating_none
        cached = mapper._insert_column_plan = (columns, len(columns), [
            (key, col, col.key, col in eval_none) for key, col in columns.items()])
    return cached[2]


def _insert_record(mapper: Any, state: Any, prefer_eager: bool) -> tuple:
    d = state.dict
    params: dict[str, Any] = {}
    value_params: Any = _NO_VALUES
    for key, col, colkey, eval_none in _insert_columns(mapper):
        value = d.get(key, NO_VALUE)
        if value is NO_VALUE or (value is None and not eval_none):
            continue
        if type(value) in _PLAIN_VALUES:
            params[colkey] = value
            continue
        expr = _is_sql(value)
        if expr is not None:
            if value_params is _NO_VALUES:
                value_params = {}
            value_params[col] = expr
        else:
            params[colkey] = value
    if mapper._insert_cols_as_none:
        vkeys = {c.key for c in value_params} if value_params else ()
        for _key, colkey in mapper._insert_cols_as_none:
            if colkey not in params and colkey not in vkeys:
                params[colkey] = None
    has_all_pks = True
    for c in mapper.primary_key:
        if c.key not in params:
            has_all_pks = False
            break
    has_all_defaults = (not prefer_eager) or mapper._server_default_col_keys.issubset(params)
    vcol = mapper.version_id_col
    if vcol is not None and mapper.version_id_generator is not False:
        params[vcol.key] = mapper.version_id_generator(None)
    return (state, params, value_params, has_all_pks, has_all_defaults)


def _changed_elsewhere(mapper: Any, state: Any, table: Any) -> bool:
    """Has ``state`` something to UPDATE in a table of its class other than ``table``?
    (Then the versioned table's row gets a new version even with nothing else to set.)"""
    committed = state.committed_state
    if not committed:
        return False
    d = state.dict
    for t, cols in mapper._table_cols.items():
        if t is table:
            continue
        for key, _col in cols:
            if key not in committed or key not in d:
                continue
            value, old = d[key], committed[key]
            if _is_sql(value) is not None or old is NO_VALUE or not (
                    old is value or _equal(old, value)):
                return True
    return False


def _update_record(mapper: Any, state: Any, switch: Any,
                   bump_version: bool = False, cascaded: bool = False) -> tuple | None:
    d = state.dict
    if state.key is not None and state._expired and (
            mapper._version_key is not None and mapper._version_key not in d):
        load_expired(state)  # the version check needs the committed version, as SQLAlchemy
    vcol = mapper.version_id_col
    update_version = (_committed_version(mapper, switch or state)
                      if vcol is not None else None)
    committed = state.committed_state
    params: dict[str, Any] = {}
    value_params: Any = _NO_VALUES
    pk_keys = mapper.pk_keys
    columns = mapper.columns
    for key in committed:
        col = columns.get(key)
        if col is None or (cascaded and key in pk_keys):
            continue
        value = d.get(key, NO_VALUE)
        if value is NO_VALUE:
            continue
        expr = None if type(value) in _PLAIN_VALUES else _is_sql(value)
        if expr is not None:
            if value_params is _NO_VALUES:
                value_params = {}
            value_params[col] = expr
            continue
        old = committed[key]
        if old is not NO_VALUE and (old is value or (
                old == value if type(old) is type(value) and type(value) in _PLAIN_VALUES
                else _equal(old, value))):
            continue
        params[col.key] = value
    if update_version is not None:
        if not params and not value_params and not bump_version:
            return None
        params[vcol._label] = update_version
        if vcol.key not in params and mapper.version_id_generator is not False:
            params[vcol.key] = mapper.version_id_generator(update_version)
    elif not params and not value_params:
        return None
    if state.key is not None and state._expired and any(
            k not in d for k in mapper.pk_keys):
        # the UPDATE needs its key columns, as SQLAlchemy loads them (only then: a row with
        # nothing to update is not loaded; the flush's end reads its identity)
        load_expired(state)
    has_all_pks = True
    table = mapper.local_table
    for i, (pkkey, col) in enumerate(zip(mapper.pk_keys, mapper.primary_key)):
        if pkkey not in committed:
            value = d[pkkey] if pkkey in d else _ident_value(mapper, state, i)
            if value is None:
                raise orm_exc.FlushError(
                    "Can't update table %s using NULL for primary key value on column %s"
                    % (table, col))
            params[col._label] = value
            continue
        orig = committed[pkkey]
        if orig is NO_VALUE and state.key is None:
            # a new object taking over a deleted row: its key locates the row
            value = d.get(pkkey)
            params.pop(col.key, None)
        elif orig is NO_VALUE:
            # an expired key set again: the identity still knows the row's key
            value = _ident_value(mapper, state, i)
        elif cascaded:  # the database moved the row's key already
            value = d.get(pkkey)
        else:
            value = orig
            if col in value_params:
                has_all_pks = False
        if value is None:
            raise orm_exc.FlushError(
                "Can't update table %s using NULL for primary key value on column %s"
                % (table, col))
        params[col._label] = value
    has_all_defaults = True
    if mapper.eager_defaults is True:
        has_all_defaults = mapper._server_onupdate_col_keys.issubset(params)
    return (state, params, value_params, has_all_pks, has_all_defaults)


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def _emit_updates(mapper: Any, updates: list, connection: Any,
                  records: list[StatementRecord]) -> None:
    table = mapper.local_table
    dialect = connection.dialect
    base = _pk_stmt(mapper, "update")
    needs_version = mapper.version_id_col is not None
    for (_keys, hasvalue, has_all_defaults, has_all_pks), group in groupby(
            updates, key=lambda r: (frozenset(r[1]), bool(r[2]), r[4], r[3])):
        group = list(group)
        returning_pks = not has_all_pks
        returning_onupdate = bool(not has_all_defaults and mapper.eager_defaults is True
                                  and table.implicit_returning and dialect.update_returning)
        returning_version = bool(mapper._version_id_has_server_side_value)
        return_defaults = returning_pks or returning_onupdate or returning_version
        stmt = base
        if return_defaults:
            # built once per mapper and kind (the same statement object: Core's cache key
            # and compiled form are reused)
            ck = ("update returning", returning_pks, returning_onupdate, returning_version)
            stmt = _stmt_cache(mapper).get(ck)
            if stmt is None:
                stmt = base
                if returning_pks:
                    stmt = stmt.return_defaults(*mapper.primary_key)
                if returning_onupdate:
                    stmt = stmt.return_defaults(*mapper._server_onupdate_cols)
                if returning_version:
                    stmt = stmt.return_defaults(mapper.version_id_col)
                _stmt_cache(mapper)[ck] = stmt
        single = dialect.supports_sane_rowcount
        multi = single and dialect.supports_sane_multi_rowcount
        multiparams = [r[1] for r in group]
        rows = 0
        sql = None
        if hasvalue or return_defaults or needs_version:
            check = single
            compiled = plan = None  # the postfetch plan of the last compiled statement
            for state, params, value_params, _p, _d in group:
                result = connection.execute(
                    stmt.values(value_params) if value_params else stmt, params)
                if sql is None:
                    sql = _sql(result)
                context = result.context
                if context.compiled is not compiled:
                    compiled = context.compiled
                    plan = _postfetch_plan(mapper, result)
                _postfetch(mapper, state, result, context.compiled_parameters[0],
                           value_params, True,
                           result.returned_defaults if plan[2] else None, plan)
                rows += result.rowcount
            executions = len(group)
        else:
            check = multi or (single and len(group) == 1)
            result = connection.execute(stmt, multiparams)
            sql = _sql(result)
            rows = result.rowcount
            plan = _postfetch_plan(mapper, result)
            if not _postfetch_nothing(plan, True):
                for (state, _params, value_params, _p, _d), cparams in zip(
                        group, result.context.compiled_parameters):
                    _postfetch(mapper, state, result, cparams, value_params, True, None, plan)
            executions = 1
        records.append(StatementRecord(sql, multiparams, rows, table=table.name,
                                       statement="UPDATE", executions=executions))
        if check:
            _check_updated(table, len(group), rows)
        if not check and needs_version:
            warnings.warn("Dialect %s does not support updated rowcount - versioning cannot "
                          "be verified." % dialect.dialect_description, SAWarning,
                          stacklevel=4)


def _emit_inserts(mapper: Any, inserts: list, connection: Any, prefer_eager: bool,
                  records: list[StatementRecord]) -> None:
    table = mapper.local_table
    dialect = connection.dialect
    base = _stmt_cache(mapper).get("insert")
    if base is None:
        base = _stmt_cache(mapper)["insert"] = table.insert()
    pk_keys = mapper.pk_keys
    for (_keys, hasvalue, has_all_pks, has_all_defaults), group in groupby(
            inserts, key=lambda r: (frozenset(r[1]), bool(r[2]), r[3], r[4])):
        group = list(group)
        multiparams = [r[1] for r in group]
        keys: list[tuple] = []
        if (has_all_defaults or not prefer_eager or not table.implicit_returning
                or not dialect.insert_returning) and has_all_pks and not hasvalue:
            # nothing to fetch back: one executemany
            result = connection.execute(base, multiparams)
            many = result.context.executemany
            plan = _postfetch_plan(mapper, result)
            if _postfetch_nothing(plan, False):
                for r in group:
                    d = r[0].dict
                    keys.append(tuple([d.get(k) for k in pk_keys]))
            else:
                for (state, _params, value_params, _p, _d), cparams in zip(
                        group, result.context.compiled_parameters):
                    _postfetch(mapper, state, result, cparams, value_params, False,
                               None if many else result.returned_defaults, plan)
                    keys.append(tuple([state.dict.get(k) for k in pk_keys]))
            records.append(StatementRecord(_sql(result), multiparams, len(group), keys,
                                           table=table.name, statement="INSERT"))
            continue
        do_executemany = (table.implicit_returning and not hasvalue and len(group) > 1
                          and dialect.insert_executemany_returning_sort_by_parameter_order)
        returning_defaults = bool(not has_all_defaults and prefer_eager)
        returning_version = mapper.version_id_col is not None
        returning_pks = bool(do_executemany) and not returning_version
        ck = ("insert returning", returning_defaults, returning_version, returning_pks)
        stmt = _stmt_cache(mapper).get(ck)  # built once per mapper and kind, as above
        if stmt is None:
            stmt = base
            if returning_defaults:
                stmt = stmt.return_defaults(*mapper._server_default_cols,
                                            sort_by_parameter_order=True)
            if returning_version:
                stmt = stmt.return_defaults(mapper.version_id_col,
                                            sort_by_parameter_order=True)
            elif returning_pks:
                stmt = stmt.return_defaults(*table.primary_key, sort_by_parameter_order=True)
            _stmt_cache(mapper)[ck] = stmt
        if do_executemany:
            result = connection.execute(stmt, multiparams)
            returned = result.returned_defaults_rows
            plan = _postfetch_plan(mapper, result)
            returning = plan[2] or ()
            # the generated keys straight from the returned rows when they hold every key
            # column (Core's inserted_primary_key_rows builds them row by row)
            positions = [returning.index(c) if c in returning else None
                         for c in mapper.primary_key]
            if returned and None not in positions and _postfetch_nothing(plan, False):
                for r, row in zip(group, returned):
                    d = r[0].dict
                    for pkkey, i in zip(pk_keys, positions):
                        if d.get(pkkey) is None:
                            d[pkkey] = row[i]
                    keys.append(tuple([d.get(k) for k in pk_keys]))
                records.append(StatementRecord(_sql(result), multiparams, len(group), keys,
                                               table=table.name, statement="INSERT"))
                continue
            returned = returned or [None] * len(group)
            for (state, _params, value_params, _p, _d), cparams, pk, row in zip(
                    group, result.context.compiled_parameters,
                    result.inserted_primary_key_rows, returned):
                d = state.dict
                for pkkey, value in zip(pk_keys, pk):
                    if d.get(pkkey) is None:
                        d[pkkey] = value
                _postfetch(mapper, state, result, cparams, value_params, False, row, plan)
                keys.append(tuple(d.get(k) for k in pk_keys))
            records.append(StatementRecord(_sql(result), multiparams, len(group), keys,
                                           table=table.name, statement="INSERT"))
            continue
        sql = None
        for state, params, value_params, _p, _d in group:
            result = connection.execute(
                stmt.values(value_params) if value_params else stmt, params)
            sql = sql or _sql(result)
            pk = result.inserted_primary_key
            if pk is None:
                raise orm_exc.FlushError(
                    "Single-row INSERT statement for %s did not produce a new primary key "
                    "result being invoked.  Ensure there are no triggers or special driver "
                    "issues preventing INSERT from functioning properly." % (mapper,))
            d = state.dict
            for pkkey, col, value in zip(pk_keys, mapper.primary_key, pk):
                if col in value_params or d.get(pkkey) is None:
                    d[pkkey] = value
            _postfetch(mapper, state, result, result.context.compiled_parameters[0],
                       value_params, False,
                       None if result.context.executemany else result.returned_defaults)
            keys.append(tuple(d.get(k) for k in pk_keys))
        records.append(StatementRecord(sql, multiparams, len(group), keys, table=table.name,
                                       statement="INSERT", executions=len(group)))


#: compiled statement -> (prefetch columns, postfetch columns, RETURNING columns): what
#: _postfetch does for every row of one execution, worked out once
_POSTFETCH_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _postfetch_plan(mapper: Any, result: Any) -> tuple:
    """(prefetch columns, postfetch columns, RETURNING columns) of one execution."""
    compiled = result.context.compiled
    plan = _POSTFETCH_PLANS.get(compiled)
    if plan is None or plan[3] is not mapper.version_id_col:
        prefetch = list(compiled.prefetch)
        if mapper.version_id_col is not None:
            prefetch.append(mapper.version_id_col)
        plan = (prefetch, list(compiled.postfetch), compiled.effective_returning,
                mapper.version_id_col)
        if len(_POSTFETCH_PLANS) > 256:
            _POSTFETCH_PLANS.clear()
        _POSTFETCH_PLANS[compiled] = plan
    return plan


def _postfetch_nothing(plan: tuple, isupdate: bool) -> bool:
    """Does _postfetch() do nothing for every row of this plan (no SQL expression set)?
    An INSERT's returned primary key is taken by the caller."""
    prefetch, postfetch, returning, _v = plan
    if prefetch or postfetch:
        return False
    if returning:
        return not isupdate and all(c.primary_key for c in returning)
    return True


def _postfetch(mapper: Any, state: Any, result: Any, params: dict, value_params: dict,
               isupdate: bool, returned: Any, plan: tuple | None = None) -> None:
    """After an INSERT or UPDATE of one row: take the values Core computed or returned,
    expire the ones the database computed and did not return."""
    if plan is None:
        plan = _postfetch_plan(mapper, result)
    prefetch, postfetch, returning, _v = plan
    if not (prefetch or postfetch or returning or value_params):
        return
    d = state.dict
    col_to_key = mapper._col_to_key
    if returning and returned is not None:
        for value, col in zip(returned, returning):
            if col.primary_key and not isupdate:
                continue
            key = col_to_key.get(col)
            if key is not None:
                d[key] = value
                if state._expired:
                    state._expired.discard(key)
    for col in prefetch:
        key = col_to_key.get(col)
        if key is not None and col.key in params:
            d[key] = params[col.key]
            state.committed_state.pop(key, None)
            if state._expired:
                state._expired.discard(key)
    if isupdate and value_params:
        postfetch = postfetch + [c for c in value_params
                                 if c.primary_key and c not in (returning or ())]
    if postfetch:
        state._expire_attributes(d, [col_to_key[c] for c in postfetch if c in col_to_key])


def _finalize(mapper: Any, states: list, connection: Any) -> None:
    """Load what must be known right after the flush (eager_defaults=True: server values
    not returned; a server-side version), and check the version is there."""
    vkey = mapper._version_key
    server_version = vkey is not None and mapper.version_id_generator is False
    eager = mapper.eager_defaults is True
    if not eager and not server_version:
        return
    for state in states:
        d = state.dict
        toload = []
        if eager:
            toload = [k for k in mapper._server_default_plus_onupdate_keys if k not in d]
        if server_version and vkey not in d and vkey not in toload:
            toload.append(vkey)
        if toload:
            _load_now(mapper, state, toload, connection)
        if server_version and d.get(vkey) is None:
            raise orm_exc.FlushError("Instance does not contain a non-NULL version value")


def _load_now(mapper: Any, state: Any, keys: list, connection: Any) -> None:
    d = state.dict
    ident = [d.get(k) for k in mapper.pk_keys]
    cols = [mapper.columns[k] for k in mapper.column_keys if k in keys or k in mapper.pk_keys]
    where = [c == bindparam(None, v, type_=c.type) for c, v in zip(mapper.primary_key, ident)]
    row = connection.execute(select(*cols).where(*where)).first()
    if row is None:
        raise orm_exc.ObjectDeletedError(state)
    for col, value in zip(cols, row):
        key = mapper._col_to_key[col]
        if key in keys:
            d[key] = value
            state.committed_state.pop(key, None)
            if state._expired:
                state._expired.discard(key)


# -- post_update ----------------------------------------------------------------------
def post_update(mapper: Any, states: list, columns: Any, connection: Any,
                uow: Any) -> list[StatementRecord]:
    """UPDATE the foreign keys of ``post_update`` relationships (and columns with an
    ``onupdate``) that changed, for rows saved earlier in the flush or about to go."""
    if _hierarchical(mapper):
        out: list[StatementRecord] = []
        for table in _tables(mapper):
            sub = [s for s in states if table in s.mapper._table_cols]
            if sub:
                out.extend(post_update(_table_owner(mapper, table), sub, columns, connection,
                                       uow))
        return out
    table = mapper.local_table
    vcol = mapper.version_id_col
    records: list[tuple] = []
    for state in _sort_states(mapper, states):
        d = state.dict
        params: dict[str, Any] = {}
        hasdata = False
        for key, col in mapper.columns.items():
            if col.primary_key:
                value = d.get(key, NO_VALUE)
                if value is NO_VALUE:
                    load_expired(state)
                    value = d.get(key)
                params[col._label] = value
            elif col in columns or col.onupdate is not None:
                hist = mapper.column_attrs[key].impl.get_history(state, d)
                if hist.added:
                    params[col.key] = hist.added[0]
                    hasdata = True
        if not hasdata:
            continue
        if vcol is not None:
            version = _committed_version(mapper, state)
            params[vcol._label] = version
            if state.key is not None and vcol.key not in params and \
                    mapper.version_id_generator is not False:
                params[vcol.key] = mapper.version_id_generator(version)
        records.append((state, params))
    out: list[StatementRecord] = []
    if not records:
        return out
    stmt = _pk_stmt(mapper, "update")
    if mapper._version_id_has_server_side_value:
        stmt = stmt.return_defaults(vcol)
    dialect = connection.dialect
    single = dialect.supports_sane_rowcount
    multi = single and dialect.supports_sane_multi_rowcount
    for _keys, group in groupby(records, key=lambda r: frozenset(r[1])):
        group = list(group)
        multiparams = [p for _, p in group]
        if vcol is not None and not multi:
            check = single
            rows = 0
            sql = None
            for state, params in group:
                result = connection.execute(stmt, params)
                sql = sql or _sql(result)
                _postfetch_post_update(mapper, uow, state, result,
                                       result.context.compiled_parameters[0])
                rows += result.rowcount
            executions = len(group)
        else:
            check = multi or (single and len(group) == 1)
            result = connection.execute(stmt, multiparams)
            sql = _sql(result)
            rows = result.rowcount
            for (state, _p), cparams in zip(group, result.context.compiled_parameters):
                _postfetch_post_update(mapper, uow, state, result, cparams)
            executions = 1
        out.append(StatementRecord(sql, multiparams, rows, table=table.name,
                                   statement="UPDATE", executions=executions))
        if check:
            _check_updated(table, len(group), rows)
    return out


def _postfetch_post_update(mapper: Any, uow: Any, state: Any, result: Any,
                           params: dict) -> None:
    vcol = mapper.version_id_col
    if not uow.is_deleted(state):
        prefetch = list(result.context.compiled.prefetch)
        postfetch = list(result.context.compiled.postfetch)
    elif vcol is not None:
        prefetch, postfetch = [], []
    else:
        return
    if vcol is not None:
        prefetch.append(vcol)
    d = state.dict
    col_to_key = mapper._col_to_key
    for col in prefetch:
        key = col_to_key.get(col)
        if key is not None and col.key in params:
            d[key] = params[col.key]
    if postfetch:
        state._expire_attributes(d, [col_to_key[c] for c in postfetch if c in col_to_key])


# -- DELETE --------------------------------------------------------------------------
def delete_obj(mapper: Any, states: list, connection: Any) -> list[StatementRecord]:
    """DELETE the rows of the given states of one mapper, in one executemany (row by row
    when versioned rows can only be checked that way)."""
    if not states:
        return []
    if _hierarchical(mapper):
        records: list[StatementRecord] = []
        for table in reversed(_tables(mapper)):  # a subclass's table before its parent's
            sub = [s for s in states if table in s.mapper._table_cols]
            if sub:
                records.extend(delete_obj(_table_owner(mapper, table), sub, connection))
        return records
    table = mapper.local_table
    vcol = mapper.version_id_col
    stmt = _pk_stmt(mapper, "delete")
    params = []
    # (position, column, bind name); a table's share of a hierarchy reads its own key
    pk_cols = [(i, col, col.key) for i, col in enumerate(mapper.primary_key)]
    own_key = getattr(mapper, "_ident_pos", None) is None
    for state in _sort_states(mapper, states):
        if state.key is None:
            continue
        if state._expired and any(k not in state.dict
                                            for k in state.mapper.pk_keys):
            # SQLAlchemy reads the primary key for the DELETE: an expired one is loaded first
            # (with the other expired columns); other expired columns alone load nothing
            load_expired(state)
        p = {}
        ident = state.key[1]
        for i, col, colkey in pk_cols:
            v = ident[i] if own_key else _ident_value(mapper, state, i)
            if v is None:
                raise orm_exc.FlushError(
                    "Can't delete from table %s using NULL for primary key value on column %s"
                    % (table, col))
            p[colkey] = v
        if vcol is not None:
            p[vcol.key] = _committed_version(mapper, state)
        params.append(p)
    if not params:
        return []
    dialect = connection.dialect
    rows = -1
    executions = 1
    if vcol is not None and not dialect.supports_sane_multi_rowcount:
        if dialect.supports_sane_rowcount:
            rows = 0
            for p in params:
                result = connection.execute(stmt, p)
                rows += result.rowcount
            executions = len(params)
        else:
            warnings.warn("Dialect %s does not support deleted rowcount - versioning cannot "
                          "be verified." % dialect.dialect_description, SAWarning,
                          stacklevel=3)
            result = connection.execute(stmt, params)
    else:
        result = connection.execute(stmt, params)
        rows = result.rowcount
    if (mapper.confirm_deleted_rows and rows > -1 and rows != len(params)
            and (dialect.supports_sane_multi_rowcount or len(params) == 1)):
        msg = ("DELETE statement on table '%s' expected to delete %d row(s); %d were "
               "matched.  Please set confirm_deleted_rows=False within the mapper "
               "configuration to prevent this warning." % (table.description, len(params),
                                                            rows))
        if vcol is not None:
            raise orm_exc.StaleDataError(msg)
        warnings.warn(msg, SAWarning, stacklevel=3)
    return [StatementRecord(_sql(result), params, rows, table=table.name, statement="DELETE",
                            executions=executions)]


def _refuse_expired_pending(mapper: Any, state: Any) -> None:
    """A pending object whose values were expired (e.g. made pending again after a rollback
    of its INSERT): with its primary key expired its INSERT is refused, with SQLAlchemy's
    error; other expired values are INSERTed as NULL and stay expired (as SQLAlchemy's: a
    read after the flush SELECTs them)."""
    expired = state.expired_attributes
    if any(k in expired and k not in state.dict for k in mapper.pk_keys):
        raise sa_exc.InvalidRequestError(
            "Instance %s cannot be refreshed - it's not  persistent and does not contain a "
            "full primary key." % state_str(state)
        )


def _sql(result: Any) -> str:
    """The statement text Core compiled and executed, for display."""
    return str(result.context.statement)


def _check_updated(table: Any, expected: int, rows: int) -> None:
    """An UPDATE must match every row it was written for (else another transaction changed
    or deleted one, or its version moved on): SQLAlchemy's StaleDataError."""
    if rows != expected:
        raise orm_exc.StaleDataError(
            "UPDATE statement on table '%s' expected to update %d row(s); "
            "%d were matched." % (table.description, expected, rows))
