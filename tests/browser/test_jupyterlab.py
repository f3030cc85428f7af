"""The walkthrough notebook in a real JupyterLab, driven by headless Chromium.

Runs every cell of notebooks/01-first-flush.ipynb, waits for the flush graph of the inspector
widgets to render, then clicks *Step* on the last inspector widget and waits until both the
highlighted step in the graph and the identity map table change.  Screenshots go to artifacts/.
(Server and page fixtures: tests/browser/lab_fixtures.py.)
"""

from __future__ import annotations

import pytest

NOTEBOOK = "notebooks/01-first-flush.ipynb"

# class names of the front-end (js/src/widget.ts)
WIDGET = ".jp-OutputArea-output .si-root"
GRAPH_SVG = ".si-graph svg"
CURRENT_TITLE = ".si-graph svg g.node.si-current title"
IDENTITY_TABLE = "table.si-objects"
STEP_BUTTON = "button.si-step"

# state of the last inspector widget on the page, read in one go
LAST_WIDGET_STATE_JS = """([widget, current, table]) => {
  const roots = document.querySelectorAll(widget);
  const root = roots[roots.length - 1];
  if (!root) return null;
  return {
    widgets: roots.length,
    svg: !!root.querySelector('.si-graph svg'),
    current: [...root.querySelectorAll(current)].map(t => t.textContent.trim()).join(' | '),
    table: root.querySelector(table)?.innerText ?? '',
    error: root.querySelector('.si-error')?.textContent ?? '',
  };
}"""

CHANGED_JS = """([widget, current, table, before]) => {
  const roots = document.querySelectorAll(widget);
  const root = roots[roots.length - 1];
  const now = [...root.querySelectorAll(current)].map(t => t.textContent.trim()).join(' | ');
  const text = root.querySelector(table)?.innerText ?? '';
  return now !== before.current && text !== before.table;
}"""


def _error_outputs(page) -> list[str]:
    return page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts()


def test_walkthrough_step_in_jupyterlab(jupyterlab, lab_page, artifacts_dir):
    page, lab = lab_page, jupyterlab
    if not (lab.root / NOTEBOOK).is_file():
        pytest.fail(f"{NOTEBOOK} is missing: the walkthrough notebook is required")
    shots = artifacts_dir / "browser"
    shots.mkdir(exist_ok=True)

    lab.open_notebook(page, NOTEBOOK)
    ran = lab.run_all_cells(page)
    if not ran:
        page.screenshot(path=shots / "lab-failed.png", full_page=True)
        pytest.fail(f"a cell of {NOTEBOOK} failed in JupyterLab: {_error_outputs(page)!r}")
    widgets = page.locator(WIDGET)
    try:
        widgets.last.locator(GRAPH_SVG).wait_for(timeout=60_000)
        page.wait_for_function(
            "([w, c]) => { const r = [...document.querySelectorAll(w)].pop();"
            " return !!r && r.querySelectorAll(c).length > 0; }",
            arg=[WIDGET, CURRENT_TITLE],
            timeout=30_000,
        )
    except Exception:
        page.screenshot(path=shots / "lab-failed.png", full_page=True)
        raise AssertionError(
            "the last inspector widget drew no graph with a current step;"
            f" cell stderr/errors: {_error_outputs(page)!r}; page errors: {page.errors!r}"
        ) from None

    last = widgets.last
    before = page.evaluate(LAST_WIDGET_STATE_JS, [WIDGET, CURRENT_TITLE, IDENTITY_TABLE])
    print(f"{before['widgets']} inspector widget(s); current step before: {before['current']!r}")
    assert before["current"], "no highlighted step (g.node.si-current) in the last widget"
    assert before["table"], "the identity map table of the last widget is empty"
    last.scroll_into_view_if_needed()
    page.screenshot(path=shots / "lab-before-step.png", full_page=True)
    last.screenshot(path=shots / "widget-before-step.png")

    button = last.locator(STEP_BUTTON)
    assert button.is_enabled(), "the Step button of the last widget is disabled"
    button.click()
    try:
        page.wait_for_function(
            CHANGED_JS, arg=[WIDGET, CURRENT_TITLE, IDENTITY_TABLE, before], timeout=30_000
        )
    except Exception:
        page.screenshot(path=shots / "lab-step-failed.png", full_page=True)
        now = page.evaluate(LAST_WIDGET_STATE_JS, [WIDGET, CURRENT_TITLE, IDENTITY_TABLE])
        raise AssertionError(
            f"Step did not change both the current step and the identity map:\n"
            f"before: {before}\nafter: {now}\npage errors: {page.errors!r}"
        ) from None
    after = page.evaluate(LAST_WIDGET_STATE_JS, [WIDGET, CURRENT_TITLE, IDENTITY_TABLE])
    print(f"current step after: {after['current']!r}")
    assert not after["error"], f"the widget shows an error: {after['error']}"
    page.screenshot(path=shots / "lab-after-step.png", full_page=True)
    last.screenshot(path=shots / "widget-after-step.png")
    assert page.errors == [], f"uncaught errors in the page: {page.errors}"
