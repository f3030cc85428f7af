# orm/collections.py
"""Instrumented collections other than the list: sets and keyed dictionaries.

A relationship's ``collection_class`` picks the container: ``list`` (the default, see
:class:`~inspector.orm.attributes.InstrumentedList`), ``set``, or a dictionary keyed by an
attribute of each member (:func:`attribute_keyed_dict`, the classic name
:func:`attribute_mapped_collection`).  Each container tells its attribute about every change,
as the list does, and offers the same small protocol to the attribute implementation:
``_si_members()`` (the related objects, in order), ``_si_raw_append`` /
``_si_raw_remove`` (change without events, for backrefs and loading).
"""

from __future__ import annotations

from typing import Any

from .attributes import CollectionAttributeImpl, InstrumentedList, _Instrumented
from .state import instance_state

__all__ = [
    "InstrumentedList", "InstrumentedSet", "KeyFuncDict", "attribute_keyed_dict",
    "attribute_mapped_collection", "column_keyed_dict", "column_mapped_collection",
    "keyfunc_mapping", "mapped_collection",
]


class InstrumentedSet(_Instrumented, set):
    """A set that tells its owning attribute about every change."""

    __slots__ = ("_si_state", "_si_impl")
    _si_kind = "set"

    def _si_members(self) -> list:
        return list(self)

    def _si_raw_append(self, item: Any) -> None:
        set.add(self, item)

    def _si_raw_remove(self, item: Any) -> bool:
        if item in self:
            set.discard(self, item)
            return True
        return False

    def add(self, item: Any) -> None:
        owner = self._owner()
        if item in self:
            if owner is not None:  # no change, but the save-update cascade still runs
                owner[1]._cascade(owner[0], item, None)
            return
        self._appending(item)
        set.add(self, item)

    def _removing(self, item: Any) -> None:
        if item in self:
            owner = self._before()
            if owner is not None:
                owner[1].fire_remove(owner[0], item, None)

    def discard(self, item: Any) -> None:
        self._removing(item)
        set.discard(self, item)

    def remove(self, item: Any) -> None:
        self._removing(item)
        set.remove(self, item)

    def pop(self) -> Any:
        owner = self._before()
        item = set.pop(self)
        if owner is not None:
            owner[1].fire_remove(owner[0], item, None)
        return item

    def clear(self) -> None:
        for item in list(self):
            self.remove(item)

    def update(self, *others: Any) -> None:
        for other in others:
            for item in list(other):
                self.add(item)

    def __ior__(self, other: Any):
        self.update(other)
        return self

    def difference_update(self, *others: Any) -> None:
        for other in others:
            for item in list(other):
                self.discard(item)

    def __isub__(self, other: Any):
        self.difference_update(other)
        return self

    def intersection_update(self, *others: Any) -> None:
        keep = set(self).intersection(*others)
        for item in list(self):
            if item not in keep:
                self.remove(item)

    def __iand__(self, other: Any):
        self.intersection_update(other)
        return self

    def symmetric_difference_update(self, other: Any) -> None:
        other = set(other)
        before = set(self)
        for item in before & other:
            self.remove(item)
        for item in other - before:
            self.add(item)

    def __ixor__(self, other: Any):
        self.symmetric_difference_update(other)
        return self

    def __reduce__(self):
        return (set, (set(self),))


class KeyFuncDict(_Instrumented, dict):
    """A dictionary of related objects keyed by ``keyfunc(member)``."""

    __slots__ = ("_si_state", "_si_impl", "keyfunc")

    def __init__(self, keyfunc: Any, *args: Any, **kw: Any) -> None:
        self.keyfunc = keyfunc
        dict.__init__(self, *args, **kw)

    def _si_members(self) -> list:
        return list(self.values())

    def _si_raw_append(self, item: Any) -> None:
        dict.__setitem__(self, self.keyfunc(item), item)

    def _si_raw_remove(self, item: Any) -> bool:
        for key, value in list(dict.items(self)):
            if value is item:
                dict.__delitem__(self, key)
                return True
        return False

    def set(self, item: Any) -> None:
        """Add ``item`` under its own key (what an append through a backref does)."""
        self[self.keyfunc(item)] = item

    def remove(self, item: Any) -> None:
        """Remove ``item``, found by its key."""
        key = self.keyfunc(item)
        if dict.get(self, key) is not item:
            raise Exception(
                "Can not remove '%s': collection holds '%s' for key '%s'. Possible cause: is "
                "the KeyFuncDict key function based on mutable properties or properties that "
                "only obtain values after flush?" % (item, dict.get(self, key), key))
        del self[key]

    def __setitem__(self, key: Any, item: Any) -> None:
        owner = self._owner()
        if key in self and owner is not None:
            self._before()
            owner[1].fire_remove(owner[0], dict.__getitem__(self, key), None)
        self._appending(item)
        dict.__setitem__(self, key, item)

    def __delitem__(self, key: Any) -> None:
        owner = self._owner()
        if key in self and owner is not None:
            self._before()
            owner[1].fire_remove(owner[0], dict.__getitem__(self, key), None)
        dict.__delitem__(self, key)

    _missing = object()

    def pop(self, key: Any, default: Any = _missing) -> Any:
        if key in self:
            item = dict.__getitem__(self, key)
            del self[key]
            return item
        if default is KeyFuncDict._missing:
            raise KeyError(key)
        return default

    def popitem(self) -> tuple:
        if not self:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(dict.keys(self)))
        return key, self.pop(key)

    def clear(self) -> None:
        for key in list(self):
            del self[key]

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
            return default
        return dict.__getitem__(self, key)

    def update(self, other: Any = (), **kw: Any) -> None:
        items = list(other.items()) if hasattr(other, "keys") else list(other)
        for key, value in items + list(kw.items()):
            if key not in self or dict.__getitem__(self, key) is not value:
                self[key] = value

    def __reduce__(self):
        return (dict, (dict(self),))


class _KeyedDictFactory:
    """What :func:`attribute_keyed_dict` returns: makes an empty :class:`KeyFuncDict`."""

    def __init__(self, keyfunc: Any, description: str) -> None:
        self.keyfunc = keyfunc
        self.description = description

    def __call__(self) -> KeyFuncDict:
        return KeyFuncDict(self.keyfunc)

    def __repr__(self) -> str:
        return "<keyed dict collection by %s>" % self.description


def attribute_keyed_dict(attr_name: str, *, ignore_unpopulated_attribute: bool = False
                         ) -> _KeyedDictFactory:
    """A dictionary collection keyed by each member's attribute ``attr_name``."""
    if ignore_unpopulated_attribute:
        raise NotImplementedError(
            "attribute_keyed_dict(ignore_unpopulated_attribute=True) is not supported by "
            "inspector.orm")

    def keyfunc(obj: Any) -> Any:
        return getattr(obj, attr_name)

    return _KeyedDictFactory(keyfunc, "attribute %r" % attr_name)


def keyfunc_mapping(keyfunc: Any, *, ignore_unpopulated_attribute: bool = False
                    ) -> _KeyedDictFactory:
    """A dictionary collection keyed by ``keyfunc(member)``."""
    if ignore_unpopulated_attribute:
        raise NotImplementedError(
            "keyfunc_mapping(ignore_unpopulated_attribute=True) is not supported by "
            "inspector.orm")
    return _KeyedDictFactory(keyfunc, repr(keyfunc))


def column_keyed_dict(mapping_spec: Any, *, ignore_unpopulated_attribute: bool = False
                      ) -> _KeyedDictFactory:
    """A dictionary collection keyed by a mapped column of each member (a Table column or
    the class attribute)."""
    if ignore_unpopulated_attribute:
        raise NotImplementedError(
            "column_keyed_dict(ignore_unpopulated_attribute=True) is not supported by "
            "inspector.orm")
    col = getattr(mapping_spec, "__clause_element__", lambda: mapping_spec)()
    if getattr(col, "_annotations", None):
        col = col._deannotate()

    def keyfunc(obj: Any) -> Any:
        key = instance_state(obj).mapper._col_to_key.get(col)
        if key is None:
            raise KeyError("%r is not a mapped column of %s" % (col, type(obj).__name__))
        return getattr(obj, key)

    return _KeyedDictFactory(keyfunc, "column %s" % col)


#: the 1.x names
attribute_mapped_collection = attribute_keyed_dict
column_mapped_collection = column_keyed_dict
mapped_collection = keyfunc_mapping


def check_collection_class(collection_class: Any) -> None:
    """NotImplementedError for a ``collection_class`` we have no container for."""
    if collection_class in (None, list, set) or isinstance(collection_class, _KeyedDictFactory):
        return
    raise NotImplementedError(
        "relationship(collection_class=%r) is not supported by inspector.orm: list, set "
        "and attribute_keyed_dict() / attribute_mapped_collection() / keyfunc_mapping() "
        "are" % (collection_class,))


def collection_impl(key: str, prop: Any, collection_class: Any) -> CollectionAttributeImpl:
    """The attribute implementation for a relationship's ``collection_class``."""
    impl = CollectionAttributeImpl(key, prop)
    if collection_class is None or collection_class is list:
        impl._make = InstrumentedList
    elif collection_class is set:
        impl._make = InstrumentedSet
    elif isinstance(collection_class, _KeyedDictFactory):
        keyfunc = collection_class.keyfunc

        def make(items: Any = ()) -> KeyFuncDict:
            coll = KeyFuncDict(keyfunc)
            for item in items:
                coll._si_raw_append(item)
            return coll

        impl._make = make
        impl._dict_like = True
    else:
        raise NotImplementedError(
            "relationship(collection_class=%r) is not supported by inspector.orm: list, set "
            "and attribute_keyed_dict() / attribute_mapped_collection() / keyfunc_mapping() "
            "are" % (collection_class,))
    return impl
