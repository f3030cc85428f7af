"""The offline export shows snapshots saved by older versions in today's schema: the narration
once, as ``narration`` (older snapshots also carried it as a plain ``events`` list)."""

from inspector.export import _INSPECTOR_ID, WIDGET_STATE, inspector_snapshots


def _notebook(snapshot: dict) -> dict:
    model = {"state": {"_anywidget_id": _INSPECTOR_ID, "snapshot": snapshot, "error": ""}}
    return {"metadata": {"widgets": {WIDGET_STATE: {"state": {"m1": model}}}}}


def test_a_saved_snapshot_with_both_lists_keeps_the_narration_only():
    said = [{"text": "COMMIT.", "cell": 3, "flush": 0, "command": ""}]
    got = inspector_snapshots(_notebook({"seq": 1, "events": ["COMMIT."], "narration": said}))
    assert got["m1"]["snapshot"] == {"seq": 1, "narration": said}


def test_the_oldest_snapshots_plain_events_become_narration():
    got = inspector_snapshots(_notebook({"seq": 1, "events": ["a", "b"]}))
    assert got["m1"]["snapshot"]["narration"] == [
        {"text": "a", "cell": None, "flush": 0, "command": ""},
        {"text": "b", "cell": None, "flush": 0, "command": ""}]
    assert "events" not in got["m1"]["snapshot"]


def test_a_current_snapshot_is_left_as_it_is():
    snap = {"seq": 2, "narration": []}
    assert inspector_snapshots(_notebook(snap))["m1"]["snapshot"] is snap
