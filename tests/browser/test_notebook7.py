"""The walkthrough notebook in a real Jupyter Notebook 7 (package ``notebook``) + kernel.

Notebook 7 is the second front end the issue names (with JupyterLab and VS Code).  It serves
every notebook on a page of its own (``/notebooks/<path>``, no workspaces) but is built from
JupyterLab's packages, so the walk of tests/browser/walkthrough.py runs unchanged: run all cells,
Step through whole flushes and Run on both inspectors, which must agree, with no widget error,
failed cell, page error or browser console error.  Screenshots: artifacts/browser/notebook7-*.png.
The server is ``jupyter notebook`` started by lab_fixtures.jupyter_server (module scope: only
this test uses it); the page is lab_fixtures' ``lab_page``.  Without Chromium the test skips
(fails under CI=true) before any server starts.
"""

from __future__ import annotations

import pytest
from lab_fixtures import jupyter_server
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
