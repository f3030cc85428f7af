"""Saved-notebook size: the Graphviz runtime is stored once, each inspector adds only a little.

anywidget keeps every widget's ``_esm`` in the notebook's saved widget state, so the heavy
WebAssembly Graphviz must live in the one shared GraphvizRuntime model.  Executes small notebooks
with nbclient (a real kernel, no browser) and measures the saved .ipynb bytes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "sample_snapshot.json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

NOTEBOOK_BUDGET = 2_000_000  # a saved walkthrough notebook
PER_WIDGET_BUDGET = 50_000  # each additional inspector

SETUP = f"""
import json
from inspector.widgets import SessionInspectorWidget

class FixtureSource:
    def __init__(self, n=None):
        self.current = json.loads(open({str(FIXTURE)!r}, encoding="utf-8").read())
        if n:  # n pending objects, like 10,000 users added before a flush
            base = self.current["objects"][1]
            objects = [dict(base, id="o%d" % i, label="User o%d" % i) for i in range(1, n + 1)]
            self.current = dict(self.current, objects=objects, new=[o["id"] for o in objects],
                                dirty=[], deleted=[])
    def snapshot(self):
        return self.current
    def subscribe(self, callback):
        return lambda: None
    def command(self, name):
        raise RuntimeError("read-only fixture")
"""


def run_notebook(n_widgets: int, tmp_path: Path, n_objects: int = 0) -> tuple[int, dict]:
    cells = [nbformat.v4.new_code_cell(SETUP)]
    show = f"SessionInspectorWidget(FixtureSource({n_objects or None}))"
    cells += [nbformat.v4.new_code_cell(show) for _ in range(n_widgets)]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    env_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    os.environ["PYTHONPATH"] = env_path  # the kernel inherits it
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    path = tmp_path / f"inspectors-{n_widgets}-{n_objects}.ipynb"
    nbformat.write(nb, path)
    return path.stat().st_size, nb


@pytest.fixture(scope="module")
def sizes(tmp_path_factory):
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("kernel start-up not exercised on Windows")
    tmp = tmp_path_factory.mktemp("nb")
    old = os.environ.get("PYTHONPATH")
    try:
        found = {n: run_notebook(n, tmp) for n in (1, 3)}
        found[10_000] = run_notebook(1, tmp, n_objects=10_000)
        return found
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def test_runtime_stored_once(sizes):
    state = sizes[3][1].metadata["widgets"][WIDGET_STATE]["state"]
    by_class = {}
    for model in state.values():
        esm = model["state"].get("_esm")
        if esm is not None:
            by_class.setdefault(len(esm) > 500_000, []).append(model)
    assert len(by_class[True]) == 1, "exactly one model carries the Graphviz runtime"
    assert len(by_class[False]) == 3


def test_notebook_size_budget(sizes, capsys):
    one, _ = sizes[1]
    three, _ = sizes[3]
    per_widget = (three - one) / 2
    with capsys.disabled():
        print(f"\n[size] saved notebook: 1 inspector {one:,} B, 3 inspectors {three:,} B, "
              f"+{per_widget:,.0f} B per extra inspector")  # fmt: skip
    assert one < NOTEBOOK_BUDGET
    assert three < NOTEBOOK_BUDGET
    assert per_widget < PER_WIDGET_BUDGET


def test_outputs_stay_small_at_10k_objects(sizes, capsys):
    """The cell's output (the widget view and its _repr_html_ fallback) does not grow with the
    session: the snapshot lives once, in the widget state (which an offline export needs)."""
    total, nb = sizes[10_000]
    outputs = nbformat.writes(nbformat.v4.new_notebook(cells=nb.cells))
    html = [o["data"].get("text/html", "") for c in nb.cells for o in c.get("outputs", ())
            if "data" in o]
    with capsys.disabled():
        print(f"\n[size] 10,000 objects: notebook {total:,} B, cells and outputs "
              f"{len(outputs):,} B, text/html fallback {max(map(len, html), default=0):,} B")
    assert len(outputs) < 100_000
    assert all(len(h) < 30_000 for h in html)
