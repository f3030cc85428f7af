"""Every notebooks/*.ipynb runs top to bottom in a fresh python3 kernel (nbclient).

The executed copy, with the widget state nbclient stores by default, is written to
artifacts/notebooks/ so it can be opened or diffed; the walkthrough notebook must stay small
enough to ship (< 2 MB once executed).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = Path(os.environ.get("SI_NOTEBOOKS_DIR", ROOT / "notebooks"))
ARTIFACTS = ROOT / "artifacts" / "notebooks"
WALKTHROUGH = "01-first-flush.ipynb"
MAX_SAVED_BYTES = 2 * 1024 * 1024
CELL_TIMEOUT = 300

FOUND = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def test_walkthrough_notebook_exists():
    assert (NOTEBOOKS / WALKTHROUGH).is_file(), (
        f"notebooks/{WALKTHROUGH} is missing: the walkthrough notebook is required"
    )


@pytest.mark.parametrize(
    "name", FOUND or [pytest.param(None, marks=pytest.mark.skip("no notebooks/*.ipynb yet"))]
)
def test_notebook_runs(name, monkeypatch):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    # the kernel inherits this environment: make the checkout importable even without pip -e
    pythonpath = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(pythonpath))
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},  # cwd of the kernel
    )
    saved = ARTIFACTS / name
    try:
        client.execute()  # raises CellExecutionError on the first failing cell
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, saved)  # also when a cell failed: easier to see what happened

    size = saved.stat().st_size
    widgets = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    print(f"{name}: executed copy {saved.relative_to(ROOT)} is {size:,} bytes "
          f"({len(widgets.get('state', {}))} widget models saved)")  # fmt: skip
    if name == WALKTHROUGH:
        assert size < MAX_SAVED_BYTES, (
            f"executed {name} is {size:,} bytes, over the {MAX_SAVED_BYTES:,} byte budget"
        )
