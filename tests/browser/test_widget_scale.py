"""10,000 pending objects in a real JupyterLab: the inspector draws a window of rows, reaches all
of them by search, takes a one-object change as a small patch and steps the flush.

Function only (timings vary with the machine): ``python -m benchmarks.widget_scale --browser``
prints the numbers.  Fixtures: ``jupyterlab``/``lab_page`` (tests/browser/lab_fixtures.py).
"""

from __future__ import annotations

import os

from benchmarks.widget_scale import ROWS, STATUS, measure_in_lab

N = int(os.environ.get("SI_SCALE_OBJECTS", "10000"))


def test_ten_thousand_objects_in_jupyterlab(jupyterlab, lab_page, artifacts_dir):
    page = lab_page
    frames: list = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
    numbers = measure_in_lab(jupyterlab, page, N, frames)  # asserts function as it goes
    print("\n".join(f"[scale] {k}: {v}" for k, v in numbers.items()))
    assert numbers["identity rows in the DOM"] < 100
    assert numbers["DOM nodes in the inspector"] < 5_000
    assert len(numbers["patch frame bytes"]) == 1 and numbers["patch frame bytes"][0] < 4_000
    assert page.errors == []

    # a page reload gets the whole, current state from the kernel (not the first snapshot
    # plus patches it missed)
    status = page.evaluate(STATUS)
    o1 = ".si-root tr.si-object[data-id='o1']"
    assert page.locator(o1).first.inner_text().find("persistent") >= 0
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_timeout(1_000)
    page.reload()
    try:
        page.wait_for_function(f"() => ({ROWS})().length > 0", timeout=120_000)
    except Exception:
        page.screenshot(path=str(artifacts_dir / "scale-reload.png"))
        print(page.evaluate("() => document.querySelector('.jp-Notebook')?.innerText"))
        raise
    assert page.evaluate(STATUS) == status
    row = page.evaluate(f"() => document.querySelector(\"{o1}\").textContent")
    assert "renamed zero" in row and "persistent" in row, row
    assert page.errors == []
