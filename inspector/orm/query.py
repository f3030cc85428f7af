# orm/query.py
"""The legacy Query: ``session.query(User).filter_by(name="x").all()``."""

from __future__ import annotations

from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.sql import visitors
from sqlalchemy.sql.selectable import LABEL_STYLE_TABLENAME_PLUS_COL, TableClause

from .inheritance import adapt_statement
from .loading import _entities, get_by_identity, objects_result
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
        sess._autoflush()
        stmt = adapt_statement(stmt)
        conn = sess._connection()
        result = conn.execute(stmt)
        entities = _entities(stmt)
        if entities is None:
            return result
        return objects_result(sess, entities, result, list(stmt.selected_columns))

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
        sess = self.session
        sess._autoflush()
        return sess._connection().execute(stmt).scalar()

    def get(self, ident: Any) -> Any:
        mapper = self._primary_mapper()
        if mapper is None:
            raise sa_exc.InvalidRequestError("Query.get() needs a mapped class")
        self.session._check_no_stepper("Query.get()")
        return get_by_identity(self.session, mapper, ident)

    def delete(self) -> int:
        raise sa_exc.InvalidRequestError(
            "Query.delete() (bulk delete) is not supported by inspector.orm yet; "
            "delete objects with Session.delete()"
        )

    def __repr__(self) -> str:
        return str(self._stmt)
