"""SessionInspectorWidget on the Python side, driven by a fake SnapshotSource (no browser)."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from inspector.trace import snapshot as snapshot_module
from inspector.widgets import (
    GraphvizRuntime,
    SessionInspectorWidget,
    SnapshotSource,
    shared_runtime,
)
from inspector.widgets import _static as static

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "sample_snapshot.json"
HOSTILE = "<img src=x onerror=alert(1)>"


def _said(text: str) -> dict:
    """One sentence of narration (an EventView as JSON)."""
    return {"text": text, "cell": None, "flush": 0, "command": ""}


class FakeSource:
    """A SnapshotSource holding one snapshot dict; ``push`` plays the recorder."""

    def __init__(self, snapshot: dict, fail: dict[str, Exception] | None = None):
        self.current = snapshot
        self.subscribers: list = []
        self.commands: list[str] = []
        self.fail = fail or {}

    def snapshot(self) -> dict:
        return self.current

    def subscribe(self, callback):
        self.subscribers.append(callback)
        return lambda: self.subscribers.remove(callback)

    def command(self, name: str) -> None:
        self.commands.append(name)
        if name in self.fail:
            raise self.fail[name]
        self.current = {**self.current, "seq": self.current["seq"] + 1}

    def push(self, snapshot: dict) -> None:
        self.current = snapshot
        for callback in list(self.subscribers):
            callback(snapshot)


@pytest.fixture
def sample() -> dict:
    return json.loads(FIXTURE.read_text())


@pytest.fixture
def source(sample) -> FakeSource:
    return FakeSource(sample)


@pytest.fixture
def widget(source):
    w = SessionInspectorWidget(source)
    yield w
    w.close()


def frontend(widget, content):
    """Deliver a custom message as the front-end's ``model.send(content)`` would."""
    widget._handle_custom_msg(content, [])


def test_fake_source_satisfies_protocol(source):
    assert isinstance(source, SnapshotSource)


def test_initial_snapshot_and_traits(widget, sample):
    assert widget.snapshot == sample
    assert widget.error == ""
    state = widget.get_state()
    assert state["snapshot"]["session"] == "Session 1"
    assert state["_graphviz"] == f"IPY_MODEL_{shared_runtime().model_id}"


def test_source_push_updates_trait(widget, source, sample):
    seen = []
    widget.observe(lambda change: seen.append(change["new"]["seq"]), names="snapshot")
    newer = {**copy.deepcopy(sample), "seq": 8, "narration": [_said("flush complete")]}
    source.push(newer)
    assert widget.snapshot == newer
    assert seen == [8]


def test_frontend_command_routes_to_source(widget, source, monkeypatch):
    sent = []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: sent.append(content))
    for name in ("step", "run", "abort"):
        frontend(widget, {"type": "command", "name": name})
    assert source.commands == ["step", "run", "abort"]
    assert [m["name"] for m in sent] == ["step", "run", "abort"]
    assert all(m["type"] == "ack" for m in sent)
    assert widget.snapshot["seq"] == 10  # pulled after each command, even without a push
    assert widget.error == ""


def test_command_error_lands_in_error_and_clears(source, monkeypatch):
    source.fail["step"] = RuntimeError("nothing to flush")
    w = SessionInspectorWidget(source)
    monkeypatch.setattr(w, "send", lambda content, buffers=None: None)
    frontend(w, {"type": "command", "name": "step"})
    assert w.error == "RuntimeError: nothing to flush"
    frontend(w, {"type": "command", "name": "run"})
    assert w.error == ""
    assert w.command("step") is False
    assert w.error == "RuntimeError: nothing to flush"
    w.close()


def test_unknown_or_malformed_messages(widget, source, monkeypatch):
    sent = []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: sent.append(content))
    frontend(widget, {"type": "command", "name": "drop_database"})
    assert widget.error == "unknown command 'drop_database'"
    frontend(widget, {"type": "something-else"})
    frontend(widget, ["not", "a", "dict"])
    assert source.commands == []
    assert len(sent) == 1  # only the command got an ack


def test_close_unsubscribes(source, sample):
    w = SessionInspectorWidget(source)
    assert len(source.subscribers) == 1
    w.close()
    assert source.subscribers == []
    w.close()  # idempotent
    source.push({**sample, "seq": 99})
    assert w.snapshot["seq"] == sample["seq"]


def test_repr_is_cheap(widget, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("repr serialised the widget state")

    monkeypatch.setattr(widget, "get_state", boom)
    text = repr(widget)
    assert text == "<SessionInspectorWidget Session 1 seq=7 objects=5 commands: inline>"


def test_runtime_singleton_shared(source):
    widgets = [SessionInspectorWidget(source) for _ in range(3)]
    runtimes = {id(w._graphviz) for w in widgets}
    assert len(runtimes) == 1
    assert widgets[0]._graphviz is shared_runtime()
    refs = {w.get_state()["_graphviz"] for w in widgets}
    assert len(refs) == 1
    for w in widgets:
        w.close()
    assert shared_runtime().comm is not None  # closing inspectors leaves the runtime open


def test_runtime_recreated_after_close():
    first = shared_runtime()
    first.close()
    second = shared_runtime()
    assert second is not first
    assert isinstance(second, GraphvizRuntime)
    assert shared_runtime() is second


def test_bundles_split_small_ui_heavy_runtime(widget):
    ui = widget.get_state()["_esm"]
    runtime = shared_runtime().get_state()["_esm"]
    assert len(ui.encode()) < 5_000, "the per-widget _esm is a small loader"
    assert len(runtime.encode()) > 500_000  # the WebAssembly Graphviz lives here, once
    assert "WebAssembly" in runtime and "WebAssembly" not in ui
    # the UI and its CSS ship once, in the runtime; an inspector carries neither
    assert "si-identity-tools" in runtime and "si-identity-tools" not in ui
    assert static.WIDGET_CSS.read_text()[:200] in runtime  # the minified CSS, embedded
    assert "_css" not in widget.get_state()


def test_repr_html_fallback_is_escaped(widget):
    html = widget._repr_html_()
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "INSERT/UPDATE User" in html


def test_fixture_matches_snapshot_schema(sample):
    """tests/fixtures/sample_snapshot.json has exactly the fields of trace/snapshot.py."""

    def check(data: dict, cls) -> None:
        fields = {f.name: f for f in dataclasses.fields(cls)}
        assert set(data) == set(fields), cls.__name__
        nested = {
            "objects": snapshot_module.ObjectView,
            "attributes": snapshot_module.AttributeView,
            "transactions": snapshot_module.TransactionView,
            "steps": snapshot_module.StepView,
            "statements": snapshot_module.StatementView,
            "edges": snapshot_module.EdgeView,
            "nodes": snapshot_module.NodeView,
        }
        for key, value in data.items():
            if key == "flush" and value is not None:
                check(value, snapshot_module.FlushView)
            elif key in nested:
                for item in value:
                    if isinstance(item, dict):  # StepView.objects holds ids, not ObjectViews
                        check(item, nested[key])

    check(sample, snapshot_module.SessionSnapshot)
    assert sample["version"] == snapshot_module.SCHEMA_VERSION
    assert 'class="si-step si-current"' in sample["flush"]["dot"]


def test_widgets_never_import_the_orm():
    for path in (ROOT / "inspector" / "widgets").glob("*.py"):
        text = path.read_text()
        assert "inspector.orm" not in text and "from ..orm" not in text, path.name


def test_static_html_lists_left_objects_apart_and_the_sql_log(sample):
    from inspector.widgets._html import snapshot_html

    gone = {**sample["objects"][0], "id": "o99", "status": "detached", "in_session": False}
    html = snapshot_html({**sample, "objects": [*sample["objects"], gone]})
    assert "Left the session (1):" in html
    held, left = html.split("Left the session (1):")
    assert held.count("<td") > left.count("<td") > 0
    assert "SQL log (last 3):" in html and "an inspector button" in html
    assert "N+1: load of User.addresses" in html


def test_pushes_go_as_patches_once_a_frontend_says_hello(widget, source, sample, monkeypatch):
    from inspector.trace.patch import apply_patch

    sent, states = [], []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: sent.append(content))
    monkeypatch.setattr(widget, "send_state", lambda key=None: states.append(key))
    monkeypatch.setattr(type(widget), "comm", object(), raising=False)
    # before the hello (nbclient, or a front-end still loading): whole snapshots
    source.push({**sample, "seq": 8, "narration": [_said("something happened")]})
    assert sent == [] and widget.snapshot["seq"] == 8 and states == ["snapshot"]
    frontend(widget, {"type": "hello"})
    front = copy.deepcopy(widget.snapshot)  # what the front-end holds
    objects = [dict(o) for o in sample["objects"]]
    objects[1] = {**objects[1], "status": "persistent"}
    nxt = {**sample, "seq": 9, "objects": objects, "narration": [_said("something happened")]}
    source.push(nxt)
    assert [m["type"] for m in sent] == ["patch"]
    patch = sent[0]["patch"]
    assert patch["change"] == {objects[1]["id"]: {"status": "persistent"}}
    assert patch["base"] == 8
    assert apply_patch(patch, front) == nxt
    assert widget.snapshot == nxt  # the trait holds all of it: reloads and later views
    assert widget.patches_sent == 1
    assert states == ["snapshot"], "the trait changed without syncing it whole"
    # a front-end that missed one asks for the whole snapshot again
    frontend(widget, {"type": "resync"})
    assert states == ["snapshot", "snapshot"]
    # a reloaded page says hello again: it may have missed patches while loading
    frontend(widget, {"type": "hello"})
    assert states == ["snapshot", "snapshot", "snapshot"]


def test_repr_html_stays_small_at_10k_objects(source, sample):
    many = [dict(sample["objects"][0], id="o%d" % i, label="User(%d)" % i) for i in range(10_000)]
    source.current = {**sample, "objects": many, "new": [o["id"] for o in many]}
    w = SessionInspectorWidget(source)
    try:
        html = w._repr_html_()
        assert len(html) < 30_000
        assert "10000 objects in the session" in html and "9975 more" in html
    finally:
        w.close()


def test_a_big_snapshot_is_not_resent_for_a_new_seq_alone(source, sample, monkeypatch):
    many = [dict(sample["objects"][0], id="o%d" % i) for i in range(1_000)]
    source.current = {**sample, "objects": many}
    w = SessionInspectorWidget(source)
    states = []
    monkeypatch.setattr(w, "send_state", lambda key=None: states.append(key))
    monkeypatch.setattr(type(w), "comm", object(), raising=False)
    try:
        source.push({**source.current, "seq": 8})  # e.g. the cell's end, right after creation
        assert states == [] and w.snapshot["seq"] == 7
        source.push({**source.current, "seq": 9, "narration": [_said("x")]})
        assert states == ["snapshot"] and w.snapshot["seq"] == 9
    finally:
        monkeypatch.undo()
        w.close()
