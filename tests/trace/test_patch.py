"""Keyed snapshot diffs (inspector.trace.patch): apply_patch(diff(a, b), a) == b."""

import copy
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import Address, User, new_session  # noqa: E402

from inspector.trace import Recorder  # noqa: E402
from inspector.trace.patch import apply_patch, diff  # noqa: E402
from inspector.trace.snapshot import object_json  # noqa: E402

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sample_snapshot.json"


def _random_object(rng: random.Random, oid: str) -> dict:
    return {
        "id": oid,
        "cls": rng.choice(["User", "Address"]),
        "label": "%s %s" % (oid, rng.randint(0, 3)),
        "identity": rng.choice([None, "(1,)", "(2,)"]),
        "status": rng.choice(["pending", "persistent", "deleted", "detached"]),
        "modified": rng.random() < 0.5,
        "expired": rng.sample(["name", "email"], rng.randint(0, 2)),
        "attributes": [{"name": "name", "kind": "column", "value": repr(rng.randint(0, 2)),
                        "changed": rng.random() < 0.3, "added": [], "deleted": []}],
        "in_session": rng.random() < 0.8,
    }


def _random_snapshot(rng: random.Random, seq: int, pool: list[str]) -> dict:
    ids = [oid for oid in pool if rng.random() < 0.7]
    if rng.random() < 0.2:
        rng.shuffle(ids)  # an order that is not the natural one
    snap = {
        "seq": seq,
        "session": "Session 1",
        "objects": [_random_object(rng, oid) for oid in ids],
        "new": rng.sample(ids, min(len(ids), rng.randint(0, 3))),
        "dirty": [],
        "deleted": [],
        "transactions": [] if rng.random() < 0.5 else [{"id": "t1", "kind": "root"}],
        "flush": None if rng.random() < 0.5 else {"status": "open", "cursor": rng.randint(0, 3)},
        "events": ["e%d" % rng.randint(0, 2)],
        "version": 1,
    }
    if rng.random() < 0.3:
        snap["sql"] = [{"seq": 1, "sql": "SELECT 1"}]
    if rng.random() < 0.1:
        del snap["objects"]
    return snap


CASES = Path(__file__).parents[1] / "fixtures" / "patch_cases.json"


def _pairs(n: int, seed: int = 20261204, size: int = 24):
    rng = random.Random(seed)
    pool = ["o%d" % i for i in range(1, size + 1)]
    for i in range(n):
        a = _random_snapshot(rng, i, pool)
        # b: a random mutation of a, sharing unchanged objects as the recorder does
        b = _random_snapshot(rng, i + 1, pool)
        if "objects" in a and "objects" in b and rng.random() < 0.5:
            keep = {o["id"]: o for o in a["objects"]}
            b["objects"] = [keep.get(o["id"], o) if rng.random() < 0.7 else o for o in b["objects"]]
        yield a, b


def _cases() -> list[dict]:
    """What js/test/patch.test.mjs replays: the front-end must apply the same patches."""
    return [{"a": a, "b": b, "patch": diff(a, b)} for a, b in _pairs(40, seed=7, size=8)]


def test_js_fixture_is_current():
    # regenerate: PYTHONPATH=. python tests/trace/test_patch.py
    assert json.loads(CASES.read_text()) == json.loads(json.dumps(_cases()))


def test_round_trip_over_random_snapshots():
    for a, b in _pairs(400):
        frozen = copy.deepcopy(a)
        patch = diff(a, b)
        json.dumps(patch)
        assert apply_patch(patch, a) == b
        assert a == frozen  # applying leaves the base alone
        assert patch["base"] == a["seq"] and patch["seq"] == b["seq"]


def test_patch_of_one_changed_object_is_small():
    sample = json.loads(FIXTURE.read_text())
    objects = [dict(sample["objects"][0], id="o%d" % i) for i in range(10_000)]
    a = {**sample, "objects": objects}
    changed = dict(objects[5000], status="persistent", label="User(5000)")
    b = {**a, "seq": a["seq"] + 1, "objects": objects[:5000] + [changed] + objects[5001:]}
    patch = diff(a, b)
    assert patch["change"] == {"o5000": {k: v for k, v in changed.items() if objects[5000][k] != v}}
    assert set(patch) == {"base", "seq", "set", "change"} and patch["set"] == {"seq": b["seq"]}
    assert len(json.dumps(patch)) < 4_000
    assert apply_patch(patch, a) == b


def test_a_step_that_changes_every_object_sends_only_what_changed():
    s, _ = new_session()
    rec = Recorder(s)
    users = [User(name="u%d" % i) for i in range(200)]  # (held: persistent ones are weak)
    s.add_all(users)
    before = rec.snapshot()
    s.flush()  # every object: a key, persistent, its history reset
    after = rec.snapshot()
    patch = diff(before, after)
    assert "upsert" not in patch and len(patch["change"]) == 200
    first = patch["change"][before["objects"][0]["id"]]
    assert first["status"] == "persistent" and first["label"] == "User(1)"
    assert set(first["attributes"]) <= {str(i) for i in range(len(after["objects"][0][
        "attributes"]))}
    assert all(set(v) < {"name", "kind", "value", "changed", "added", "deleted"}
               for v in first["attributes"].values())
    assert apply_patch(patch, before) == after
    whole = sum(len(json.dumps(o)) for o in after["objects"])
    assert len(json.dumps(patch["change"])) < whole * 0.7


def _changed(patch: dict) -> list:
    return [o["id"] for o in patch.get("upsert", ())] + list(patch.get("change", {}))


def test_an_object_whose_attributes_differ_in_shape_goes_whole():
    a = {"id": "o1", "attributes": [{"name": "x", "value": "1"}]}
    b = {"id": "o1", "attributes": [{"name": "y", "value": "1"}]}
    patch = diff({"seq": 1, "objects": [a]}, {"seq": 2, "objects": [b]})
    assert patch["upsert"] == [b] and "change" not in patch


def test_recorder_reuses_unchanged_object_dicts_and_sees_every_change():
    s, _ = new_session()
    rec = Recorder(s)
    users = [User(name="u%d" % i) for i in range(5)]
    s.add_all(users)
    s.flush()
    first = rec.snapshot()
    second = rec.snapshot()
    assert all(x is y for x, y in zip(first["objects"], second["objects"]))
    assert diff(first, second).keys() <= {"base", "seq", "set"}

    users[2].name = "renamed"  # an attribute set fires no session event
    third = rec.snapshot()
    patch = diff(second, third)
    assert _changed(patch) == [first["objects"][2]["id"]]
    assert apply_patch(patch, second) == third

    users[2].name = "again"  # already modified: only the value tells
    fourth = rec.snapshot()
    assert _changed(diff(third, fourth)) == [first["objects"][2]["id"]]

    a1, a2 = Address(email="a"), Address(email="b")
    users[0].addresses.append(a1)  # collection changed in place
    fifth = rec.snapshot()
    changed = set(_changed(diff(fourth, fifth)))
    assert first["objects"][0]["id"] in changed and len(changed) >= 2  # user, a1, autoflushed
    users[0].addresses[0] = a2  # same length, another member
    sixth = rec.snapshot()
    assert first["objects"][0]["id"] in _changed(diff(fifth, sixth))

    s.expire(users[3])
    seventh = rec.snapshot()
    assert first["objects"][3]["id"] in _changed(diff(sixth, seventh))
    # the cached views are the ones a rebuild from scratch makes
    cached = rec.snapshot()["objects"]
    rec._views.clear()
    assert rec.snapshot()["objects"] == cached
    # take()'s ObjectViews are the same objects as the JSON
    assert [object_json(v) for v in rec.take().objects] == cached


if __name__ == "__main__":
    CASES.write_text(json.dumps(_cases(), indent=None, separators=(",", ":")) + "\n")
