"""The built front-end (inspector/static) in headless Chromium with a fake anywidget model.

tests/js-harness/index.html mounts ``widget.js`` with a fake model holding
tests/fixtures/sample_snapshot.json and a fake ``host`` whose ``getWidget`` runs the real
``graphviz-runtime.js`` (WebAssembly Graphviz).  No Jupyter involved.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sample_snapshot.json"
HOSTILE = "<img src=x onerror=alert(1)>"
CURRENT = "ProcessAll(User.addresses)"


@pytest.fixture
def sample():
    return json.loads(FIXTURE.read_text())


@pytest.fixture
def harness(page, static_server):
    """The harness page with the widget rendered and its graph drawn."""
    page.goto(f"{static_server}/tests/js-harness/index.html")
    page.wait_for_function("window.widgetReady === true", timeout=20_000)
    page.wait_for_selector("#root .si-graph svg g.node", timeout=20_000)
    yield page
    assert page.errors == [], page.errors
    assert page.dialogs == [], "a snapshot value ran as code"


def texts(page, selector):
    return page.locator(selector).all_text_contents()


def set_snapshot(page, snap):
    page.evaluate("(s) => model.set('snapshot', s)", snap)


def test_identity_map_rows(harness, sample):
    rows = harness.locator("#root table.si-objects tbody tr.si-object")
    assert rows.count() == len(sample["objects"]) == 5
    assert texts(harness, "tr.si-object td.si-class") == [
        "User",
        "User",
        "Address",
        "Address",
        "Address",
    ]
    assert texts(harness, "tr.si-object td.si-identity") == ["(1,)", "—", "—", "(1,)", "(2,)"]
    badges = harness.locator("tr.si-object .si-badge")
    assert badges.all_text_contents() == [
        "persistent",
        "pending",
        "pending",
        "persistent",
        "persistent",
    ]
    assert "si-status-pending" in badges.nth(1).get_attribute("class")
    pending_bg = badges.nth(1).evaluate("e => getComputedStyle(e).backgroundColor")
    persistent_bg = badges.nth(0).evaluate("e => getComputedStyle(e).backgroundColor")
    assert pending_bg != persistent_bg  # coloured by status
    marks = texts(harness, "tr.si-object td.si-marks")
    assert marks == ["dirty", "new", "new", "", "deleted"]
    changes = texts(harness, "tr.si-object[data-id=o2] .si-change")
    assert changes == ["name: ∅ → 'wendy'", "addresses: +Address (pending)"]
    assert "expired: email" in harness.locator("tr.si-object[data-id=o4]").inner_text()


def test_hostile_value_is_text(harness):
    change = harness.locator("tr.si-object[data-id=o1] .si-change")
    assert change.all_text_contents() == [f"nickname: 'eddie' → '{HOSTILE}'"]
    assert harness.locator("#root img").count() == 0
    assert HOSTILE in harness.locator("#root .si-events").inner_text()
    assert HOSTILE in harness.locator("#root .si-sql-meta").first.inner_text()
    harness.locator("tr.si-object[data-id=o1] summary").click()
    assert HOSTILE in harness.locator("tr.si-object[data-id=o1] dl").inner_text()
    assert harness.locator("#root img").count() == 0


def test_transaction_stack_outermost_first(harness):
    items = harness.locator("#root .si-txstack li.si-tx")
    assert items.count() == 3
    assert texts(harness, ".si-tx .si-tx-kind") == ["root", "nested", "subtransaction"]
    assert texts(harness, ".si-tx .si-badge") == ["active"] * 3
    assert texts(harness, ".si-tx .si-tx-conn") == ["1 connection"] * 3
    assert texts(harness, ".si-tx .si-tx-savepoint") == ["sa_savepoint_1"]


def test_graph_marks_current_step(harness):
    svg = harness.locator("#root .si-graph svg")
    assert svg.locator("g.node").count() == 4
    assert svg.locator("g.edge").count() == 3
    current = svg.locator("g.node.si-current")
    assert current.count() == 1
    assert current.locator("title").text_content() == CURRENT
    shape = current.locator("polygon, path, ellipse").first
    width = shape.evaluate("e => parseFloat(getComputedStyle(e).strokeWidth)")
    assert width >= 2.5  # styled prominently by widget.css
    assert harness.locator("#root .si-graph script, #root .si-graph foreignObject").count() == 0


def test_steps_with_sql_and_synced_keys(harness, sample):
    rows = harness.locator("#root ol.si-steps li.si-steprow")
    assert rows.count() == 4
    assert texts(harness, ".si-steprow .si-step-label") == [
        s["label"] for s in sample["flush"]["steps"]
    ]
    assert "si-steprow-current" in rows.nth(1).get_attribute("class")
    assert texts(harness, ".si-steprow:nth-child(1) .si-sql-text") == [
        "UPDATE users SET nickname=? WHERE users.id = ?",
        "INSERT INTO users (name, nickname) VALUES (?, ?)",
    ]
    assert "keys (2,)" in rows.nth(0).inner_text()
    assert harness.locator(".si-flush-status").text_content() == "flush open · next step 2 of 4"

    snap = copy.deepcopy(sample)
    step = snap["flush"]["steps"][1]
    step["state"], step["synced"] = "done", ["Address(pending).user_id = 2"]
    snap["flush"]["cursor"] = 2
    snap["flush"]["dot"] = snap["flush"]["dot"].replace("si-step si-current", "si-step si-done")
    snap["flush"]["dot"] = snap["flush"]["dot"].replace(
        '"SaveUpdateAll(Address)", class="si-step si-pending"',
        '"SaveUpdateAll(Address)", class="si-step si-current"',
    )
    set_snapshot(harness, snap)
    assert texts(harness, ".si-steprow:nth-child(2) .si-synced li") == [
        "synced Address(pending).user_id = 2"
    ]
    harness.wait_for_function(
        "document.querySelector('#root svg g.node.si-current title')?.textContent"
        " === 'SaveUpdateAll(Address)'"
    )


def test_buttons_send_commands(harness, sample):
    step, run, abort = (harness.locator(f"#root button.si-{n}") for n in ("step", "run", "abort"))
    assert [b.is_enabled() for b in (step, run, abort)] == [True, True, True]
    step.click()
    assert harness.evaluate("model.sent") == [{"type": "command", "name": "step"}]
    assert not step.is_enabled()  # busy until Python acknowledges
    harness.evaluate("model.receive({type: 'ack', name: 'step'})")
    assert step.is_enabled()
    run.click()
    harness.evaluate("model.receive({type: 'ack', name: 'run'})")
    abort.click()
    assert [m["name"] for m in harness.evaluate("model.sent")] == ["step", "run", "abort"]
    harness.evaluate("model.receive({type: 'ack', name: 'abort'})")

    done = copy.deepcopy(sample)
    done["flush"]["status"], done["flush"]["cursor"] = "complete", 4
    set_snapshot(harness, done)
    assert [b.is_enabled() for b in (step, run, abort)] == [True, True, False]
    set_snapshot(harness, {**sample, "flush": None})
    assert not abort.is_enabled()
    assert harness.locator(".si-flush-status").text_content() == "no flush planned"


def test_error_line(harness):
    line = harness.locator("#root .si-error")
    assert line.is_hidden()
    harness.evaluate(f"model.set('error', {json.dumps('FlushError: ' + HOSTILE)})")
    assert line.is_visible()
    assert line.text_content() == f"FlushError: {HOSTILE}"
    assert harness.locator("#root img").count() == 0
    harness.evaluate("model.set('error', '')")
    assert line.is_hidden()


def test_bad_dot_shows_graph_error(harness, sample):
    snap = copy.deepcopy(sample)
    snap["flush"]["dot"] = "digraph { a -> "
    set_snapshot(harness, snap)
    harness.wait_for_selector("#root pre.si-graph-error", timeout=10_000)
    assert "Graph unavailable" in harness.locator("#root pre.si-graph-error").text_content()


def test_cleanup_removes_listeners(harness):
    assert harness.evaluate("model.listenerCount()") == 3  # snapshot, error, msg:custom
    harness.evaluate("cleanup()")
    assert harness.evaluate("model.listenerCount()") == 0
    assert harness.locator("#root *").count() == 0
    harness.evaluate("model.set('snapshot', fixture)")  # no view left to update, no error
    assert harness.locator("#root *").count() == 0


def test_runtime_shared_and_found_without_host(page, static_server):
    """Without anywidget's host API the view waits for the runtime to publish itself."""
    page.goto(f"{static_server}/tests/js-harness/index.html?host=none")
    page.wait_for_function("window.widgetReady === true", timeout=20_000)
    page.wait_for_selector("#root .si-graph svg g.node.si-current", timeout=20_000)
    assert page.errors == []


def test_host_get_widget_called_once_per_page(harness):
    harness.evaluate("cleanup()")
    harness.evaluate("remount()")
    harness.wait_for_selector("#root .si-graph svg g.node.si-current", timeout=10_000)
    assert harness.evaluate("host.calls") == ["anywidget:runtime0"]
