"""Recorder: JSON snapshots, escaped DOT, and the step / run / abort commands."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import Address, User, new_session  # noqa: E402

from inspector.trace import Recorder  # noqa: E402


def events_of(snap):
    """The narration's sentences, oldest first."""
    return [e["text"] for e in snap["narration"]]

HOSTILE = "<img src=x onerror=alert(1)>"


def test_snapshot_is_json_and_follows_the_stepper():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name=HOSTILE, addresses=[Address(email='"quoted"')]))
    snap = rec.snapshot()
    json.dumps(snap)
    assert [o["status"] for o in snap["objects"]] == ["pending", "pending"]
    rec.command("step")
    snap = rec.snapshot()
    assert snap["flush"]["status"] == "open" and snap["flush"]["cursor"] == 0
    assert snap["flush"]["steps"][0]["state"] == "current"
    assert 'class="si-step si-current"' in snap["flush"]["dot"]
    rec.command("step")
    snap = rec.snapshot()
    assert snap["flush"]["steps"][0]["statements"][0]["sql"].startswith("INSERT INTO users")
    rec.command("run")
    snap = rec.snapshot()
    assert snap["flush"]["status"] == "complete"
    assert {o["status"] for o in snap["objects"]} == {"persistent"}
    assert [t["kind"] for t in snap["transactions"]] == ["root"]
    name = next(a for a in snap["objects"][0]["attributes"] if a["name"] == "name")
    assert name["value"] == repr(HOSTILE)


def test_abort_command_and_errors():
    s, _ = new_session()
    rec = Recorder(s)
    with pytest.raises(Exception, match="Nothing to flush"):
        rec.command("step")
    with pytest.raises(RuntimeError, match="No stepped flush"):
        rec.command("abort")
    s.add(User(name="x"))
    rec.command("step")
    rec.command("abort")
    snap = rec.snapshot()
    assert snap["flush"]["status"] == "aborted"
    assert snap["objects"][0]["status"] == "pending"
    assert any("aborted" in e for e in events_of(snap))


def test_subscribers_receive_pushes_and_can_leave():
    s, _ = new_session()
    rec = Recorder(s)
    got = []
    leave = rec.subscribe(got.append)
    s.add(User(name="x"))
    rec.command("run")
    assert got and got[-1]["flush"]["status"] == "complete"
    leave()
    n = len(got)
    rec.push()
    assert len(got) == n
    rec.close()


def test_savepoint_release_is_not_narrated_as_a_commit():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name="x"))
    s.flush()  # the root transaction now holds a write: a stepped flush runs in a SAVEPOINT
    s.add(User(name="y"))
    rec.command("run")
    events = events_of(rec.snapshot())
    assert any(e.startswith("RELEASE SAVEPOINT") for e in events), events
    assert not any(e.startswith("COMMIT") for e in events), events
    nested = s.begin_nested()
    s.add(User(name="z"))
    nested.rollback()
    assert any(e.startswith("ROLLBACK TO SAVEPOINT") for e in events_of(rec.snapshot()))
    s.commit()
    assert "COMMIT: the changes are now permanent." in events_of(rec.snapshot())
    rec.close()


def test_objects_that_left_the_session_are_marked_apart():
    """Rolled back to transient, expunged or detached: listed apart (``in_session`` False),
    so a reloaded row with the same identity is not mistaken for a second copy in the map."""
    s, _ = new_session()
    rec = Recorder(s)
    kept, rolled_back = User(name="kept"), User(name="rolled back")
    s.add(kept)
    s.commit()
    kept_id = kept.id
    s.add(rolled_back)
    s.flush()
    s.rollback()  # rolled_back: pending -> transient
    s.expunge(kept)  # kept: detached
    again = s.get(User, kept_id)  # the same row, a new object in the map
    flags = sorted((o["status"], o["in_session"]) for o in rec.snapshot()["objects"])
    assert flags == [("detached", False), ("persistent", True), ("transient", False)]
    assert again is not kept
def test_rolled_back_insert_re_add_and_bulk_update_are_narrated():
    s, _ = new_session()
    rec = Recorder(s)
    ann = User(name="ann")
    s.add(ann)
    s.flush()
    s.rollback()  # the INSERT is undone: persistent -> transient
    events = events_of(rec.snapshot())
    assert any("from persistent to transient: its INSERT was rolled back" in e
               for e in events), events
    s.add(ann)
    s.commit()
    s.expunge(ann)
    s.add(ann)  # detached -> persistent
    assert any("from detached to persistent" in e for e in events_of(rec.snapshot()))
    assert s.query(User).filter_by(name="ann").update({"name": "anna"}) == 1
    assert s.query(User).filter_by(name="nobody").delete() == 0
    events = events_of(rec.snapshot())
    assert "Query.update() ran: 1 row matched." in events, events
    assert "Query.delete() ran: 0 rows matched." in events, events
    rec.close()
    assert not s.dispatch.after_bulk_update  # close() removed every listener


def test_transaction_levels_name_their_origin_and_database():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name="x"))
    s.flush()
    s.begin_nested()
    levels = rec.snapshot()["transactions"]
    assert [t["origin"] for t in levels] == ["autobegin", "begin_nested"]
    assert levels[0]["binds"] and all(b.startswith("sqlite") for b in levels[0]["binds"])
