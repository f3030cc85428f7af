# orm/query.py
"""The legacy Query: ``session.query(User).filter_by(name="x").all()``."""

from __future__ import annotations

import warnings
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.sql import visitors
from sqlalchemy.sql.selectable import LABEL_STYLE_TABLENAME_PLUS_COL, TableClause

from .execution import execute_with_events
from .inheritance import adapt_statement
from .loading import _entities, get_by_identity, objects_result, orm_mappers
from .mapper import Mapper


def _clause(entity: Any) -> Any:
    if isinstance(entity, type) and "__mapper__" in entity.__dict__:
        return entity.__mapper__.__clause_element__()
    if isinstance(entity, Mapper):
        return entity.__clause_element__()
    return entity


class Query:
    """A SELECT built step by step; each method returns a new Query."""

    def __init__(self, entities: Any, session: Any = None) -> None:
        if not isinstance(entities, (list, tuple)):
            entities = (entities,)
        self.session = session
        self._entities = list(entities)
        self._stmt = select(*[_clause(e) for e in entities]).set_label_style(
            LABEL_STYLE_TABLENAME_PLUS_COL
        )

    def _clone(self, stmt: Any) -> Query:
        q = Query.__new__(Query)
        q.session = self.session
        q._entities = self._entities
        q._stmt = stmt
        return q

    # building
    def filter(self, *criterion: Any) -> Query:
        return self._clone(self._stmt.where(*criterion))

    where = filter

    def filter_by(self, **kwargs: Any) -> Query:
        """``filter(Entity.key == value, ...)`` for the entity (or table) names are looked up
        in: the last join target, else the first FROM, else the first selected item."""
        kind, namespace = self._filter_by_zero()
        crit = []
        for key, value in kwargs.items():
            if kind == "mapper":
                if key not in namespace.attrs:
                    raise sa_exc.InvalidRequestError(
                        'Entity namespace for "%s" has no property "%s"'
                        % (namespace.local_table.name, key)
                    )
                crit.append(getattr(namespace.class_, key) == value)
            else:
                if key not in namespace.c:
                    raise sa_exc.InvalidRequestError(
                        'Entity namespace for "%s" has no property "%s"' % (namespace.name, key)
                    )
                crit.append(namespace.c[key] == value)
        return self._clone(self._stmt.where(*crit))

    def _filter_by_zero(self) -> tuple[str, Any]:
        stmt = self._stmt
        if stmt._setup_joins:
            zero = stmt._setup_joins[-1][0]
        elif stmt._from_obj:
            zero = stmt._from_obj[0]
        else:
            zero = stmt._raw_columns[0]
        elements = list(visitors.iterate(zero))
        for element in elements:
            mapper = getattr(element, "_annotations", {}).get("parententity")
            if isinstance(mapper, Mapper):
                return "mapper", mapper
        for element in elements:
            if isinstance(element, TableClause):
                return "table", element
            table = getattr(element, "table", None)
            if isinstance(table, TableClause):
                return "table", table
        raise sa_exc.InvalidRequestError(
            "Can't use filter_by(): %r names no mapped entity or table to look keys up in" % zero
        )

    def order_by(self, *clauses: Any) -> Query:
        if len(clauses) == 1 and clauses[0] is None:
            return self._clone(self._stmt.order_by(None))
        return self._clone(self._stmt.order_by(*clauses))

    def limit(self, n: int | None) -> Query:
        return self._clone(self._stmt.limit(n))

    def offset(self, n: int | None) -> Query:
        return self._clone(self._stmt.offset(n))

    def distinct(self) -> Query:
        return self._clone(self._stmt.distinct())

    def join(self, target: Any, onclause: Any = None, *, isouter: bool = False,
             full: bool = False) -> Query:
        onclause = _clause(onclause) if onclause is not None else None
        return self._clone(self._stmt.join(_clause(target), onclause, isouter=isouter,
                                           full=full))

    @property
    def statement(self) -> Any:
        return self._stmt

    def _primary_mapper(self) -> Mapper | None:
        for e in self._entities:
            if isinstance(e, type) and "__mapper__" in e.__dict__:
                return e.__mapper__
            if isinstance(e, Mapper):
                return e
        return None

    # running
    def _execute(self, stmt: Any) -> Any:
        sess = self.session
        sess._check_no_stepper("Query")
        stmt = adapt_statement(stmt)
        result = self._run(stmt)
        entities = _entities(stmt)
        if entities is None:
            return result
        return objects_result(sess, entities, result, list(stmt.selected_columns))

    def _run(self, stmt: Any) -> Any:
        """Autoflush and execute on the session's connection (after its ``do_orm_execute``
        listeners saw the statement, as in SQLAlchemy)."""
        sess = self.session

        def run(statement: Any, params: Any, options: Any) -> Any:
            sess._autoflush()
            conn = sess._connection(None, statement)
            return conn.execute(statement, params, execution_options=options)

        return execute_with_events(sess, stmt, None, {}, run, mappers=orm_mappers(stmt))

    def _single(self) -> bool:
        return len(self._entities) == 1 and self._primary_mapper() is not None

    def __iter__(self):
        result = self._execute(self._stmt)
        if self._single():
            return iter(result.scalars().all())
        return iter(result.all())

    def all(self) -> list:
        return list(self)

    def first(self) -> Any:
        result = self._execute(self._stmt.limit(1))
        if self._single():
            return result.scalars().first()
        return result.first()

    def one_or_none(self) -> Any:
        result = self._execute(self._stmt)
        if self._single():
            return result.scalars().one_or_none()
        return result.one_or_none()

    def one(self) -> Any:
        result = self._execute(self._stmt)
        if self._single():
            return result.scalars().one()
        return result.one()

    def scalar(self) -> Any:
        try:
            row = self.one()
        except sa_exc.NoResultFound:
            return None
        return row[0] if isinstance(row, tuple) else row

    def count(self) -> int:
        stmt = select(func.count()).select_from(adapt_statement(self._stmt).subquery())
        return self._run(stmt).scalar()

    def get(self, ident: Any) -> Any:
        """Legacy: the object with this primary key (warns LegacyAPIWarning: use
        ``Session.get()``)."""
        warnings.warn(
            sa_exc.LegacyAPIWarning(
                "The Query.get() method is considered legacy as of the 1.x series of "
                "SQLAlchemy and becomes a legacy construct in 2.0. The method is now "
                "available as Session.get() (deprecated since: 2.0)"
            ),
            stacklevel=2,
        )
        mapper = self._primary_mapper()
        if mapper is None:
            raise sa_exc.InvalidRequestError("Query.get() needs a mapped class")
        self.session._check_no_stepper("Query.get()")
        return get_by_identity(self.session, mapper, ident)

    # bulk UPDATE / DELETE (legacy: ``session.execute(update(User).where(...))`` is 2.x)
    def update(self, values: dict, synchronize_session: Any = "auto",
               update_args: dict | None = None) -> int:
        """UPDATE the rows this query matches; returns the matched row count.

        Runs ``update(Entity).where(<criteria>).values(values)`` through
        ``Session.execute()`` (so ``do_orm_execute`` sees it), then fires
        ``after_bulk_update`` with a context holding session, query, values and result.
        """
        if update_args:
            raise NotImplementedError(
                "Query.update(update_args=...) is not supported by inspector.orm")
        mapper = self._bulk_mapper("update")
        stmt = sql_update(mapper.class_).where(*self._stmt._where_criteria).values(values)
        context = BulkUpdateContext(self, mapper, values)
        return self._bulk(stmt, synchronize_session, context, "after_bulk_update")

    def delete(self, synchronize_session: Any = "auto",
               delete_args: dict | None = None) -> int:
        """DELETE the rows this query matches; returns the matched row count (then fires
        ``after_bulk_delete``)."""
        if delete_args:
            raise NotImplementedError(
                "Query.delete(delete_args=...) is not supported by inspector.orm")
        mapper = self._bulk_mapper("delete")
        stmt = sql_delete(mapper.class_).where(*self._stmt._where_criteria)
        context = BulkDeleteContext(self, mapper)
        return self._bulk(stmt, synchronize_session, context, "after_bulk_delete")

    def _bulk_mapper(self, what: str) -> Mapper:
        stmt = self._stmt
        mapper = self._primary_mapper()
        if (len(self._entities) != 1 or mapper is None or stmt._setup_joins
                or stmt._limit_clause is not None or stmt._offset_clause is not None
                or stmt._distinct or stmt._group_by_clauses or stmt._having_criteria):
            raise NotImplementedError(
                "Query.%s() is supported by inspector.orm for a query of one mapped class "
                "with filter() / filter_by() criteria only" % what
            )
        return mapper

    def _bulk(self, stmt: Any, synchronize_session: Any, context: Any, hook: str) -> int:
        sess = self.session
        result = sess.execute(
            stmt, execution_options={"synchronize_session": synchronize_session})
        context.result = result
        listeners = getattr(sess.dispatch, hook)
        if listeners:
            listeners(context)
        return result.rowcount

    def __repr__(self) -> str:
        return str(self._stmt)


class BulkDeleteContext:
    """What ``after_bulk_delete`` listeners get: ``session``, ``query``, ``mapper``,
    ``result`` (the CursorResult of the DELETE)."""

    def __init__(self, query: Query, mapper: Mapper) -> None:
        self.query = query
        self.mapper = mapper
        self.result: Any = None

    @property
    def session(self) -> Any:
        return self.query.session


class BulkUpdateContext(BulkDeleteContext):
    """What ``after_bulk_update`` listeners get: as for a delete, plus ``values``."""

    def __init__(self, query: Query, mapper: Mapper, values: dict) -> None:
        super().__init__(query, mapper)
        self.values = values
