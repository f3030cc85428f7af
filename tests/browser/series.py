"""Every notebook of notebooks/ in a real front end (JupyterLab or Notebook 7): run all cells,
then use every inspector.  Used by tests/browser/test_notebooks_lab.py (JupyterLab) and
tests/browser/test_notebook7.py (Notebook 7); :func:`exercise` does, for one notebook:

1. run all cells; none may fail;
2. on **every** inspector, the last one first (it holds the flush the notebook prepared for the
   reader): give its session something to flush when it has nothing pending (a change made from
   code, as a cell would: :data:`CHANGES`), press **Step** until the flush is complete, then make
   another change and press **Run**;
3. on the last inspector, after its flush: ask **Why?** of a statement of the SQL log, drag the
   **timeline** slider back (the "looking back" banner shows, Step is disabled) and to now;
4. switch the front end to its dark theme and back: no inspector's text may be too faint to
   read on its background in either theme;
5. fail on any error line in a widget, a graph that could not be drawn, an error or stderr output
   in the notebook, an uncaught page error or a browser console error;
6. shut the notebook's kernel down (one server serves every notebook of a test module).

Screenshots of each notebook's last inspector, and of each of its views (identity map,
transactions and plan graph midway through its flush, SQL log, narration, Why?, timeline), go to
``shots`` (``<notebook>-<view>.png``); the README's screenshots are small copies of some of the
JupyterLab ones (``docs/screenshots/``).
Both front ends are JupyterLab underneath (``window.jupyterapp``, the same ``.jp-*`` DOM), so one
walk serves both; the server is a ``Lab`` of tests/browser/lab_fixtures.py.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from walkthrough import LOW_CONTRAST_JS, VIEWS_JS, WIDGET, error_outputs

ROOT = Path(__file__).resolve().parents[2]
# the notebooks the server copies (lab_fixtures.jupyter_server): $SI_NOTEBOOKS_DIR or notebooks/
NOTEBOOKS = sorted(
    p.name for p in Path(os.environ.get("SI_NOTEBOOKS_DIR", ROOT / "notebooks")).glob("*.ipynb"))
MAX_STEPS = 40

#: code that gives session ``S`` something to flush, per notebook (default: a new User)
CHANGES = {"06-cycles-post-update.ipynb": 'S.add(Node(name="browser-{n}"))'}
DEFAULT_CHANGE = 'S.add(User(name="browser-{n}"))'

# the model id of every widget output, in page order (all cells are rendered: windowingMode none)
MODEL_IDS_JS = """() => {
  const ids = [];
  for (const cell of window.jupyterapp.shell.currentWidget.content.widgets) {
    if (cell.model.type !== 'code') continue;
    const outputs = cell.model.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const view = outputs.get(i).data['application/vnd.jupyter.widget-view+json'];
      if (view) ids.push(view.model_id);
    }
  }
  return ids;
}"""

# runs code in the kernel like a cell; resolves to its status, stdout and errors
EXECUTE_JS = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  const errors = [], out = [];
  future.onIOPub = (msg) => {
    const type = msg.header.msg_type, c = msg.content;
    if (type === 'error') errors.push(c.ename + ': ' + c.evalue);
    if (type === 'stream') (c.name === 'stderr' ? errors : out).push(c.text);
  };
  const reply = await future.done;
  return {status: reply.content.status, out: out.join(''), errors};
}"""

# inspector ``i`` has settled: not busy, moved past ``before`` (its title carries the snapshot
# number), its graph drawn for an open flush; or it shows an error
SETTLED_JS = """([sel, i, before]) => {
  const v = (%s)(sel)[i];
  if (!v) return false;
  if (v.error) return true;
  if (v.busy || v.title === before) return false;
  if (v.status.startsWith('flush') && !v.graph) return false;
  return !(v.status.includes('open') && !v.current);
}""" % VIEWS_JS

# the timeline slider moved like a user drags it
SLIDE_JS = """(input, value) => {
  input.value = String(value);
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new Event('change', {bubbles: true}));
}"""

VIEW_SECTIONS = {  # screenshot name -> what to photograph inside the inspector, midway
    "identity-map": ".si-section-identity",
    "transactions": ".si-section-transactions",
    "plan-graph": ".si-section-flush",
}

# shuts the current notebook's kernel down (resolves once it is gone)
SHUTDOWN_JS = """() => window.jupyterapp.shell.currentWidget?.sessionContext?.shutdown()"""


class Inspectors:
    """The notebook's page, its inspectors (by page order) and checks after each action."""

    def __init__(self, page, notebook: str, shots: Path, console: list[str]):
        self.page, self.notebook, self.shots, self.console = page, notebook, shots, console
        self.stem = notebook.removesuffix(".ipynb")
        self.presses = 0

    def views(self) -> list[dict]:
        return self.page.evaluate(VIEWS_JS, WIDGET)

    def root(self, i: int):
        return self.page.locator(WIDGET).nth(i)

    def shot(self, name: str, target=None, clip: bool = False) -> None:
        """A screenshot of ``target`` (default: the viewport); ``clip``: of the part of the last
        inspector in the viewport, at most 720 px high."""
        path = self.shots / f"{self.stem}-{name}.png"
        if clip:
            box = self.root(-1).bounding_box()
            top = max(box["y"], 0)
            height = min(720, self.page.viewport_size["height"] - top, box["height"])
            self.page.screenshot(path=str(path), clip={
                "x": box["x"], "y": top, "width": box["width"], "height": height})
        else:
            (target or self.page).screenshot(path=str(path))

    def check_clean(self, what: str) -> None:
        errors = [v["error"] for v in self.views() if v["error"]]
        graph = self.page.locator(f"{WIDGET} .si-graph-error").all_inner_texts()
        outputs = error_outputs(self.page)
        problems = {"widget errors": errors, "graph errors": graph, "error outputs": outputs,
                    "page errors": list(self.page.errors), "console errors": self.console}
        problems = {k: v for k, v in problems.items() if v}
        if problems:
            self.shot("failed")
        assert not problems, f"{self.notebook}: {what}: {problems}"

    def settle(self, i: int, before: str | None, what: str) -> dict:
        try:
            self.page.wait_for_function(SETTLED_JS, arg=[WIDGET, i, before], timeout=30_000)
        except Exception:
            self.shot("failed")
            views = self.views()
            state = views[i] if i < len(views) else None
            raise AssertionError(
                f"{self.notebook}: {what}: inspector {i} did not settle: {state}") from None
        self.check_clean(what)
        return self.views()[i]

    def run_code(self, code: str) -> str:
        result = self.page.evaluate(EXECUTE_JS, code)
        assert result["status"] == "ok" and not result["errors"], (self.notebook, code, result)
        return result["out"]

    def press(self, i: int, button: str) -> dict:
        before = self.views()[i]
        assert before[button], f"{self.notebook}: {button} disabled on inspector {i}: {before}"
        self.root(i).locator(f"button.si-{button}").click()
        self.presses += 1
        return self.settle(i, before["title"], f"{button} on inspector {i}")

    def give_work(self, i: int, model_id: str, force: bool = False) -> None:
        """Make sure inspector ``i``'s session has something to flush (or a flush open)."""
        change = CHANGES.get(self.notebook, DEFAULT_CHANGE).format(n=f"{i}-{self.presses}")
        code = (
            "from ipywidgets.widgets.widget import _instances\n"  # Widget.widgets, not deprecated
            f"S = _instances[{model_id!r}].source.session\n"
            f"if {force} or not (S.flush_stepper or S.new or S.dirty or S.deleted):\n"
            f"    {change}\n"
            "    print('changed')\n"
        )
        before = self.views()[i]["title"]
        if "changed" in self.run_code(code):
            self.settle(i, before, f"a change from code for inspector {i}")

    def top(self, i: int) -> None:
        """Scroll inspector ``i``'s top to the top of the notebook's viewport."""
        self.root(i).evaluate("e => e.scrollIntoView({block: 'start'})")

    def step_to_the_end(self, i: int, midway=None) -> int:
        """Press Step until the flush is complete; ``midway()`` runs after the second press
        (the plan drawn, its first step run) or once complete, whichever comes first."""
        for presses in range(1, MAX_STEPS + 1):
            view = self.press(i, "step")
            complete = view["status"] == "flush complete"
            if midway is not None and (presses == 2 or complete):
                midway()
                midway = None
            if complete:
                return presses
            assert view["status"].startswith("flush open"), (self.notebook, i, view)
        raise AssertionError(f"{self.notebook}: no complete flush after {MAX_STEPS} Steps")


def wide_graph_shot(ins: Inspectors, i: int) -> None:
    """The plan graph alone, at the inspector's whole width (the one-column layout the views
    take in a narrow output), unscrolled; the layout is put back afterwards."""
    root = ins.root(i)
    columns, frame = root.locator(".si-columns"), root.locator(".si-graph")
    columns.evaluate("e => { e.style.flexDirection = 'column'; }")
    frame.evaluate("e => { e.style.maxHeight = 'none'; }")
    try:
        ins.shot("plan-graph-wide", frame)
    finally:
        columns.evaluate("e => e.style.removeProperty('flex-direction')")
        frame.evaluate("e => e.style.removeProperty('max-height')")


def narration_shot(ins: Inspectors, i: int) -> None:
    """The narration of the last group of events (the flush just stepped), at most 700 px."""
    root = ins.root(i)
    head = root.locator("li.si-event-cell").last
    head.evaluate("e => e.scrollIntoView({block: 'start'})")
    first, last = head.bounding_box(), root.locator("ol.si-events > li").last.bounding_box()
    box = root.locator(".si-section-events").bounding_box()
    height = min(700, last["y"] + last["height"] - first["y"] + 8)
    ins.page.screenshot(path=str(ins.shots / f"{ins.stem}-narration.png"), clip={
        "x": box["x"], "y": max(first["y"] - 4, 0), "width": box["width"], "height": height})


def why_and_timeline(ins: Inspectors, i: int) -> None:
    """Why? of the newest statement of a flush, then back along the timeline and to now."""
    root = ins.root(i)
    dml = re.compile(r"(INSERT INTO|UPDATE|DELETE FROM) ")  # no \b: rows read "34INSERT"
    row = root.locator("tr.si-sqlrow.si-sqlrow-flush").filter(has_text=dml).last
    row.click()
    why = root.locator(".si-section-why")
    why.wait_for(timeout=5_000)
    text = why.inner_text()
    assert text.startswith("Why this SQL?") and "Flush #" in text, (ins.notebook, text)
    ins.shot("why", why)
    root.locator(".si-why-close").click()
    assert root.locator(".si-section-why").count() == 0

    slider = root.locator("input.si-timeline")
    moments = int(slider.get_attribute("max") or 0) + 1
    assert moments >= 3, f"{ins.notebook}: only {moments} moments on the timeline"
    slider.evaluate(SLIDE_JS, moments // 2)
    banner = root.locator(".si-past")
    banner.wait_for(state="visible", timeout=5_000)
    assert "Looking back at moment" in banner.inner_text()
    assert root.locator("button.si-step").is_disabled()
    ins.shot("timeline", root.locator(".si-travel"))
    ins.top(i)
    ins.shot("timeline-past", clip=True)
    slider.evaluate(SLIDE_JS, moments - 1)  # the last moment is now
    banner.wait_for(state="hidden", timeout=5_000)
    assert not root.locator("button.si-step").is_disabled()
    ins.check_clean("why and the timeline")


THEME_JS = "(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})"


def both_themes(ins: Inspectors) -> None:
    """Dark theme, then light again: every inspector's text readable in each (WCAG 3:1)."""
    page = ins.page
    if not page.evaluate("() => window.jupyterapp.commands.hasCommand('apputils:change-theme')"):
        return  # a front end without themes
    for theme, light in (("JupyterLab Dark", "false"), ("JupyterLab Light", "true")):
        page.evaluate(THEME_JS, theme)
        page.wait_for_function(f"document.body.dataset.jpThemeLight === '{light}'",
                               timeout=30_000)  # fmt: skip
        page.wait_for_timeout(300)  # theme CSS variables settle
        for i in range(page.locator(WIDGET).count()):
            bad = ins.root(i).evaluate(LOW_CONTRAST_JS)
            assert bad == [], f"{ins.notebook}: inspector {i}: text too faint in {theme}: {bad}"
        ins.check_clean(theme)


def exercise(server, page, notebook: str, shots: Path) -> dict:
    """Open ``notebook`` on ``server``, run it and use every inspector as described above;
    returns a summary (counts and timings)."""
    shots.mkdir(parents=True, exist_ok=True)
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    ins = Inspectors(page, notebook, shots, console)

    t0 = time.monotonic()
    server.open_notebook(page, f"notebooks/{notebook}")
    try:
        if not server.run_all_cells(page):
            ins.shot("run-all-failed")
            pytest.fail(f"a cell of {notebook} failed: {error_outputs(page)!r}")
        ids = page.evaluate(MODEL_IDS_JS)
        assert ids, f"{notebook} shows no inspector"
        page.locator(WIDGET).nth(len(ids) - 1).wait_for(timeout=60_000)
        assert page.locator(WIDGET).count() == len(ids), (len(ids), page.locator(WIDGET).count())
        page.wait_for_function(
            f"(sel) => ({VIEWS_JS})(sel).every(v => v.error || !v.busy)", arg=WIDGET,
            timeout=30_000,
        )
        ins.check_clean("run all cells")
        t_run = time.monotonic() - t0

        last = len(ids) - 1
        ins.top(last)
        ins.shot("after-run-all")  # the viewport, the last inspector at its top

        def views_midway() -> None:  # the notebook's own flush, its first step run
            ins.top(last)
            ins.shot("midway", clip=True)
            # what each transaction level's rollback would restore, unfolded for its picture
            ins.root(last).locator(".si-section-transactions details").evaluate_all(
                "ds => ds.forEach(d => { d.open = true; })"
            )
            for name, selector in VIEW_SECTIONS.items():
                ins.shot(name, ins.root(last).locator(selector))
            wide_graph_shot(ins, last)

        steps = 0
        # last first: a notebook's final inspector holds the flush it prepared for the reader
        # (the inspectors of one session share it, and the first to step would take it)
        for i, model_id in reversed(list(enumerate(ids))):
            ins.top(i)
            ins.give_work(i, model_id)
            steps += ins.step_to_the_end(i, views_midway if i == last else None)
            if i == last:
                ins.shot("sql-log", ins.root(i).locator(".si-section-sql"))
                narration_shot(ins, i)
                why_and_timeline(ins, i)
            ins.give_work(i, model_id, force=True)
            assert ins.press(i, "run")["status"] == "flush complete"
        both_themes(ins)
        ins.top(last)
        ins.shot("end")
        ins.check_clean("the end")
    finally:
        try:
            page.evaluate(SHUTDOWN_JS)
        except Exception:  # noqa: BLE001 - cleanup: the test's own failure matters more
            pass
    total = time.monotonic() - t0
    return {"notebook": notebook, "front end": type(server).__name__, "inspectors": len(ids),
            "step presses": steps, "run all s": round(t_run, 1),
            "total s": round(total, 1)}  # fmt: skip
