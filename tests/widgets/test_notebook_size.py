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
    def __init__(self):
        self.current = json.loads(open({str(FIXTURE)!r}, encoding="utf-8").read())
    def snapshot(self):
        return self.current
    def subscribe(self, callback):
        return lambda: None
    def command(self, name):
        raise RuntimeError("read-only fixture")
"""


def run_notebook(n_widgets: int, tmp_path: Path) -> tuple[int, dict]:
    cells = [nbformat.v4.new_code_cell(SETUP)]
    show = "SessionInspectorWidget(FixtureSource())"
    cells += [nbformat.v4.new_code_cell(show) for _ in range(n_widgets)]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    env_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    os.environ["PYTHONPATH"] = env_path  # the kernel inherits it
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    path = tmp_path / f"inspectors-{n_widgets}.ipynb"
    nbformat.write(nb, path)
    return path.stat().st_size, nb.metadata["widgets"][WIDGET_STATE]["state"]


@pytest.fixture(scope="module")
def sizes(tmp_path_factory):
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("kernel start-up not exercised on Windows")
    tmp = tmp_path_factory.mktemp("nb")
    old = os.environ.get("PYTHONPATH")
    try:
        return {n: run_notebook(n, tmp) for n in (1, 3)}
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def test_runtime_stored_once(sizes):
    _, state = sizes[3]
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
