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


def _pk_stmt(mapper: Any, kind: str) -> Any:
    """UPDATE or DELETE of one row by primary key, built once per mapper.

    UPDATE binds the key as ``<table>_<col>`` (the SET clause already uses the column
    names); DELETE binds it under the column key, as SQLAlchemy does.
    """
    cache = _stmt_cache(mapper)
    stmt = cache.get(kind)
    if stmt is None:
        table = mapper.local_table
        clause = None
        for col in mapper.primary_key:
            name = col._label if kind == "update" else col.key
            c = col == bindparam(name, type_=col.type)
            clause = c if clause is None else clause & c
        base = table.update() if kind == "update" else table.delete()
        stmt = cache[kind] = base.where(clause)
    return stmt


def save_obj(mapper: Any, states: list, connection: Any) -> list[StatementRecord]:
    """UPDATE changed rows, then INSERT new ones, for the given states of one mapper."""
    records: list[StatementRecord] = []
    inserts: list[tuple[Any, dict, bool]] = []
    updates: list[tuple[Any, dict]] = []
    table = mapper.local_table
    for state in _sort_states(mapper, states):
        d = state.dict
        if state.key is None:
            if state.expired_attributes:
                _refuse_expired_pending(mapper, state)
            params: dict[str, Any] = {}
            for key, col in mapper.columns.items():
                value = d.get(key, NO_VALUE)
                if value is NO_VALUE or value is None:
                    continue
                params[col.key] = value
            for _key, colkey in mapper._insert_cols_as_none:
                if colkey not in params:
                    params[colkey] = None
            has_pk = all(d.get(k) is not None for k in mapper.pk_keys)
            inserts.append((state, params, has_pk))
        else:
            committed = state.committed_state
            params = {}
            if committed:
                for key in committed:
                    col = mapper.columns.get(key)
                    if col is None:
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
                if state.expired_attributes and any(k not in d for k in mapper.pk_keys):
                    # the UPDATE needs its key columns: loaded as SQLAlchemy loads them, only
                    # when there is something to update
                    load_expired(state)
                for i, (pkkey, col) in enumerate(zip(mapper.pk_keys, mapper.primary_key)):
                    orig = committed.get(pkkey, NO_VALUE)
                    if orig is NO_VALUE:
                        # an expired key is not in __dict__: the identity still knows it
                        orig = d[pkkey] if pkkey in d else state.key[1][i]
                    params[col._label] = orig
                updates.append((state, params))

    if updates:
        stmt = _pk_stmt(mapper, "update")
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
                    for pkkey, value in zip(mapper.pk_keys, pk):
                        if value is not None and d.get(pkkey) is None:
                            d[pkkey] = value
                keys.append(tuple(d.get(k) for k in mapper.pk_keys))
            postfetch_defaults(mapper, [s for s, _, _ in group], multiparams, result)
            records.append(StatementRecord(_sql(result), multiparams,
                                           result.rowcount if has_pk else len(group), keys))
    return records


def delete_obj(mapper: Any, states: list, connection: Any) -> list[StatementRecord]:
    """DELETE the rows of the given states of one mapper, in one executemany."""
    if not states:
        return []
    table = mapper.local_table
    stmt = _pk_stmt(mapper, "delete")
    params = []
    for state in _sort_states(mapper, states):
        if state.key is None:
            continue
        if state.expired_attributes:
            load_expired(state)  # SQLAlchemy refreshes an expired object before its DELETE
        params.append({col.key: v for col, v in zip(mapper.primary_key, state.key[1])})
    if not params:
        return []
    result = connection.execute(stmt, params)
    rows = result.rowcount
    if (len(params) == 1 or connection.dialect.supports_sane_multi_rowcount) and \
            rows != len(params):
        import warnings

        from sqlalchemy.exc import SAWarning

        warnings.warn(
            "DELETE statement on table '%s' expected to delete %d row(s); %d were matched.  "
            "Please set confirm_deleted_rows=False within the mapper configuration to "
            "prevent this warning." % (table.description, len(params), rows),
            SAWarning,
            stacklevel=2,
        )
    return [StatementRecord(_sql(result), params, rows)]


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
