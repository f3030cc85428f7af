# orm/persistence.py
"""Turns one flush step into Core INSERT / UPDATE / DELETE statements and runs them.

Called only by the unit of work (unitofwork.py).  Each function returns records of the
statements it executed so the flush can be replayed and shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import bindparam

from . import exc as orm_exc
from .base import NO_VALUE, state_str
from .loading import load_expired
from .sync import postfetch_defaults


@dataclass
class StatementRecord:
    """One statement a flush step executed."""

    sql: str
    parameters: list[dict[str, Any]]
    rowcount: int | None
    keys: list[tuple] = field(default_factory=list)  # primary keys generated


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


def _pk_stmt(mapper: Any, kind: str, table: Any = None) -> Any:
    """UPDATE or DELETE of one row of ``table`` (default: the mapper's) by primary key,
    built once per mapper and table.

    UPDATE binds the key as ``<table>_<col>`` (the SET clause already uses the column
    names); DELETE binds it under the column key, as SQLAlchemy does.
    """
    cache = _stmt_cache(mapper)
    if table is None:
        table = mapper.local_table
    ckey = kind if table is mapper.local_table else (kind, table)
    stmt = cache.get(ckey)
    if stmt is None:
        clause = None
        for col in table.primary_key.columns:
            name = col._label if kind == "update" else col.key
            c = col == bindparam(name, type_=col.type)
            clause = c if clause is None else clause & c
        base = table.update() if kind == "update" else table.delete()
        stmt = cache[ckey] = base.where(clause)
    return stmt


def _tables(mapper: Any) -> list:
    """The tables a flush of ``mapper``'s hierarchy writes, referenced ones first."""
    return mapper._sorted_tables if mapper._inheriting_mappers else [mapper.local_table]


class _TableColumns:
    """One table's share of a mapper's columns (what postfetch_defaults reads)."""

    def __init__(self, cols: list) -> None:
        self.columns = dict(cols)


def _defaults_view(mapper: Any, table: Any) -> Any:
    if len(mapper.tables) == 1 and not mapper._inheriting_mappers:
        return mapper
    views = mapper.__dict__.setdefault("_table_views", {})
    view = views.get(table)
    if view is None:
        view = views[table] = _TableColumns(mapper._table_cols[table])
    return view


def _pk_value(state: Any, key: str) -> Any:
    """The primary key value the row has in the database (before any change)."""
    orig = state.committed_state.get(key, NO_VALUE)
    if orig is NO_VALUE:
        d = state.dict
        # an expired key is not in __dict__: the identity still knows it
        if key in d or key not in state.mapper.pk_keys:
            return d.get(key)
        orig = state.key[1][state.mapper.pk_keys.index(key)]
    return orig


def save_obj(mapper: Any, states: list, connection: Any) -> list[StatementRecord]:
    """UPDATE changed rows, then INSERT new ones, for the given states of one mapper (or
    of one inheritance hierarchy: table by table, a parent table before its subclasses')."""
    records: list[StatementRecord] = []
    ordered = _sort_states(mapper, states)
    for state in ordered:
        if state.key is None:
            if state.expired_attributes:
                _refuse_expired_pending(state.mapper, state)
            smapper = state.mapper
            pkey = smapper._polymorphic_key
            if pkey is not None and smapper.polymorphic_identity is not None and \
                    state.dict.get(pkey) is None:
                state.dict[pkey] = smapper.polymorphic_identity
        elif state.expired_attributes and any(k not in state.dict
                                              for k in state.mapper.pk_keys):
            load_expired(state)  # the UPDATE needs its key columns, as SQLAlchemy loads them
    for table in _tables(mapper):
        _save_table(table, ordered, connection, records)
    return records


def _save_table(table: Any, ordered: list, connection: Any,
                records: list[StatementRecord]) -> None:
    inserts: list[tuple[Any, dict, bool]] = []
    updates: list[tuple[Any, dict]] = []
    for state in ordered:
        smapper = state.mapper
        cols = smapper._table_cols.get(table)
        if cols is None:
            continue
        d = state.dict
        if state.key is None:
            for parent_key, child_key in smapper._inherit_sync:
                if d.get(child_key) is None and d.get(parent_key) is not None:
                    d[child_key] = d[parent_key]
            params: dict[str, Any] = {}
            for key, col in cols:
                value = d.get(key, NO_VALUE)
                if value is NO_VALUE or value is None:
                    continue
                params[col.key] = value
            for _key, colkey in smapper._table_none_cols[table]:
                if colkey not in params:
                    params[colkey] = None
            has_pk = all(d.get(k) is not None for k in smapper._table_pk_keys[table])
            inserts.append((state, params, has_pk))
        else:
            committed = state.committed_state
            params = {}
            if committed:
                for key, col in cols:
                    if key not in committed:
                        continue
                    value = d.get(key, NO_VALUE)
                    if value is NO_VALUE:
                        continue
                    old = committed[key]
                    if old is not NO_VALUE and old is value:
                        continue
                    if old is not NO_VALUE:
                        try:
                            if old == value:
                                continue
                        except Exception:
                            pass
                    params[col.key] = value
            if params:
                for label, _ckey, key, idx in smapper._table_pk_info[table]:
                    orig = committed.get(key, NO_VALUE)
                    if orig is NO_VALUE:
                        # an expired key is not in __dict__: the identity still knows it
                        orig = d[key] if key in d or idx is None else state.key[1][idx]
                    params[label] = orig
                updates.append((state, params))

    if updates:
        stmt = _pk_stmt(updates[0][0].mapper.base_mapper, "update", table)
        for _keys, group in groupby(updates, key=lambda r: frozenset(r[1])):
            group = list(group)
            multiparams = [p for _, p in group]
            result = connection.execute(stmt, multiparams)
            rows = result.rowcount
            if rows != len(group) and (len(group) == 1 or
                                       connection.dialect.supports_sane_multi_rowcount):
                raise orm_exc.StaleDataError(
                    "UPDATE statement on table '%s' expected to update %d row(s); "
                    "%d were matched." % (table.description, len(group), rows)
                )
            records.append(StatementRecord(_sql(result), multiparams,
                                           rows))

    if inserts:
        base = table.insert()
        for (_keys, has_pk), group in groupby(inserts, key=lambda r: (frozenset(r[1]), r[2])):
            group = list(group)
            multiparams = [p for _, p, _ in group]
            if has_pk:
                stmt = base
                result = connection.execute(stmt, multiparams)
                pk_rows = [None] * len(group)
            elif len(group) == 1:
                stmt = base
                result = connection.execute(stmt, multiparams[0])
                pk_rows = [result.inserted_primary_key]
            else:
                stmt = base.return_defaults(*table.primary_key, sort_by_parameter_order=True)
                result = connection.execute(stmt, multiparams)
                pk_rows = result.inserted_primary_key_rows
            keys = []
            for (state, _params, _), pk in zip(group, pk_rows):
                d = state.dict
                if pk is not None:
                    for pkkey, value in zip(state.mapper._table_pk_keys[table], pk):
                        if value is not None and d.get(pkkey) is None:
                            d[pkkey] = value
                keys.append(tuple(d.get(k) for k in state.mapper.pk_keys))
            postfetch_defaults(_defaults_view(group[0][0].mapper, table),
                               [s for s, _, _ in group], multiparams, result)
            records.append(StatementRecord(_sql(result), multiparams,
                                           result.rowcount if has_pk else len(group), keys))


def delete_obj(mapper: Any, states: list, connection: Any) -> list[StatementRecord]:
    """DELETE the rows of the given states of one mapper, in one executemany per table
    (a subclass's table before its parent's)."""
    if not states:
        return []
    ordered = []
    for state in _sort_states(mapper, states):
        if state.key is None:
            continue
        if state.expired_attributes and any(k not in state.dict
                                            for k in state.mapper.pk_keys):
            load_expired(state)  # SQLAlchemy refreshes an expired object before its DELETE
        ordered.append(state)
    if not ordered:
        return []
    records = []
    for table in reversed(_tables(mapper)):
        params = []
        for state in ordered:
            smapper = state.mapper
            if table not in smapper._table_cols:
                continue
            ident = state.key[1]
            params.append({ckey: ident[idx] if idx is not None else _pk_value(state, key)
                           for _label, ckey, key, idx in smapper._table_pk_info[table]})
        if not params:
            continue
        result = connection.execute(_pk_stmt(mapper, "delete", table), params)
        rows = result.rowcount
        if (len(params) == 1 or connection.dialect.supports_sane_multi_rowcount) and \
                rows != len(params):
            import warnings

            from sqlalchemy.exc import SAWarning

            warnings.warn(
                "DELETE statement on table '%s' expected to delete %d row(s); %d were matched."
                "  Please set confirm_deleted_rows=False within the mapper configuration to "
                "prevent this warning." % (table.description, len(params), rows),
                SAWarning,
                stacklevel=2,
            )
        records.append(StatementRecord(_sql(result), params, rows))
    return records


def _refuse_expired_pending(mapper: Any, state: Any) -> None:
    """A pending object whose values were expired (e.g. made pending again after a rollback
    of its INSERT) can't be INSERTed with NULLs in their place: refused, with SQLAlchemy's
    error when its primary key is gone, else ObjectDeletedError (the row those values would
    load from is not there: the object is pending)."""
    expired = state.expired_attributes
    if any(k in expired and k not in state.dict for k in mapper.pk_keys):
        raise sa_exc.InvalidRequestError(
            "Instance %s cannot be refreshed - it's not  persistent and does not contain a "
            "full primary key." % state_str(state)
        )
    missing = [k for k in mapper.column_keys if k in expired and k not in state.dict]
    if missing:
        raise orm_exc.ObjectDeletedError(state)
    expired.clear()


def _sql(result: Any) -> str:
    """The statement text Core compiled and executed, for display."""
    return str(result.context.statement)
