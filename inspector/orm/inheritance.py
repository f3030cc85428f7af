# orm/inheritance.py
"""Helpers for mapped class hierarchies: joined-table, single-table and concrete inheritance.

The :class:`~inspector.orm.mapper.Mapper` holds the facts (``inherits``, the tables of a
hierarchy, ``polymorphic_on`` / ``polymorphic_identity``); this module turns them into the
pieces other modules need: the FROM clause that ``select(Manager)`` expands to (its columns
in SQLAlchemy's order), the discriminator criterion of a single-table subclass, the class of
a loaded row, and the discriminator set when an object is constructed.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy.sql import visitors
from sqlalchemy.sql.selectable import FromClause

#: per annotated FromClause class, a subclass whose ``select()`` expansion is the mapper's
#: own column list (``_select_cols``) instead of every column of the table or join
_entity_classes: dict[type, type] = {}


def _entity_class(base: type) -> type:
    cls = _entity_classes.get(base)
    if cls is None:
        def _select_iterable(self: Any) -> Any:
            return iter(self._annotations["parententity"]._select_cols)

        cls = _entity_classes[base] = type(
            "Mapped" + base.__name__, (base,),
            {"_select_iterable": property(_select_iterable), "inherit_cache": True},
        )
    return cls


def entity_selectable(mapper: Any) -> FromClause:
    """What ``select(Class)`` selects from: the mapper's table (or the join of its hierarchy's
    tables), annotated with the mapper, expanding to the mapper's columns only."""
    sel = mapper.__dict__.get("_entity_sel")
    if sel is None:
        sel = mapper.persist_selectable._annotate(
            {"parententity": mapper, "parentmapper": mapper})
        natural = [c for c in mapper.persist_selectable.c]
        if natural != list(mapper._select_cols):
            sel.__class__ = _entity_class(type(sel))
        mapper._entity_sel = sel
    return sel


def single_criterion(mapper: Any) -> Any:
    """``discriminator IN (identities)`` for a single-table subclass, else None."""
    if not mapper.single or mapper.polymorphic_on is None:
        return None
    ids = mapper._polymorphic_identities()
    if not ids:
        return None
    return mapper.polymorphic_on.in_(ids)


def adapt_statement(stmt: Any) -> Any:
    """Add what SQLAlchemy's ORM compiler adds for subclass entities of a SELECT.

    A single-table subclass among the selected entities or columns limits the rows to its
    discriminator values (once per mapper, after the statement's own criteria); a column
    of a joined-table subclass selected without its entity selects from the hierarchy's join.
    """
    raw = getattr(stmt, "_raw_columns", None)
    if not raw:
        return stmt
    seen: list = []
    joins: list = []
    for item in raw:
        # the entity itself selects from the join already; a column or an expression
        # (count(Manager.id): a SQL function is a FromClause too) does not
        is_entity = isinstance(item, FromClause) and \
            getattr(item, "_annotations", {}).get("parententity") is not None
        for element in visitors.iterate(item):
            mapper = getattr(element, "_annotations", {}).get("parentmapper")
            if mapper is None or not hasattr(mapper, "single") or mapper in seen:
                continue
            seen.append(mapper)
            if (not is_entity and mapper.inherits is not None
                    and not mapper.single and not mapper.concrete):
                joins.append(mapper)
            break
    for mapper in joins:  # an explicit FROM of the hierarchy's join is the left side of joins
        froms = getattr(stmt, "_from_obj", ())
        if not any(all(_contains(f, t) for t in mapper.tables) for f in froms):
            stmt = stmt.select_from(mapper.persist_selectable)
    for mapper in seen:
        crit = single_criterion(mapper)
        if crit is not None:
            stmt = stmt.where(crit)
    return stmt


def _contains(from_: Any, table: Any) -> bool:
    return any(t is table for t in visitors.iterate(from_) if isinstance(t, FromClause))


def row_mapper(mapper: Any, value: Any) -> Any:
    """The mapper of a row whose discriminator is ``value`` (loaded as ``mapper``)."""
    if value is None:
        return mapper
    sub = mapper.polymorphic_map.get(value)
    if sub is None:
        raise AssertionError("No such polymorphic_identity %r is defined" % (value,))
    return sub


def install_identity_init(mapper: Any) -> None:
    """Wrap the class's ``__init__`` so a new object gets its discriminator first.

    SQLAlchemy sets ``polymorphic_on`` to the class's ``polymorphic_identity`` when the
    object is constructed (before the constructor's own assignments); every mapped class
    of a polymorphic hierarchy gets such a wrapper, which acts only for its own class.
    """
    cls = mapper.class_
    original = cls.__dict__.get("__init__")

    def __init__(self: Any, *args: Any, **kw: Any) -> None:
        if type(self) is cls:
            setattr(self, mapper._polymorphic_key, mapper.polymorphic_identity)
        if original is not None:
            original(self, *args, **kw)
        else:
            super(cls, self).__init__(*args, **kw)

    if original is not None:
        functools.update_wrapper(__init__, original)
    __init__._si_original = original  # type: ignore[attr-defined]
    cls.__init__ = __init__  # type: ignore[misc]


def uninstall_identity_init(cls: type) -> None:
    init = cls.__dict__.get("__init__")
    if init is None or not hasattr(init, "_si_original"):
        return
    if init._si_original is None:
        del cls.__init__  # type: ignore[misc]
    else:
        cls.__init__ = init._si_original  # type: ignore[misc]
