# orm/bulk.py
"""ORM-enabled INSERT / UPDATE / DELETE: bulk statements by primary key, and criteria statements
that keep the objects already loaded in step (``synchronize_session``)."""

from __future__ import annotations

import itertools
import operator
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import Integer, Numeric, String, and_, bindparam, select
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import (
    BinaryExpression,
    BindParameter,
    BooleanClauseList,
    ColumnClause,
    False_,
    Grouping,
    Null,
    True_,
    UnaryExpression,
)

from . import exc as orm_exc
from .execution import execute_with_events
from .loading import refuse_options

_SYNC_STRATEGIES = ("auto", "evaluate", "fetch", False)
_DML_OPTIONS = frozenset({"autoflush", "synchronize_session"})


def execute_orm_dml(session: Any, stmt: Any, params: Any, options: dict, mapper: Any,
                    bind_arguments: dict | None = None, core: dict | None = None) -> Any:
    """Run an INSERT / UPDATE / DELETE whose table is a mapped class (``update(User)``).

    ``options`` are all its execution options (the statement's own included); ``core``
    the Core ones given to execute(), handed on to ``Connection.execute()``."""
    refuse_options(options, _DML_OPTIONS, stmt.__visit_name__.upper())
    sync = options.get("synchronize_session", "auto")
    if sync not in _SYNC_STRATEGIES:
        raise sa_exc.ArgumentError(
            "Valid strategies for session synchronization are 'auto', 'evaluate', 'fetch', False"
        )
    if stmt._returning:
        raise NotImplementedError(
            "RETURNING of an ORM-enabled %s is not supported by inspector.orm"
            % stmt.__visit_name__.upper()
        )
    if mapper.inherits is not None or mapper._inheriting_mappers:
        raise NotImplementedError(
            "ORM-enabled %s of %s, a class of an inheritance hierarchy, is not supported by "
            "inspector.orm" % (stmt.__visit_name__.upper(), mapper.class_.__name__))
    kind = stmt.__visit_name__
    many = isinstance(params, (list, tuple))
    if kind == "delete" and many:
        raise sa_exc.InvalidRequestError(
            "Bulk ORM DELETE not supported right now. Statement may be invoked at the Core "
            "level using session.connection().execute(stmt, parameters)"
        )
    if params is not None and not many and kind != "insert":
        raise NotImplementedError(
            "an ORM-enabled %s with one parameter dictionary is not supported by "
            "inspector.orm (SQLAlchemy applies it to every row the criteria match); pass a "
            "list of dictionaries for the bulk %s by primary key, or use .values()"
            % (kind.upper(), kind.upper())
        )
    if options.get("autoflush", True):
        session._autoflush()
    conn = session._connection(mapper, stmt, bind_arguments)
    session._mark_written()
    core = core or {}
    if kind == "insert":
        if params is None:
            return conn.execute(stmt, execution_options=core)
        return _bulk_insert(conn, stmt, mapper, [params] if isinstance(params, dict) else params,
                            core)
    if many:
        if stmt._where_criteria or stmt._values or stmt._multi_values:
            raise NotImplementedError(
                "ORM bulk UPDATE by primary key with .where() / .values() is not supported "
                "by inspector.orm; pass only update(Entity) and the list of dictionaries"
            )
        if sync == "fetch":
            raise sa_exc.InvalidRequestError(
                "The 'fetch' synchronization strategy is not available for 'bulk' ORM "
                "updates (i.e. multiple parameter sets)"
            )
        return _bulk_update_by_pk(session, conn, mapper, params, sync, core)
    return _criteria_dml(session, conn, stmt, mapper, sync, kind == "delete", options, core)


# -- bulk INSERT / UPDATE by primary key -------------------------------------------------------
def _records(mapper: Any, params: list) -> list[dict]:
    """Parameter dictionaries keyed by attribute name -> keyed by column key (others dropped)."""
    cols = mapper.columns
    return [{cols[k].key: v for k, v in p.items() if k in cols} for p in params]


def _empty_result() -> Any:
    return IteratorResult(SimpleResultMetaData([]), iter(()))


def _bulk_insert(conn: Any, stmt: Any, mapper: Any, params: list, core: dict) -> Any:
    """``session.execute(insert(User), [dicts])``: one executemany per run of equal keys."""
    result = None
    for _, group in itertools.groupby(_records(mapper, params), key=lambda r: tuple(r)):
        result = conn.execute(stmt, list(group), execution_options=core)
    return result if result is not None else _empty_result()


def _bulk_update_by_pk(session: Any, conn: Any, mapper: Any, params: list, sync: Any,
                       core: dict) -> Any:
    """``session.execute(update(User), [dicts])``: UPDATE ... WHERE pk = ? per dictionary."""
    table = mapper.local_table
    pk_keys = [c.key for c in mapper.primary_key]
    records = []
    for attr_values, record in zip(params, _records(mapper, params)):
        missing = [c for c in mapper.primary_key if c.key not in record]
        if missing:
            raise sa_exc.InvalidRequestError(
                "No primary key value supplied for column(s) %s; per-row ORM Bulk UPDATE by "
                "Primary Key requires that records contain primary key values"
                % ", ".join(str(c) for c in missing)
            )
        if len(record) > len(pk_keys):
            records.append((attr_values, record))
    # the key binds as <table>_<column> (the SET clause uses the column names), as SQLAlchemy
    labels = {c.key: c._label for c in mapper.primary_key}
    where = and_(*[c == bindparam(c._label, type_=c.type) for c in mapper.primary_key])
    stmt = table.update().where(where)
    for _, group in itertools.groupby(records, key=lambda r: tuple(r[1])):
        group = list(group)
        rows = [{labels.get(k, k): v for k, v in record.items()} for _, record in group]
        result = conn.execute(stmt, rows, execution_options=core)
        sane = (conn.dialect.supports_sane_multi_rowcount if len(rows) > 1
                else conn.dialect.supports_sane_rowcount)
        if sane and result.rowcount != len(rows):
            raise orm_exc.StaleDataError(
                "UPDATE statement on table '%s' expected to update %d row(s); %d were matched."
                % (table.name, len(rows), result.rowcount)
            )
    if sync is not False:
        for attr_values, record in records:
            pk = tuple(record[k] for k in pk_keys)
            state = session.identity_map._dict.get((mapper._identity_class, pk, None))
            if state is not None and state.obj() is not None:
                values = {k: v for k, v in attr_values.items()
                          if k in mapper.columns and k not in mapper.pk_keys}
                _set_committed(session, state, values)
    return _empty_result()


# -- UPDATE / DELETE with criteria ----------------------------------------------------------
def _criteria_dml(session: Any, conn: Any, stmt: Any, mapper: Any, sync: Any,
                  is_delete: bool, options: dict | None = None,
                  core: dict | None = None) -> Any:
    """``update(User).where(...).values(...)`` / ``delete(User).where(...)``.

    synchronize_session: ``evaluate`` runs the criteria in Python on the loaded objects
    before the statement; ``fetch`` adds RETURNING of the primary key; ``auto`` evaluates
    when it can, else fetches; False leaves loaded objects as they are.
    """
    sets = [] if is_delete else _set_clauses(stmt, mapper)
    matched: list | None = None
    if sync in ("auto", "evaluate"):
        try:
            condition = _Evaluator(mapper).compile_criteria(stmt._where_criteria)
        except _Unevaluable as e:
            if sync == "evaluate":
                raise sa_exc.InvalidRequestError(
                    'Could not evaluate current criteria in Python: "%s". Specify \'fetch\' '
                    "or False for the synchronize_session execution option." % e
                ) from None
            sync = "fetch"
        else:
            matched = [state for state in _loaded_states(session, mapper)
                       if condition(state) not in (None, False)]
    if sync == "fetch":
        if not (conn.dialect.delete_returning if is_delete else conn.dialect.update_returning):
            raise NotImplementedError(
                "synchronize_session='fetch' needs RETURNING, which this database lacks; "
                "inspector.orm does not implement the SELECT-first fallback"
            )
        _offer_fetch_select(session, stmt, mapper, options)
        result = conn.execute(stmt.returning(*mapper.primary_key), execution_options=core)
        rows = result.all()
        if hasattr(result.context, "_rowcount"):
            result.context._rowcount = len(rows)  # the matched rows, as without RETURNING
        keys = {(mapper._identity_class, tuple(row), None) for row in rows}
        imap = session.identity_map._dict
        matched = [imap[k] for k in keys if k in imap and imap[k].obj() is not None]
        matched.sort(key=lambda st: st.key[1])
    else:
        result = conn.execute(stmt, execution_options=core)
    if matched:
        if is_delete:
            session._remove_newly_deleted(matched)
        else:
            _apply_sets(session, matched, sets)
    return result


def _offer_fetch_select(session: Any, stmt: Any, mapper: Any, options: dict | None) -> None:
    """As SQLAlchemy's 'fetch': its SELECT of the matched keys goes to the
    ``do_orm_execute`` listeners, then RETURNING is used instead of running it."""
    if not session.dispatch.do_orm_execute:
        return
    pre = select(*mapper.primary_key).where(*stmt._where_criteria)
    replaced = execute_with_events(session, pre, None, options or {}, lambda *a: None,
                                   mappers=[mapper])
    if replaced:
        raise NotImplementedError(
            "a do_orm_execute listener's own result for the SELECT of "
            "synchronize_session='fetch' is not supported by inspector.orm (it uses RETURNING)"
        )


def _loaded_states(session: Any, mapper: Any) -> list:
    """Persistent objects of ``mapper`` in the identity map that are not wholly expired."""
    keys = mapper.column_keys
    out = []
    for state in list(session.identity_map._dict.values()):
        if state.mapper is not mapper or state.obj() is None:
            continue
        if all(k in state.expired_attributes and k not in state.dict for k in keys):
            continue
        out.append(state)
    return out


def _set_clauses(stmt: Any, mapper: Any) -> list[tuple[str, Any]]:
    """(attribute key, value expression) for each SET of an UPDATE."""
    table = mapper.local_table
    if stmt._multi_values:
        raise NotImplementedError("multi-row VALUES of an ORM UPDATE (inspector.orm)")
    items = list((stmt._values or {}).items())
    out = []
    for key, value in items:
        if isinstance(key, str):
            col = table.c.get(key)
        else:
            col = table.c.get(getattr(key, "key", None))
        attr = mapper._col_to_key.get(col) if col is not None else None
        if attr is None:
            raise NotImplementedError(
                "UPDATE of %r: not a column of %s (inspector.orm)" % (key, mapper)
            )
        out.append((attr, value))
    return out


def _apply_sets(session: Any, states: list, sets: list) -> None:
    """Give matched objects the values the UPDATE wrote; what can't be computed expires."""
    evaluator = _Evaluator(states[0].mapper)
    compiled = []
    for key, expr in sets:
        try:
            compiled.append((key, evaluator.compile(expr)))
        except _Unevaluable:
            compiled.append((key, None))
    for state in states:
        new = {}
        for key, fn in compiled:
            value = fn(state) if fn is not None else _EXPIRED
            new[key] = value
        expire = [k for k, v in new.items() if v is _EXPIRED]
        _set_committed(session, state, {k: v for k, v in new.items() if v is not _EXPIRED})
        if expire:
            state._expire_attributes(state.dict, expire)
    session._register_altered(states)


def _set_committed(session: Any, state: Any, values: dict) -> None:
    """Set values as the object's database state (not as changes to flush)."""
    d = state.dict
    for key, value in values.items():
        d[key] = value
        state.committed_state.pop(key, None)
        state.expired_attributes.discard(key)
    if state.modified and not state.committed_state and not state._pending_mutations:
        state.modified = False
        state._strong_obj = None
        session.identity_map._modified.discard(state)


# -- the Python evaluator of SQL criteria -------------------------------------------------------
def _require_types(clause: Any, affinities: tuple, what: str) -> None:
    for side in (clause.left, clause.right):
        if side.type._type_affinity not in affinities:
            raise _Unevaluable("Cannot evaluate %s for datatypes %s, %s"
                               % (what, clause.left.type, clause.right.type))


class _Unevaluable(Exception):
    """A SQL construct the evaluator can't compute in Python."""


class _Expired:
    def __repr__(self) -> str:
        return "<expired attribute>"


#: the value of an expression that reads an expired attribute (not None, not False)
_EXPIRED = _Expired()

_PLAIN_OPERATORS = {
    operators.eq: operator.eq, operators.ne: operator.ne, operators.lt: operator.lt,
    operators.le: operator.le, operators.gt: operator.gt, operators.ge: operator.ge,
    operators.add: operator.add, operators.sub: operator.sub, operators.mul: operator.mul,
    operators.truediv: operator.truediv, operators.mod: operator.mod,
    operators.concat_op: operator.add,
    operators.startswith_op: lambda a, b: a.startswith(b),
    operators.endswith_op: lambda a, b: a.endswith(b),
}
#: operators SQLAlchemy evaluates only between numbers / only between strings
_NUMERIC_OPERATORS = (operators.add, operators.sub, operators.mul, operators.truediv,
                      operators.mod)


class _Evaluator:
    """Turns a SQL expression over one mapped table into a function of an object's state.

    SQL's three-valued logic is kept: NULL (None) in a comparison or arithmetic gives None,
    ``AND`` / ``OR`` treat None as unknown; reading an expired attribute gives ``_EXPIRED``.
    """

    def __init__(self, mapper: Any) -> None:
        self.mapper = mapper

    def compile_criteria(self, criteria: tuple) -> Any:
        if not criteria:
            return lambda state: True
        if len(criteria) == 1:
            return self.compile(criteria[0])
        return self.compile(and_(*criteria))

    def compile(self, clause: Any) -> Any:
        if isinstance(clause, Grouping):
            return self.compile(clause.element)
        if isinstance(clause, BindParameter):
            value = clause.effective_value
            return lambda state: value
        if isinstance(clause, Null):
            return lambda state: None
        if isinstance(clause, True_):
            return lambda state: True
        if isinstance(clause, False_):
            return lambda state: False
        if isinstance(clause, ColumnClause):
            return self._column(clause)
        if isinstance(clause, BooleanClauseList):
            return self._boolean(clause)
        if isinstance(clause, UnaryExpression):
            return self._unary(clause)
        if isinstance(clause, BinaryExpression):
            return self._binary(clause)
        raise _Unevaluable("Cannot evaluate %s" % type(clause).__name__)

    def _column(self, clause: Any) -> Any:
        column = clause._deannotate()
        key = self.mapper._col_to_key.get(column) if column.table is not None else None
        if key is None or self.mapper.columns.get(key) is not column:
            raise _Unevaluable("Cannot evaluate column %s" % clause)

        def read(state: Any) -> Any:
            d = state.dict
            if key not in d and key in state.expired_attributes:
                return _EXPIRED
            return d.get(key)

        return read

    def _boolean(self, clause: Any) -> Any:
        parts = [self.compile(c) for c in clause.clauses]
        if clause.operator is operators.and_:
            def both(state: Any) -> Any:
                values = [p(state) for p in parts]
                if any(v is not _EXPIRED and v is not None and not v for v in values):
                    return False
                if any(v is _EXPIRED for v in values):
                    return _EXPIRED
                return None if any(v is None for v in values) else True
            return both
        if clause.operator is operators.or_:
            def either(state: Any) -> Any:
                values = [p(state) for p in parts]
                if any(v is not _EXPIRED and v is not None and v for v in values):
                    return True
                if any(v is _EXPIRED for v in values):
                    return _EXPIRED
                return None if any(v is None for v in values) else False
            return either
        raise _Unevaluable("Cannot evaluate clause list %s" % clause.operator.__name__)

    def _unary(self, clause: Any) -> Any:
        if clause.operator is operators.inv:
            inner = self.compile(clause.element)

            def negate(state: Any) -> Any:
                value = inner(state)
                return value if value is None or value is _EXPIRED else not value
            return negate
        raise _Unevaluable("Cannot evaluate unary operator %s" % clause.operator)

    def _binary(self, clause: Any) -> Any:
        op = clause.operator
        left = self.compile(clause.left)
        if op in (operators.in_op, operators.not_in_op):
            right = clause.right
            if not (isinstance(right, BindParameter) and right.expanding):
                raise _Unevaluable("Cannot evaluate IN of %s" % type(right).__name__)
            members = list(right.effective_value or ())
            negate = op is operators.not_in_op

            def contains(state: Any) -> Any:
                value = left(state)
                if value is None or value is _EXPIRED:
                    return value
                return (value in members) != negate
            return contains
        right = self.compile(clause.right)
        if op in (operators.is_, operators.is_not):
            same = op is operators.is_

            def identical(state: Any) -> Any:
                a, b = left(state), right(state)
                if a is _EXPIRED or b is _EXPIRED:
                    return _EXPIRED
                return (a == b) if same else (a != b)
            return identical
        func = _PLAIN_OPERATORS.get(op)
        if func is None:
            raise _Unevaluable("Cannot evaluate operator %s" % getattr(op, "__name__", op))
        if op in _NUMERIC_OPERATORS:
            _require_types(clause, (Integer, Numeric), "math operator")
        elif op is operators.concat_op:
            _require_types(clause, (String,), "concatenate operator")

        def apply(state: Any) -> Any:
            a, b = left(state), right(state)
            if a is _EXPIRED or b is _EXPIRED:
                return _EXPIRED
            if a is None or b is None:
                return None
            return func(a, b)
        return apply
