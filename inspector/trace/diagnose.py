# trace/diagnose.py
"""Diagnostics of a flush plan: what the unit of work cannot order, said in plain words.

Reads mappers through their public attributes only (``tables``, ``relationships``,
``isa``, ``iterate_to_root``); the result is plain data for the recorder to put in a snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class UnorderedForeignKey(NamedTuple):
    """A foreign key between the tables of two mapped classes that no relationship() links."""

    child: Any  # the mapper whose table holds the foreign key
    parent: Any  # the mapper whose table it references
    column: str  # e.g. "addresses.user_id"
    referenced: str  # e.g. "users"

    def sentence(self) -> str:
        return ("%s references %s, but no relationship() links %s and %s: the flush does not "
                "order their rows by this foreign key, so which runs first is undefined"
                % (self.column, self.referenced, self.child.class_.__name__,
                   self.parent.class_.__name__))


def _relationships(mapper: Any) -> list:
    return [prop for m in mapper.iterate_to_root() for prop in m.relationships.values()
            if not getattr(prop, "viewonly", False)]


def _family(a: Any, b: Any) -> bool:
    return a.isa(b) or b.isa(a)


def _linked(a: Any, b: Any) -> bool:
    """Whether a (non view-only) relationship() of either class points at the other."""
    return any(_family(prop.mapper, b) for prop in _relationships(a)) or \
        any(_family(prop.mapper, a) for prop in _relationships(b))


def unordered_foreign_keys(mappers: Iterable[Any]) -> list[UnorderedForeignKey]:
    """Foreign keys between the tables of ``mappers`` (the classes one flush writes) that
    no relationship() covers, in a stable order."""
    ms = sorted(set(mappers), key=lambda m: m.class_.__name__)
    out = []
    for child in ms:
        for parent in ms:
            if child is parent or _family(child, parent):
                continue
            parent_tables = set(parent.tables) - set(child.tables)
            if not parent_tables or _linked(child, parent):
                continue
            for table in child.tables:
                for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
                    if fk.column.table in parent_tables:
                        out.append(UnorderedForeignKey(
                            child, parent, "%s.%s" % (table.name, fk.parent.name),
                            fk.column.table.name))
    return out
