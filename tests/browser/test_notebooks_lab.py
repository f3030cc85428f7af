"""Every notebook of notebooks/ in a real JupyterLab: run all cells, then use every inspector.

For each notebook (the walkthrough and the classroom series), in Chromium, tests/browser/series.py
runs all cells, presses Step to the end of a flush and Run on every inspector, asks Why? and drags
the timeline slider on the last one, and fails on any widget, graph, output, page or console
error.  Screenshots of each notebook and of each view go to ``artifacts/browser/notebooks/``; the
README's screenshots are small copies of some of them (``docs/screenshots/``).
Fixtures: ``jupyterlab`` / ``lab_page`` (tests/browser/lab_fixtures.py).
"""

from __future__ import annotations

import json

import pytest
from series import NOTEBOOKS, exercise


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_in_jupyterlab(notebook, jupyterlab, lab_page, artifacts_dir):
    summary = exercise(jupyterlab, lab_page, notebook, artifacts_dir / "browser" / "notebooks")
    print("\n" + json.dumps(summary))
