"""SessionInspectorWidget in a real JupyterLab.

Three inspectors share one Graphviz runtime; Step goes to Python and comes back as a re-rendered
graph; the dark theme is followed.  Fixtures: ``jupyterlab``/``lab_page`` from
tests/browser/lab_fixtures.py, ``browser`` from tests/browser/conftest.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from walkthrough import LOW_CONTRAST_JS

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "sample_snapshot.json"

SETUP = f"""
import copy, json, re
from inspector.widgets import SessionInspectorWidget

class SteppingSource:
    '''Replays the fixture's flush: each "step" moves the cursor one node on.'''
    def __init__(self):
        self.current = json.loads(open({str(FIXTURE)!r}, encoding="utf-8").read())
        self.callbacks = []
    def snapshot(self):
        return self.current
    def subscribe(self, callback):
        self.callbacks.append(callback)
        return lambda: self.callbacks.remove(callback)
    def command(self, name):
        flush = self.current["flush"]
        if name != "step" or flush["cursor"] >= len(flush["steps"]) - 1:
            raise RuntimeError(f"{{name}}: not in this demo <b>bold?</b>")
        snap = copy.deepcopy(self.current)
        flush = snap["flush"]
        flush["steps"][flush["cursor"]]["state"] = "done"
        flush["cursor"] += 1
        flush["steps"][flush["cursor"]]["state"] = "current"
        dot = flush["dot"].replace("si-step si-current", "si-step si-done")
        node = flush["steps"][flush["cursor"]]["node"]
        flush["dot"] = dot.replace(f'"{{node}}", class="si-step si-pending"',
                                   f'"{{node}}", class="si-step si-current"')
        snap["seq"] += 1
        self.current = snap
        for cb in list(self.callbacks):
            cb(snap)
"""

CURRENT_TITLES_JS = """(i) => [...document.querySelectorAll('.jp-OutputArea-output .si-root')][i]
    ?.querySelector('svg g.node.si-current title')?.textContent"""


def write_notebook(path: Path, cells: list[str]) -> None:
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": [
            {"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": src,
             "outputs": [], "execution_count": None}
            for i, src in enumerate(cells)
        ],
    }  # fmt: skip
    path.write_text(json.dumps(nb))


def test_inspectors_in_jupyterlab(jupyterlab, lab_page, artifacts_dir):
    page = lab_page
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    write_notebook(
        jupyterlab.root / "inspector-widget.ipynb",
        [SETUP, "w1 = SessionInspectorWidget(SteppingSource())\nw1",
         "w2 = SessionInspectorWidget(SteppingSource())\nw2",
         "w3 = SessionInspectorWidget(SteppingSource())\nw3",
         "assert w1._graphviz is w2._graphviz is w3._graphviz\nw1._graphviz"],
    )  # fmt: skip
    jupyterlab.open_notebook(page, "inspector-widget.ipynb")
    jupyterlab.run_all_cells(page)

    roots = page.locator(".jp-OutputArea-output .si-root")
    roots.nth(2).wait_for(timeout=60_000)
    assert roots.count() == 3
    for i in range(3):  # every inspector drew its graph with the one shared runtime
        page.wait_for_function(
            f"({CURRENT_TITLES_JS})({i}) === 'ProcessAll(User.addresses)'", timeout=30_000
        )
        assert roots.nth(i).locator("img").count() == 0
        assert "<img src=x onerror=alert(1)>" in roots.nth(i).inner_text()

    first = roots.nth(0)
    first.locator("button.si-step").click()  # JS -> Python -> source -> push -> JS
    page.wait_for_function(f"({CURRENT_TITLES_JS})(0) === 'SaveUpdateAll(Address)'", timeout=30_000)
    assert page.evaluate(f"({CURRENT_TITLES_JS})(1)") == "ProcessAll(User.addresses)"
    first.locator("button.si-step").click()
    page.wait_for_function(f"({CURRENT_TITLES_JS})(0) === 'DeleteAll(Address)'", timeout=30_000)
    first.locator("button.si-run").click()  # the demo source refuses: error line, as text
    error = first.locator(".si-error")
    error.wait_for(state="visible", timeout=30_000)
    assert error.text_content() == "RuntimeError: run: not in this demo <b>bold?</b>"
    assert first.locator(".si-error b").count() == 0

    first.screenshot(path=str(artifacts_dir / "inspector-jupyterlab.png"))
    unreadable = first.evaluate(LOW_CONTRAST_JS)
    assert unreadable == [], f"text too faint on its background in the light theme: {unreadable}"

    page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme',"
                  " {theme: 'JupyterLab Dark'})")  # fmt: skip
    page.wait_for_function("document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    page.wait_for_timeout(300)  # theme CSS variables settle
    rgb = first.evaluate("e => getComputedStyle(e).color.match(/\\d+/g).slice(0, 3).map(Number)")
    assert sum(rgb) / 3 > 150, f"text colour {rgb} does not follow the dark theme"
    first.locator("details.si-rollback").first.evaluate("d => d.open = true")
    first.screenshot(path=str(artifacts_dir / "inspector-jupyterlab-dark.png"))
    unreadable = first.evaluate(LOW_CONTRAST_JS)
    assert unreadable == [], f"text too faint on its background in the dark theme: {unreadable}"
    first.locator("button.si-layout").click()  # compact: identity map + plan
    first.locator("button.si-large-text").click()
    assert first.locator(".si-section").count() == 2
    first.screenshot(path=str(artifacts_dir / "inspector-jupyterlab-dark-compact-large.png"))
    assert first.evaluate(LOW_CONTRAST_JS) == []

    assert page.errors == [], page.errors
    assert not [m for m in console if "[session-inspector]" in m], console
