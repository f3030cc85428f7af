"""The inspector at scale: 10,000 pending objects, in Python and in a real JupyterLab + Chromium.

    .venv/bin/python -m benchmarks.widget_scale             # Python side only (seconds)
    .venv/bin/python -m benchmarks.widget_scale --browser   # also JupyterLab + /usr/bin/chromium
    .venv/bin/python -m benchmarks.widget_scale -n 1000

Python side: building a snapshot (first / unchanged / one object changed), the size of a whole
snapshot and of the patch for one changed object, a 10k-insert flush with and without a
recorder (with a subscriber, as an inspector makes it) attached, and two Steps (plan the flush,
INSERT every row) through an inspector widget that applies patches (``measure_steps``).

Browser side (``measure_in_lab``, also run as a functional test by
tests/browser/test_widget_scale.py): first paint of a new inspector, the bytes the kernel's
websocket carries and the time to the screen for one changed object, the latency of Step
clicks, and the DOM size.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

SETUP = """
import time
from sqlalchemy import Column, Integer, String, create_engine
import inspector.orm as orm
from inspector.trace import recorder_for
from inspector.widgets import SessionInspectorWidget

Base = orm.declarative_base()

class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))

engine = create_engine("sqlite://")
Base.metadata.create_all(engine)
s = orm.Session(engine)
users = [User(name="user %d" % i) for i in range(N)]
s.add_all(users)
"""
SHOW = "w = SessionInspectorWidget(recorder_for(s))\nw"
CHANGE = 'users[0].name = "renamed zero"'
SMALL = """engine2 = create_engine("sqlite://")
Base.metadata.create_all(engine2)
s2 = orm.Session(engine2)
s2.add_all([User(name="small %d" % i) for i in range(10)])
w2 = SessionInspectorWidget(recorder_for(s2))
w2"""


def _models():
    from sqlalchemy import Column, Integer, String, create_engine

    import inspector.orm as orm

    Base = orm.declarative_base()

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        name = Column(String(50))

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return orm, User, engine


#: the Python side's clock: wall time, or ``--clock cpu`` (this process's CPU time, steadier on
#: a machine shared with other jobs)
CLOCK = time.perf_counter


def _ms(fn) -> float:
    t0 = CLOCK()
    fn()
    return (CLOCK() - t0) * 1000


def measure_python(n: int) -> dict:
    from inspector.trace import Recorder
    from inspector.trace.patch import diff

    orm, User, engine = _models()
    out: dict = {}
    s = orm.Session(engine)
    rec = Recorder(s)
    users = [User(name="user %d" % i) for i in range(n)]
    s.add_all(users)
    snaps = []
    out["snapshot first ms"] = _ms(lambda: snaps.append(rec.snapshot()))
    out["snapshot unchanged ms"] = _ms(lambda: snaps.append(rec.snapshot()))
    users[0].name = "renamed zero"
    out["snapshot one change ms"] = _ms(lambda: snaps.append(rec.snapshot()))
    patch = {}
    out["diff ms"] = _ms(lambda: patch.update(diff(snaps[1], snaps[2])))
    out["whole snapshot bytes"] = len(json.dumps(snaps[2]))
    out["patch bytes (one object)"] = len(json.dumps({"type": "patch", "patch": patch}))
    rec.close()
    s.close()

    def flush(with_recorder: bool) -> float:
        best = float("inf")
        for _ in range(3):
            o, U, e = _models()
            sess = o.Session(e)
            r = Recorder(sess) if with_recorder else None
            if r is not None:
                r.subscribe(lambda snap: None)  # an inspector follows it
            sess.add_all([U(name="user %d" % i) for i in range(n)])
            best = min(best, _ms(sess.flush))
            if r is not None:
                r.close()
            sess.close()
        return best

    out["flush ms (no recorder)"] = flush(False)
    out["flush ms (recorder + subscriber)"] = flush(True)
    out["recorder overhead ratio"] = (
        out["flush ms (recorder + subscriber)"] / out["flush ms (no recorder)"])
    out.update(measure_steps(n))
    return out


def measure_steps(n: int) -> dict:
    """Step twice (plan the flush, then INSERT all ``n`` rows) through an inspector widget that
    applies patches, as a button press does in a kernel: the command, the snapshot, the patch or
    whole snapshot and its JSON (what the kernel's websocket then carries).  Also the same
    steps with no recorder (the ORM's share) and the SQL's own time."""
    from inspector.orm import FlushStepper
    from inspector.trace import Recorder
    from inspector.widgets import SessionInspectorWidget

    out: dict = {}
    o, U, e = _models()
    sess = o.Session(e)
    sess.add_all([U(name="user %d" % i) for i in range(n)])
    w = SessionInspectorWidget(Recorder(sess))
    sent: list = []
    encode_ms = [0.0]

    def send(data=None, metadata=None, buffers=None):  # the kernel's JSON packing of each message
        t0 = CLOCK()
        sent.append((data.get("method") or data.get("data", {}).get("type"),
                     len(json.dumps(data, ensure_ascii=False))))
        encode_ms[0] += (CLOCK() - t0) * 1000

    w.comm.send = send
    w._on_frontend_msg(w, {"type": "hello"}, [])  # a front-end that applies patches
    for label in ("plan the flush", "INSERT every row"):
        sent.clear()
        encode_ms[0] = 0.0
        seen = {e["seq"] for e in w.snapshot["sql"]}
        out[f"Step ms ({label})"] = _ms(lambda: w.command("step"))
        # the statements' own time, as the SQL log measured it
        out[f"  of which SQL ms ({label})"] = sum(
            e["ms"] or 0.0 for e in w.snapshot["sql"] if e["seq"] not in seen)
        out[f"  of which JSON encoding ms ({label})"] = encode_ms[0]
        out[f"  messages ({label})"] = ", ".join("%s %s B" % m for m in sent)
    assert w.error == "", w.error
    w.close()
    sess.rollback()
    sess.close()
    # the ORM alone: the same two steps with no recorder
    o, U, e = _models()
    sess = o.Session(e)
    sess.add_all([U(name="user %d" % i) for i in range(n)])
    stepper = []
    out["no recorder: plan ms"] = _ms(lambda: stepper.append(FlushStepper(sess)))
    out["no recorder: INSERT step ms"] = _ms(lambda: stepper[0].step())
    sess.rollback()
    sess.close()
    return out


# -- the browser -------------------------------------------------------------------------------

def write_notebook(path: Path, n: int) -> None:
    cells = [f"N = {n}\n" + SETUP, SHOW, CHANGE, "w  # the same inspector, displayed later",
             SMALL]
    nb = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": src,
                   "outputs": [], "execution_count": None} for i, src in enumerate(cells)],
    }  # fmt: skip
    path.write_text(json.dumps(nb))


# The body shared by the two timers below: does ``ACT`` and resolves, in ms since then, when
# ``ready()`` first holds (checked every animation frame) and after the next frame was painted.
_ACT_UNTIL_BODY = """  const check = new Function('return (' + ready + ')()');
  const t0 = performance.now();
  ACT;
  await new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (performance.now() - t0 > timeout) reject(new Error('timed out: ' + ready));
      else requestAnimationFrame(tick);
    };
    tick();
  });
  const seen = performance.now() - t0;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return [seen, performance.now() - t0, t0];
}"""

# Runs cell ``i`` (timed as above).
RUN_CELL_UNTIL_JS = """async ([i, ready, timeout]) => {
  const nb = window.jupyterapp.shell.currentWidget;
  nb.content.activeCellIndex = i;
""" + _ACT_UNTIL_BODY.replace("ACT", "window.jupyterapp.commands.execute('notebook:run-cell')")

# Clicks the ``index``-th element matching ``selector`` (timed as above).
CLICK_UNTIL_JS = "async ([selector, index, ready, timeout]) => {\n" + _ACT_UNTIL_BODY.replace(
    "ACT", "document.querySelectorAll(selector)[index].click()")

# Notes when a websocket message carrying a patch arrives (window.__siPatchAt, page clock), to
# tell the front-end's share of "one change" from the kernel's and JupyterLab's.
PATCH_CLOCK_JS = """(() => {
  const Native = window.WebSocket;
  window.__siPatchAt = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        const size = typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0);
        if (size > 2000000) return; // whole snapshots: not a patch
        const text = typeof d === 'string' ? d : new TextDecoder().decode(d);
        if (text.includes('"patch"')) window.__siPatchAt.push(performance.now());
      });
    }
  };
})();"""

ROWS = ("() => document.querySelector('.si-root')?.querySelectorAll('.si-rows-held tr.si-object')"
        " ?? []")
STATUS = "() => document.querySelector('.si-root .si-flush-status')?.textContent || ''"


def measure_in_lab(lab, page, n: int = 10_000, frames: list | None = None) -> dict:
    """Open a notebook with ``n`` pending objects in ``lab``, show an inspector, change one
    object, press Step twice; return the numbers.  Checks function as it goes (AssertionError):
    rows drawn are few, every row is reachable by search, a change arrives as a patch and
    shows, Step moves the flush on.  ``frames``: the websocket frames the page receives
    (collected by the caller's ``page.on("websocket")`` handler, registered before opening)."""
    out: dict = {"objects": n}
    name = f"widget-scale-{n}.ipynb"
    write_notebook(lab.root / name, n)
    page.add_init_script(PATCH_CLOCK_JS)
    lab.open_notebook(page, name)
    first_prompt = "document.querySelector('.jp-InputPrompt').textContent"
    page.evaluate(RUN_CELL_UNTIL_JS, [0, f"() => /\\[1\\]/.test({first_prompt})", 120_000])
    seen, painted, _ = page.evaluate(
        RUN_CELL_UNTIL_JS, [1, f"() => ({ROWS})().length > 0", 300_000])
    out["first paint ms (cell run -> rows painted)"] = painted
    rows = page.evaluate(f"() => ({ROWS})().length")
    out["identity rows in the DOM"] = rows
    out["DOM nodes in the inspector"] = page.evaluate(
        "() => document.querySelector('.si-root').getElementsByTagName('*').length")
    assert 0 < rows < 100, f"{rows} rows drawn for {n} objects: not virtualised"
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext"
                           ".session.kernel.status === 'idle'", timeout=60_000)
    page.wait_for_timeout(500)

    # one changed object: a patch, on screen
    if frames is not None:
        frames.clear()
    row0 = "document.querySelector('.si-root tr.si-object[data-id=\"o1\"]')"
    seen, painted, t0 = page.evaluate(
        RUN_CELL_UNTIL_JS, [2, f"() => ({row0})?.textContent.includes('renamed zero')", 60_000])
    out["one change ms (cell run -> row painted)"] = painted
    arrived = [t for t in page.evaluate("() => window.__siPatchAt || []") if t > t0]
    if arrived:
        out["one change ms (patch arrived -> row painted)"] = t0 + painted - arrived[0]
    page.wait_for_timeout(500)
    if frames is not None:
        sizes = [len(f.encode() if isinstance(f, str) else f) for f in frames]
        patches = [len(f.encode() if isinstance(f, str) else f) for f in frames
                   if (b'"patch"' if isinstance(f, bytes) else '"patch"') in f]
        out["websocket bytes received for the change (all frames)"] = sum(sizes)
        out["patch frame bytes"] = patches
        assert len(patches) == 1, f"expected one patch message, got {len(patches)}"
        big = [(f if isinstance(f, str) else f.decode("utf-8", "replace"))[:600]
               for f in frames if len(f) > 50_000]
        assert sum(sizes) < 50_000, f"{sum(sizes)} bytes on the wire for one change: {big}"

    # the same widget displayed later shows the patched state
    later = "[...document.querySelectorAll('.si-root')][1]"
    page.evaluate(RUN_CELL_UNTIL_JS, [3, f"() => {later}?.querySelector('tr.si-object"
                                         "[data-id=\"o1\"]')?.textContent.includes("
                                         "'renamed zero')", 60_000])

    # search reaches every object, not only the drawn ones
    search = page.locator(".si-root input.si-search").first
    search.fill(f"user {n - 1}'")
    page.wait_for_function(f"() => ({ROWS})().length === 1", timeout=10_000)
    search.fill("")
    page.wait_for_function(f"() => ({ROWS})().length > 1", timeout=10_000)

    # the reader's scroll position survives the pushes that follow
    scroller = "document.querySelector('.si-root .si-rows-held')"
    middle = n // 2 * 30
    page.evaluate(f"() => {{ {scroller}.scrollTop = {middle}; }}")
    page.wait_for_function(f"() => ({ROWS})()[0]?.dataset.id !== 'o1'", timeout=10_000)

    # Step: plans the flush (10k objects in one INSERT step); Step again: runs it
    before = page.evaluate(STATUS)
    step = ".si-root button.si-step"
    seen, painted, t0 = page.evaluate(
        CLICK_UNTIL_JS, [step, 0, f"() => ({STATUS})() !== {json.dumps(before)}", 120_000])
    out["Step 1 ms (plan the flush)"] = painted
    arrived = [t for t in page.evaluate("() => window.__siPatchAt || []") if t > t0]
    if arrived:
        out["Step 1 ms (patch arrived -> painted)"] = t0 + painted - arrived[0]
    status = page.evaluate(STATUS)
    assert "flush open" in status, status
    kept = page.evaluate(f"() => [{scroller}.scrollTop, ({ROWS})()[0]?.dataset.id]")
    assert kept[0] > middle / 2 and kept[1] != "o1", f"scroll position lost: {kept}"
    page.wait_for_function("() => !document.querySelector('.si-root').classList"
                           ".contains('si-busy')", timeout=60_000)
    seen, painted, _ = page.evaluate(
        CLICK_UNTIL_JS, [step, 0, f"() => ({STATUS})() !== {json.dumps(status)}", 120_000])
    out["Step 2 ms (INSERT of every object)"] = painted

    # Step on a small session (10 objects) beside it: the inspector's own latency
    small = "[...document.querySelectorAll('.si-root')][2]"
    page.evaluate(RUN_CELL_UNTIL_JS, [4, f"() => {small}?.querySelector('tr.si-object')", 60_000])
    page.wait_for_timeout(500)
    small_status = f"() => {small}.querySelector('.si-flush-status').textContent"
    for label in ("plan", "INSERT"):
        before = page.evaluate(small_status)
        page.wait_for_function(f"() => !{small}.classList.contains('si-busy')", timeout=60_000)
        seen, painted, _ = page.evaluate(CLICK_UNTIL_JS, [
            ".si-root button.si-step", 2, f"() => ({small_status})() !== {json.dumps(before)}",
            60_000])
        out[f"Step ms, 10-object session ({label})"] = painted
    return out


def measure_browser(n: int) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.lab_fixtures import CHROMIUM, CHROMIUM_ARGS, jupyter_server

    with tempfile.TemporaryDirectory(prefix="si-scale-") as tmp, \
            jupyter_server(Path(tmp), "lab") as lab, sync_playwright() as p:  # fmt: skip
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            frames: list = []
            page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
            return measure_in_lab(lab, page, n, frames)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="pending objects (default 10000)")
    ap.add_argument("--browser", action="store_true", help="also measure in JupyterLab + Chromium")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="the Python side's clock (the browser's is always wall time)")
    args = ap.parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    results = {"python": measure_python(args.n)}
    if args.browser:
        results["browser"] = measure_browser(args.n)
    for part, numbers in results.items():
        print(f"[{part}]")
        for key, value in numbers.items():
            shown = f"{value:,.1f}" if isinstance(value, float) else (
                f"{value:,}" if isinstance(value, int) else value)
            print(f"  {key:<55} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
