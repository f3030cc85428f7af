# trace/patch.py
"""Keyed diffs between two snapshot dicts (``to_json``), so a push carries what changed only.

A patch is a plain dict::

    {"base": 7, "seq": 8,                     # the snapshot it applies to, and the one it makes
     "set": {"dirty": [...], "sql": [...]},   # top-level keys replaced whole (changed ones only)
     "drop": ["flush"],                       # top-level keys gone (rare)
     "upsert": [{...object...}, ...],         # objects added or changed, whole, by "id"
     "remove": ["o3", ...],                   # object ids gone
     "order": ["o1", "o2", ...]}              # only when the object order is not the natural one

``apply_patch(diff(a, b), a) == b``.  The natural order: ``a``'s objects without the removed
ones (changed ones in place), then the new ones in ``b``'s order.  The front-end applies the
same format (js/src/patch.ts).
"""

from __future__ import annotations

from typing import Any

__all__ = ["apply_patch", "diff"]


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
    upsert, fresh = [], []
    for obj in new_objects:
        oid = obj["id"]
        after_ids.add(oid)
        prev = before.get(oid)
        if prev is None:
            upsert.append(obj)
            fresh.append(oid)
        elif prev is not obj and prev != obj:
            upsert.append(obj)
    removed = [oid for oid in before if oid not in after_ids]
    if upsert:
        patch["upsert"] = upsert
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


def apply_patch(patch: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """A new snapshot dict: ``old`` with ``patch`` applied (``old`` is left as it was)."""
    new = {k: v for k, v in old.items() if k not in patch.get("drop", ())}
    new.update(patch.get("set", {}))
    touched = "upsert" in patch or "remove" in patch or "order" in patch
    if "objects" in patch.get("drop", ()) or not touched:
        return new
    upsert = {o["id"]: o for o in patch.get("upsert", ())}
    gone = set(patch.get("remove", ()))
    objects = []
    for obj in old.get("objects") or ():
        oid = obj["id"]
        if oid in gone:
            continue
        objects.append(upsert.pop(oid, obj))
    objects.extend(upsert.values())
    if "order" in patch:
        by_id = {o["id"]: o for o in objects}
        objects = [by_id[oid] for oid in patch["order"]]
    new["objects"] = objects
    return new
