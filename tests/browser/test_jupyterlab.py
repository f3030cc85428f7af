"""The walkthrough notebook in a real JupyterLab + kernel, its buttons pressed like a user would.

The walk itself (Step through whole flushes and Run on both inspectors of
notebooks/01-first-flush.ipynb, which must agree, with no error anywhere) is in
tests/browser/walkthrough.py; Notebook 7 gets the same walk in test_notebook7.py.  Screenshots
go to artifacts/browser/.  (Server and page fixtures: tests/browser/lab_fixtures.py.)
"""

from __future__ import annotations

from walkthrough import walk


def test_walkthrough_buttons_on_in_memory_sqlite(jupyterlab, lab_page, artifacts_dir):
    print("\n" + walk(jupyterlab, lab_page, artifacts_dir / "browser"))
