# trace/patch.py
"""Keyed diffs between two snapshot dicts (``to_json``), so a push carries what changed only.

A patch is a plain dict::

    {"base": 7, "seq": 8,                     # the snapshot it applies to, and the one it makes
     "set": {"dirty": [...], "sql": [...]},   # top-level keys replaced whole (changed ones only)
     "drop": ["flush"],                       # top-level keys gone (rare)
     "upsert": [{...object...}, ...],         # objects added (or changed: see below), whole
     "change": {"o5": {"status": "persistent", "attributes": {"0": {"value": "5"}}}, ...},
     "remove": ["o3", ...],                   # object ids gone
     "order": ["o1", "o2", ...]}              # only when the object order is not the natural one

A changed object goes in ``change``: only its fields that changed, and of its ``attributes``
(when the same attributes in the same order) only the changed keys of the changed ones, by
index: a flush step that gives 10,000 objects their keys sends a few short fields each, not
10,000 whole objects.  An object whose fields or attributes differ otherwise goes whole in
``upsert``.

``apply_patch(diff(a, b), a) == b``.  The natural order: ``a``'s objects without the removed
ones (changed ones in place), then the new ones in ``b``'s order.  The front-end applies the
same format (js/src/patch.ts).
"""

from __future__ import annotations

from typing import Any

__all__ = ["apply_patch", "diff"]

_ABSENT = object()


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The patch that turns snapshot ``old`` into snapshot ``new``."""
    patch: dict[str, Any] = {"base": old.get("seq"), "seq": new.get("seq")}
    changed = {}
    for key, value in new.items():
        if key == "objects":
            continue
        if key not in old or (old[key] is not value and old[key] != value):
            changed[key] = value
    if changed:
        patch["set"] = changed
    dropped = [k for k in old if k not in new and k != "objects"]
    if dropped:
        patch["drop"] = dropped
    if "objects" not in new:
        if "objects" in old:
            patch.setdefault("drop", []).append("objects")
        return patch
    old_objects = old.get("objects") or []
    new_objects = new["objects"]
    before = {o["id"]: o for o in old_objects}
    after_ids = set()
    upsert, fresh, change = [], [], {}
    for obj in new_objects:
        oid = obj["id"]
        after_ids.add(oid)
        prev = before.get(oid)
        if prev is None:
            upsert.append(obj)
            fresh.append(oid)
        elif prev is not obj:
            fields = _changed_fields(prev, obj)
            if fields is None:
                upsert.append(obj)
            elif fields:
                change[oid] = fields
    removed = [oid for oid in before if oid not in after_ids]
    if upsert:
        patch["upsert"] = upsert
    if change:
        patch["change"] = change
    if removed:
        patch["remove"] = removed
    gone = set(removed)
    natural = [o["id"] for o in old_objects if o["id"] not in gone] + fresh
    if len(natural) != len(new_objects) or any(
        a != b["id"] for a, b in zip(natural, new_objects)
    ):
        patch["order"] = [o["id"] for o in new_objects]
    if "objects" not in old:
        patch["order"] = [o["id"] for o in new_objects]
    return patch


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    """What changed from object ``old`` to ``new``, for ``change``; None: send it whole."""
    if len(old) != len(new):
        return None
    fields = {}
    for key, value in new.items():
        was = old.get(key, _ABSENT)
        if was is value or was == value:
            continue
        if was is _ABSENT:
            return None
        if key == "attributes":
            attrs = _changed_attributes(was, value)
            if attrs is None:
                return None
            fields[key] = attrs
        else:
            fields[key] = value
    return fields


def _changed_attributes(old: list[dict], new: list[dict]) -> dict[str, dict] | None:
    """``{"<index>": {key: value}}`` of the attributes that changed; None when the attributes
    themselves (their names, order or keys) are not the same."""
    if len(old) != len(new):
        return None
    out = {}
    for i, (a, b) in enumerate(zip(old, new)):
        if a == b:
            continue
        if len(a) != len(b) or a.get("name") != b.get("name"):
            return None
        changed = {}
        for k, v in b.items():
            was = a.get(k, _ABSENT)
            if was != v:
                if was is _ABSENT:
                    return None
                changed[k] = v
        out[str(i)] = changed
    return out


def _merged(obj: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Object ``obj`` with the ``change`` entry ``fields`` applied (``obj`` is left as it was)."""
    out = {**obj, **fields}
    attrs = fields.get("attributes")
    if isinstance(attrs, dict):
        merged = list(obj["attributes"])
        for index, values in attrs.items():
            merged[int(index)] = {**merged[int(index)], **values}
        out["attributes"] = merged
    return out


def apply_patch(patch: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """A new snapshot dict: ``old`` with ``patch`` applied (``old`` is left as it was)."""
    new = {k: v for k, v in old.items() if k not in patch.get("drop", ())}
    new.update(patch.get("set", {}))
    touched = "upsert" in patch or "remove" in patch or "order" in patch or "change" in patch
    if "objects" in patch.get("drop", ()) or not touched:
        return new
    upsert = {o["id"]: o for o in patch.get("upsert", ())}
    change = patch.get("change", {})
    gone = set(patch.get("remove", ()))
    objects = []
    for obj in old.get("objects") or ():
        oid = obj["id"]
        if oid in gone:
            continue
        fields = change.get(oid)
        objects.append(upsert.pop(oid, obj) if fields is None else _merged(obj, fields))
    objects.extend(upsert.values())
    if "order" in patch:
        by_id = {o["id"]: o for o in objects}
        objects = [by_id[oid] for oid in patch["order"]]
    new["objects"] = objects
    return new
