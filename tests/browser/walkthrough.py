"""The walkthrough notebook's buttons pressed in a real front end (JupyterLab or Notebook 7).

notebooks/01-first-flush.ipynb uses the default database, in-memory SQLite, whose connection only
works on the thread that opened it, and shows two inspectors of one session (``view`` early on,
``live`` at the end, with a stepped flush already one step in).  :func:`walk` runs every cell,
then in the browser:

1. presses **Step** on ``live`` until its flush is complete (every step runs SQL or syncs keys);
2. changes the session from code (an execute request, as a cell would) and presses **Run** on
   ``view``;
3. opens a stepped flush from code and presses **Step** on ``view`` to the end;
4. changes the session from code again and presses **Run** on ``live``;
5. adds a user with addresses from code and presses **Run to** (the class chooser set to
   ``Address``) on ``view`` twice, then Run; switches ``view`` to the compact layout and back,
   and turns large text on and off (each step of the way both inspectors agree); switches the
   front end to its dark theme, where no text of either inspector may be too faint to read.

After every press and every change from code, both inspectors must show the same snapshot
(same ``#seq``, status line, identity map and highlighted step).  Any error line in a widget, a
failed cell, an uncaught page error or a browser console error fails the test.  Screenshots go
to ``shots``.  Both front ends are JupyterLab underneath: the same ``.jp-*`` DOM and
``window.jupyterapp`` (``expose_app_in_browser``), so one walk serves both.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

NOTEBOOK = "notebooks/01-first-flush.ipynb"
WIDGET = ".jp-OutputArea-output .si-root"  # class names of js/src/widget.ts
MAX_STEPS = 30

# every inspector's visible state, read in one go
VIEWS_JS = """(sel) => [...document.querySelectorAll(sel)].map(root => ({
  title: root.querySelector('.si-title')?.textContent ?? '',
  status: root.querySelector('.si-flush-status')?.textContent ?? '',
  table: root.querySelector('table.si-objects')?.innerText ?? '',
  current: [...root.querySelectorAll('.si-graph svg g.node.si-current title')]
             .map(t => t.textContent.trim()).join(' | '),
  error: root.querySelector('.si-error')?.textContent ?? '',
  busy: root.classList.contains('si-busy'),
  graph: !!root.querySelector('.si-graph svg'),
  step: !root.querySelector('button.si-step')?.disabled,
  run: !root.querySelector('button.si-run')?.disabled,
  'run-to': !root.querySelector('button.si-run-to')?.disabled,
  next: root.querySelector('li.si-steprow-current .si-step-label')?.textContent ?? '',
  sections: [...root.querySelectorAll('.si-section')].map(s => s.className),
}))"""

# true once no inspector is busy, some shows an error or all agree and differ from ``before``
SETTLED_JS = """([sel, before]) => {
  const views = (%s)(sel);
  if (views.length < 2) return false;
  if (views.some(v => v.error)) return true;
  if (views.some(v => v.busy || !v.graph)) return false;
  const key = v => JSON.stringify([v.title, v.status, v.table, v.current]);
  if (!views.every(v => key(v) === key(views[0]))) return false;
  if (views[0].status.includes('open') && !views[0].current) return false;  // graph catching up
  return before === null || views[0].title !== before;
}""" % VIEWS_JS

EXECUTE_JS = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  const errors = [];
  future.onIOPub = (msg) => {
    const type = msg.header.msg_type, c = msg.content;
    if (type === 'error') errors.push(c.ename + ': ' + c.evalue);
    if (type === 'stream' && c.name === 'stderr') errors.push(c.text);
  };
  const reply = await future.done;
  return {status: reply.content.status, errors};
}"""


# the notebook's cells (type and text): the inspectors' keys must not change them
CELLS_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(c =>
  c.className.match(/jp-(Code|Markdown|Raw)Cell/)?.[1] + ':' +
  (c.querySelector('.jp-InputArea-editor')?.textContent ?? '').slice(0, 40))"""


# Texts (graph labels, badges, step rows, narration, rollback previews) whose colour is too close
# to the background they are drawn on (WCAG contrast below 3:1): unreadable in this theme.
LOW_CONTRAST_JS = """root => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return rgb(getComputedStyle(document.body).backgroundColor).slice(0, 3);
  };
  const bad = [];
  for (const t of root.querySelectorAll('svg text')) {
    const shape = t.closest('g.node')?.querySelector('polygon, path, ellipse');
    const fill = shape ? rgb(getComputedStyle(shape).fill) : [];
    const bg = fill.length >= 3 ? fill.slice(0, 3) : background(root);
    const r = ratio(rgb(getComputedStyle(t).fill).slice(0, 3), bg);
    if (r < 3) bad.push(['svg', t.textContent, r.toFixed(2)]);
  }
  const sel = '.si-badge, .si-flag, .si-step-label, .si-events li, .si-rollback li, '
            + '.si-rollback summary, .si-tx-savepoint, .si-button, .si-moment';
  for (const el of root.querySelectorAll(sel)) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const r = ratio(rgb(getComputedStyle(el).color).slice(0, 3), background(el));
    if (r < 3) bad.push([el.className, el.textContent.slice(0, 40), r.toFixed(2)]);
  }
  return bad;
}"""


def error_outputs(page) -> list[str]:
    """The text of every error or stderr output in the notebook."""
    return page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts()


class Walkthrough:
    """The page, the two inspectors, and checks after every action."""

    def __init__(self, page, shots: Path, console_errors: list[str], prefix: str = ""):
        self.page, self.shots, self.console_errors = page, shots, console_errors
        self.prefix = prefix  # of every screenshot's file name
        self.timings: list[tuple[str, float]] = []

    def views(self) -> list[dict]:
        return self.page.evaluate(VIEWS_JS, WIDGET)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=self.shots / f"{self.prefix}{name}.png", full_page=True)

    def settle(self, what: str, before: str | None, t0: float) -> list[dict]:
        """Wait until every inspector agrees (and moved past ``before``); fail on any error."""
        try:
            self.page.wait_for_function(SETTLED_JS, arg=[WIDGET, before], timeout=30_000)
        except Exception:
            self.shot("failed")
            raise AssertionError(
                f"{what}: the inspectors did not settle on one state within 30 s:\n"
                + "\n".join(map(str, self.views()))
            ) from None
        self.timings.append((what, time.monotonic() - t0))
        views = self.views()
        errors = [v["error"] for v in views if v["error"]]
        if errors:
            self.shot("failed")
        assert not errors, f"{what}: a widget shows an error: {errors}"
        assert not self.page.errors, f"{what}: uncaught page errors: {self.page.errors}"
        assert not self.console_errors, f"{what}: browser console errors: {self.console_errors}"
        return views

    def press(self, index: int, button: str) -> list[dict]:
        """Click ``button`` on inspector ``index``; return every inspector's state after it."""
        before = self.views()
        assert before[index][button], f"{button} is disabled on inspector {index}: {before[index]}"
        t0 = time.monotonic()
        self.page.locator(WIDGET).nth(index).locator(f"button.si-{button}").click()
        return self.settle(f"{button} on inspector {index}", before[0]["title"], t0)

    def run_code(self, code: str) -> list[dict]:
        """Run ``code`` in the kernel (an execute request, like a cell) and wait for the views."""
        before = self.views()[0]["title"]
        t0 = time.monotonic()
        result = self.page.evaluate(EXECUTE_JS, code)
        assert result["status"] == "ok" and not result["errors"], f"{code!r}: {result}"
        return self.settle(f"code: {code.splitlines()[0]}", before, t0)

    def step_to_the_end(self, index: int) -> int:
        """Press Step on inspector ``index`` until its flush is complete; the number of presses."""
        for presses in range(1, MAX_STEPS + 1):
            views = self.press(index, "step")
            if views[index]["status"] == "flush complete":
                return presses
            assert views[index]["status"].startswith("flush open"), views[index]
        raise AssertionError(f"no complete flush after {MAX_STEPS} presses of Step")

    def show(self, index: int) -> None:
        self.page.locator(WIDGET).nth(index).scroll_into_view_if_needed()


def explore(root, shot) -> None:
    """What a reader does after the flush: ask "why?" of a statement (the INSERT a step ran),
    of a plan node in the graph and of an object, then look back along the timeline."""
    insert = root.locator("tr.si-sqlrow", has_text="INSERT INTO users").last  # the last flush
    insert.click()
    why = root.locator(".si-section-why")
    why.wait_for(timeout=5_000)
    text = why.inner_text()
    assert text.startswith("Why this SQL?") and "Flush #" in text and "step" in text, text
    root.scroll_into_view_if_needed()
    shot("6-why-this-sql")
    root.locator(".si-graph svg g.node").first.click()
    assert root.locator(".si-section-why h4").inner_text().startswith("Why step"), why.inner_text()
    root.locator("tr.si-object td.si-class").first.click()  # not its attribute list
    assert "what it took part in" in why.inner_text(), why.inner_text()
    root.locator(".si-why-close").click()
    assert root.locator(".si-section-why").count() == 0
    root.focus()
    root.press("ArrowLeft")
    banner = root.locator(".si-past")
    assert banner.is_visible() and "Looking back at moment" in banner.inner_text()
    assert root.locator("button.si-step").is_disabled()
    root.press("ArrowLeft")
    root.press("End")
    assert not banner.is_visible()


def run_to_and_layouts(w: Walkthrough, index: int) -> None:
    """Run to the next step touching Address (twice), Run; compact and full layouts, large text."""
    w.run_code('gus = User(name="gus", addresses=[Address(email="g1@example.com"),'
               ' Address(email="g2@example.com")])\nsession.add(gus)')  # fmt: skip
    root = w.page.locator(WIDGET).nth(index)
    choice = root.locator("select.si-mapper")
    assert "Address" in choice.locator("option").all_inner_texts(), choice.inner_html()
    choice.select_option("Address")
    views = w.press(index, "run-to")
    first = views[index]
    assert first["status"].startswith("flush open"), first
    assert "Address" in first["next"] or "addresses" in first["next"], first
    # the second time by keyboard (m), which the notebook must not take as its own shortcut
    # (in command mode m makes a Markdown cell, c copies one)
    cells = CELLS_JS
    before_cells = w.page.evaluate(cells)
    t0 = time.monotonic()
    root.focus()
    root.press("m")
    views = w.settle("m (run to) on inspector %d" % index, first["title"], t0)
    assert views[index]["status"] != first["status"], views[index]  # moved on
    assert "Address" in views[index]["next"] or "addresses" in views[index]["next"], views[index]
    w.show(index)
    w.shot("8-view-run-to-address")
    views = w.press(index, "run")
    assert views[index]["status"] == "flush complete", views[index]
    # compact: identity map and plan only (c); the other inspector keeps its full layout
    root.focus()
    root.press("c")
    compact = w.views()
    assert [c.split()[-1] for c in compact[index]["sections"]] == [
        "si-section-identity", "si-section-flush"], compact[index]
    assert len(compact[1 - index]["sections"]) > 2
    root.press("t")
    assert "si-large" in root.get_attribute("class")
    w.show(index)
    w.shot("9-view-compact-large-text")
    root.locator("button.si-large-text").click()
    root.locator("button.si-layout").click()
    assert len(w.views()[index]["sections"]) > 2
    assert w.page.evaluate(cells) == before_cells, "an inspector key reached the notebook"
    dark_theme(w)


def dark_theme(w: Walkthrough) -> None:
    """Switch the front end to its dark theme: every inspector's text (the real plan graph,
    badges, steps, narration) must stay readable; screenshot it; back to light."""
    page = w.page
    if not page.evaluate("() => window.jupyterapp.commands.hasCommand('apputils:change-theme')"):
        return  # a front end without themes
    change = "(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})"
    page.evaluate(change, "JupyterLab Dark")
    page.wait_for_function("document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    page.wait_for_timeout(300)  # theme CSS variables settle
    for i in range(page.locator(WIDGET).count()):
        root = page.locator(WIDGET).nth(i)
        bad = root.evaluate(LOW_CONTRAST_JS)
        assert bad == [], f"inspector {i}: text too faint in the dark theme: {bad}"
    w.show(1)
    w.shot("10-dark-theme")
    # the live inspector's top (at most 720 px), for the README
    root = page.locator(WIDGET).nth(1)
    root.evaluate("e => e.scrollIntoView({block: 'start'})")
    box = root.bounding_box()
    top = max(box["y"], 0)
    clip = {"x": box["x"], "y": top, "width": box["width"],
            "height": min(720, page.viewport_size["height"] - top, box["height"])}  # fmt: skip
    page.screenshot(path=w.shots / f"{w.prefix}widget-dark.png", clip=clip)
    page.evaluate(change, "JupyterLab Light")
    page.wait_for_function("document.body.dataset.jpThemeLight === 'true'", timeout=30_000)


def walk(server, page, shots: Path, prefix: str = "") -> str:
    """Open the walkthrough on ``server`` (a ``Lab`` of lab_fixtures.py), run it, press its
    buttons as described above; return a one-line summary of the timings."""
    name = type(server).__name__
    if not (server.root / NOTEBOOK).is_file():
        pytest.fail(f"{NOTEBOOK} is missing: the walkthrough notebook is required")
    shots.mkdir(parents=True, exist_ok=True)
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    w = Walkthrough(page, shots, console_errors, prefix)

    t0 = time.monotonic()
    server.open_notebook(page, NOTEBOOK)
    t_open = time.monotonic() - t0
    t1 = time.monotonic()
    if not server.run_all_cells(page):
        w.shot("run-all-failed")
        pytest.fail(f"a cell of {NOTEBOOK} failed in {name}: {error_outputs(page)!r}")
    views = w.settle("run all cells", None, t1)
    assert len(views) == 2, f"expected the walkthrough's two inspectors, got {len(views)}"
    view, live = 0, 1  # the notebook's `view` and `live`
    assert views[live]["status"].startswith("flush open · next step 2"), views[live]
    w.show(live)
    w.shot("1-after-run-all")

    steps = w.step_to_the_end(live)  # INSERTs, key syncs: SQL on the thread-bound connection
    w.show(live)
    w.shot("2-live-stepped-to-the-end")

    views = w.run_code('dee = User(name="dee", addresses=[Address(email="dee@example.com")])\n'
                       "session.add(dee)")  # fmt: skip
    assert "pending" in views[view]["table"], views[view]
    views = w.press(view, "run")
    assert views[view]["status"] == "flush complete", views[view]
    assert "pending" not in views[view]["table"], views[view]
    w.show(view)
    w.shot("3-view-after-run")

    # with an address: a lone new row is a one-step plan (no relationship takes part)
    views = w.run_code('eve = User(name="eve", addresses=[Address(email="eve@example.com")])'
                       '\nsession.add(eve)\n'
                       "from_code = FlushStepper(session)\nfrom_code.step()")  # fmt: skip
    assert views[view]["status"].startswith("flush open · next step 2"), views[view]
    steps += w.step_to_the_end(view)
    w.shot("4-view-stepped-to-the-end")

    w.run_code('ann.name = "ann-renamed"\nsession.add(User(name="fay"))')
    views = w.press(live, "run")
    assert views[live]["status"] == "flush complete", views[live]
    assert "pending" not in views[live]["table"], views[live]
    assert "dirty" not in views[live]["table"], views[live]
    w.show(live)
    w.shot("5-live-after-run")
    explore(page.locator(WIDGET).nth(live), w.shot)
    w.shot("7-live-after-why-and-timeline")
    run_to_and_layouts(w, view)
    page.locator(WIDGET).nth(live).screenshot(path=shots / f"{prefix}widget-live-final.png")

    total = time.monotonic() - t0
    slowest = max(w.timings[1:], key=lambda t: t[1])
    outputs = error_outputs(page)
    assert outputs == [], f"error outputs in {name}: {outputs!r}"
    return (f"{name}: open notebook {t_open:.1f} s; run all + first render"
            f" {w.timings[0][1]:.1f} s; {steps} Step presses and 2 Run presses;"
            f" {len(w.timings) - 1} actions, slowest {slowest[0]!r}"
            f" {slowest[1] * 1000:.0f} ms; whole walk {total:.1f} s")  # fmt: skip
