"""The notebooks in a real Jupyter Notebook 7 (package ``notebook``) + kernel.

Notebook 7 is the second front end the issue names (with JupyterLab and VS Code).  It serves
every notebook on a page of its own (``/notebooks/<path>``, no workspaces) but is built from
JupyterLab's packages, so the walks written for JupyterLab run unchanged:

* the walkthrough (tests/browser/walkthrough.py): run all cells, Step through whole flushes and
  Run on both inspectors, which must agree, Why?, the timeline, Run to, layouts, dark theme;
* every notebook of notebooks/ (tests/browser/series.py, as tests/browser/test_notebooks_lab.py
  does in JupyterLab): run all cells, Step to the end and Run on every inspector, Why? and the
  timeline slider on the last one;

each with no widget error, failed cell, error output, page error or browser console error.
Screenshots: artifacts/browser/notebook7-*.png and artifacts/browser/notebook7/.
One ``jupyter notebook`` server (lab_fixtures.jupyter_server) serves the whole module; each
notebook's kernel is shut down when its test ends.  The page is lab_fixtures' ``lab_page``.
Without Chromium the tests skip (fail under CI=true) before any server starts.
"""

from __future__ import annotations

import json

import pytest
from lab_fixtures import jupyter_server
from series import NOTEBOOKS, exercise
from walkthrough import walk


@pytest.fixture(scope="module")
def notebook7(browser, tmp_path_factory):  # ``browser`` first: no server when Chromium is missing
    pytest.importorskip(
        "notebook",
        minversion="7",
        reason="notebook>=7 is not installed: pip install 'notebook>=7' for this browser test",
    )
    with jupyter_server(tmp_path_factory.mktemp("notebook7"), "notebook") as server:
        yield server


def test_walkthrough_buttons_in_notebook7(lab_page, notebook7, artifacts_dir):
    summary = walk(notebook7, lab_page, artifacts_dir / "browser", prefix="notebook7-")
    print(f"\n{summary}; Notebook 7's own start-up page errors forgiven: {notebook7.forgiven}")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_in_notebook7(notebook, notebook7, lab_page, artifacts_dir):
    summary = exercise(notebook7, lab_page, notebook, artifacts_dir / "browser" / "notebook7")
    print(f"\n{json.dumps(summary)}; Notebook 7's own start-up page errors forgiven:"
          f" {len(notebook7.forgiven)}")
