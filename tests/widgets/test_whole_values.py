"""The widget's one small message for values cut short, and the hostile fixture in the static
HTML: ``{"type": "full", "ref": ...}`` is answered with the whole text from the recorder."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "orm"))
from models import User, new_session  # noqa: E402

from inspector.trace import Recorder  # noqa: E402
from inspector.widgets import SessionInspectorWidget  # noqa: E402
from inspector.widgets._html import snapshot_html  # noqa: E402

HOSTILE = ROOT / "tests" / "fixtures" / "hostile_snapshot.json"


@pytest.fixture
def inspector(monkeypatch):
    s, _ = new_session()
    rec = Recorder(s)
    w = SessionInspectorWidget(rec)
    sent = []
    monkeypatch.setattr(w, "send", lambda content, buffers=None: sent.append(content))
    yield s, rec, w, sent
    w.close()
    rec.close()


def test_a_full_request_is_answered_with_the_whole_text(inspector):
    s, rec, w, sent = inspector
    u = User(name="n" * 5000)
    s.add(u)
    rec.push()
    obj = next(o for o in w.snapshot["objects"] if o["cls"] == "User")
    name = next(a for a in obj["attributes"] if a["name"] == "name")
    assert name["value"].endswith("…") and len(name["value"]) == 80
    ref = "attr:%s:name" % obj["id"]
    w._handle_custom_msg({"type": "full", "ref": ref}, [])
    assert sent == [{"type": "full", "ref": ref, "text": repr("n" * 5000)}]
    w._handle_custom_msg({"type": "full", "ref": "sql:12345"}, [])
    assert sent[-1]["error"] == "LookupError: statement #12345 is no longer in the log"
    w._handle_custom_msg({"type": "full", "ref": {"not": "a string"}}, [])
    assert "error" in sent[-1]
    assert s.new  # nothing flushed or loaded by asking
    assert len(sent) == 3


def test_a_source_without_whole_values_says_so(monkeypatch):
    class Bare:
        def snapshot(self):
            return {"seq": 1}

        def subscribe(self, cb):
            return lambda: None

        def command(self, name):
            pass

    w = SessionInspectorWidget(Bare())
    sent = []
    monkeypatch.setattr(w, "send", lambda content, buffers=None: sent.append(content))
    w._handle_custom_msg({"type": "full", "ref": "attr:o1:x"}, [])
    assert sent == [{"type": "full", "ref": "attr:o1:x",
                     "error": "this source keeps no whole values"}]
    w.close()


def test_hostile_fixture_in_the_static_html():
    snap = json.loads(HOSTILE.read_text())
    html = snapshot_html(snap, error="<script>window.__pwned=1</script>")
    for bad in ("<script", "<img", "<svg", "\x00", "\u202e", "\u2066"):
        assert bad not in html
    assert "\\u202e" in html  # shown, as an escape
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html


def test_hostile_fixture_is_current():
    """The fixture has the fields of today's snapshot (regenerate it when they change:
    tests/fixtures/make_hostile_snapshot.py)."""
    from inspector.trace import snapshot as snapshot_module

    snap = json.loads(HOSTILE.read_text())
    fields = {f.name for f in snapshot_module.dataclasses.fields(snapshot_module.SqlView)}
    assert set(snap["sql"][0]) == fields
    fields = {f.name for f in snapshot_module.dataclasses.fields(snapshot_module.SessionSnapshot)}
    assert set(snap) == fields


def test_export_embeds_hostile_snapshots_as_inert_json():
    """The offline export puts each snapshot in a <script type="application/json">: no value may
    end it early or make the HTML parser skip its end tag ("<!--" then "<script")."""
    from html.parser import HTMLParser

    from inspector.export import _script_json

    snap = json.loads(HOSTILE.read_text())
    snap["narration"].append({"text": "<!--<script>", "cell": None, "flush": 0, "command": ""})
    embedded = _script_json({"snapshot": snap, "error": "</SCRIPT><script>x()</script>"})
    assert "<" not in embedded and ">" not in embedded
    assert json.loads(embedded) == {"snapshot": snap, "error": "</SCRIPT><script>x()</script>"}

    class Scripts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.tags = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.data.append(data)

    page = Scripts()
    page.feed('<script type="application/json">%s</script><p>after</p>' % embedded)
    assert page.tags == ["script", "p"]
    assert json.loads(page.data[0])["snapshot"] == snap


def test_static_html_shows_batches_and_failures():
    snap = json.loads(HOSTILE.read_text())
    snap["sql"][1]["batch"] = 500
    html = snapshot_html(snap)
    assert "\u00d7 500" in html
    assert 'failed: &lt;script&gt;' in html  # the planted error, escaped
