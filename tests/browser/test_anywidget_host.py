"""The widget under a plain anywidget host, with no Jupyter front end: what VS Code relies on.

VS Code's Jupyter extension shows an ``AnyWidget`` through the standard Jupyter widget protocol
and anywidget's own front-end module: it loads the model's ``_esm`` text, runs its
``initialize({model})`` once per model and ``render({model, el, host})`` once per view, with a
model offering anywidget's documented interface (get / set / on / off / save_changes / send,
``on("msg:custom")``).  VS Code itself cannot run here, so this proves the inspector needs
nothing more: tests/js-harness/anywidget-host.html plays that host in a plain page (no
JupyterLab, RequireJS, ``--jp-*`` CSS variables or stylesheet; any other model property the
widget reads is recorded and fails the test), and this module plays the kernel with the REAL
Python widgets (a ``SessionInspector`` of an in-memory SQLite session and its shared
``GraphvizRuntime``): their comm messages ("update" and "custom", exactly what ipywidgets sends
a kernel's front end) are captured and delivered to the page, and what the page sends back
goes to the widgets' own message handler (``Widget._handle_msg``), as a kernel would.

Checked: the first snapshot arrives whole with the model, later ones as keyed patch messages
(after the page's ``hello``, sent once per model by ``initialize``); two views of one model stay
equal; Step / Run / Abort send ``{"type": "command", "name": ...}`` and the kernel's patches and
``ack`` drive both views to the flush's end, its graph drawn by the runtime's WebAssembly
Graphviz (found through ``host.getWidget``); Why? and the timeline slider work; a missed patch
makes the page ask for a resync; removing a view or closing the model drops its listeners.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from walkthrough import LOW_CONTRAST_JS, VIEWS_JS

OUTPUT = "#outputs .output .si-root"  # every view, in display order

# the timeline slider moved like a user drags it
SLIDE_JS = """(input, value) => {
  input.value = String(value);
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new Event('change', {bubbles: true}));
}"""


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value))  # tuples become lists, as on the wire


class Kernel:
    """The kernel's side of the wire for real ipywidgets: what they send is kept for the page
    (``take``), what the page sends is handled as a kernel's comm would (``receive``)."""

    def __init__(self, *widgets):
        self.widgets = {w.model_id: w for w in widgets}
        self.out: list[dict] = []  # to the page, not yet delivered
        self.sent: list[dict] = []  # everything sent to the page
        self.received: list[dict] = []  # everything the page sent
        for w in widgets:  # DummyComm outside a kernel: its send() is where messages leave
            w.comm.send = self._sender(w.model_id)

    def _sender(self, model_id: str):
        def send(data=None, metadata=None, buffers=None):
            assert not buffers, "no binary buffers expected"
            message = {"model": model_id, "data": _jsonable(data)}
            self.out.append(message)
            self.sent.append(message)

        return send

    def opened(self) -> list[dict]:
        """Each model's comm_open: its id and whole state."""
        return [{"id": i, "state": _jsonable(w.get_state())} for i, w in self.widgets.items()]

    def receive(self, message: dict) -> None:
        self.received.append(message)
        widget = self.widgets[message["model"]]
        widget._handle_msg({"content": {"data": message["data"]}, "buffers": []})

    def take(self) -> list[dict]:
        out, self.out = self.out, []
        return out

    def restore(self) -> None:
        for w in self.widgets.values():
            if w.comm is not None:
                w.comm.__dict__.pop("send", None)

    def custom(self, direction: str, kind: str | None = None) -> list[dict]:
        """Custom message contents sent ``to`` the page or ``from`` it (of one ``type``)."""
        messages = self.sent if direction == "to" else self.received
        return [
            m["data"]["content"]
            for m in messages
            if m["data"]["method"] == "custom" and kind in (None, m["data"]["content"].get("type"))
        ]

    def updates(self, key: str) -> list[dict]:
        """"update" messages to the page that carry trait ``key``."""
        data = [m["data"] for m in self.sent]
        return [d for d in data if d["method"] == "update" and key in d["state"]]


def pump(page, kernel: Kernel, until: str, what: str, timeout: float = 30) -> None:
    """Carry messages both ways until the JS expression ``until`` holds in the page."""
    deadline = time.monotonic() + timeout
    while True:
        sent = page.evaluate("() => hostPage.takeOutbox()")
        for message in sent:
            kernel.receive(message)
        back = kernel.take()
        if back:
            page.evaluate("(messages) => hostPage.deliver(messages)", back)
        if not sent and not back and page.evaluate(until):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached in {timeout} s: {views(page)}")
        if not sent and not back:
            page.wait_for_timeout(25)


def views(page) -> list[dict]:
    return page.evaluate(VIEWS_JS, OUTPUT)


def settled(before: str | None = None) -> str:
    """JS: two views, both idle and equal, past title ``before``; an open flush drawn."""
    return """(() => {
      const v = (%s)(%s);
      if (v.length !== 2 || v.some(x => x.busy || !x.title)) return false;
      const key = x => JSON.stringify([x.title, x.status, x.table, x.current]);
      if (key(v[0]) !== key(v[1])) return false;
      if (v[0].status.startsWith('flush open') && !v[0].current) return false;
      return %s === null || v[0].title !== %s;
    })()""" % (VIEWS_JS, json.dumps(OUTPUT), json.dumps(before), json.dumps(before))


@pytest.fixture
def session():
    from sqlalchemy import Column, ForeignKey, Integer, String, create_engine

    from inspector.orm import Session, declarative_base, relationship

    base = declarative_base()

    class User(base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        name = Column(String(30))
        addresses = relationship("Address", backref="user")

    class Address(base):
        __tablename__ = "addresses"
        id = Column(Integer, primary_key=True)
        email = Column(String(50))
        user_id = Column(ForeignKey("users.id"))

    engine = create_engine("sqlite://")
    base.metadata.create_all(engine)
    s = Session(engine)
    s.add(User(name="ann", addresses=[Address(email="ann@home.example")]))
    s.User, s.Address = User, Address
    yield s
    s.close()
    engine.dispose()


@pytest.fixture
def hosted(page, static_server, session):
    """The page with the real widgets' models opened and one inspector displayed twice."""
    from inspector import SessionInspector

    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    inspector = SessionInspector(session)
    kernel = Kernel(inspector._graphviz, inspector)  # the runtime's comm opened first
    page.goto(f"{static_server}/tests/js-harness/anywidget-host.html")
    page.wait_for_function("window.hostReady === true", timeout=20_000)
    page.evaluate("(opened) => hostPage.boot(opened)", kernel.opened())
    for _ in range(2):  # the same output shown twice (e.g. a cell run and its output copied)
        page.evaluate("(id) => hostPage.display(id)", inspector.model_id)
    pump(page, kernel, settled(), "the first render")
    try:
        yield page, kernel, inspector
        assert page.errors == [], page.errors
        assert console == [], console
        assert page.evaluate("hostPage.stray") == [], "the widget read beyond the documented model"
        assert page.evaluate("hostPage.invoked") == []
    finally:
        kernel.restore()
        inspector.close()


def press(page, kernel, view: int, button: str) -> dict:
    before = views(page)[view]
    target = page.locator(OUTPUT).nth(view).locator(f"button.si-{button}")
    assert target.is_enabled(), f"{button} is disabled: {before}"
    target.click()
    pump(page, kernel, settled(before["title"]), f"{button} on view {view}")
    return views(page)[view]


def change(page, kernel, inspector, code) -> dict:
    """A change made in Python, then the push a cell's end makes."""
    before = views(page)[0]["title"]
    code()
    inspector.source.push()
    pump(page, kernel, settled(before), "a change from Python")
    return views(page)[0]


def test_nothing_jupyter_on_the_page(hosted):
    page, kernel, inspector = hosted
    assert page.evaluate("hostPage.jupyterGlobals()") == []
    assert page.locator("style#si-inspector-style").count() == 1  # the runtime's own CSS
    badge = page.locator(f"{OUTPUT} .si-badge").first
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # initialize() ran once per model: one hello for two views; the runtime through the host
    assert kernel.custom("from") == [{"type": "hello"}]
    calls = page.evaluate("hostPage.views.map(v => v.host.calls)")
    runtime_ref = f"anywidget:{inspector._graphviz.model_id}"
    assert calls[0] == [["getWidget", runtime_ref]] and calls[1] in ([], calls[0])
    snapshot = inspector.snapshot
    assert views(page)[0]["title"] == f"{snapshot['session']} · #{snapshot['seq']}"
    assert "pending" in views(page)[0]["table"] and "ann" in page.locator(OUTPUT).first.inner_text()
    # with none of JupyterLab's theme variables (their fallbacks apply), text stays readable
    assert page.locator(OUTPUT).first.evaluate(LOW_CONTRAST_JS) == []


def test_readable_on_a_dark_host_page(hosted):
    """A host with a dark page and no JupyterLab theme variables (VS Code's dark themes may
    set none): the inspector draws on its own light background, every text readable."""
    page, kernel, inspector = hosted
    dark = "() => Object.assign(document.body.style, {background: '#1e1e1e', color: '#ccc'})"
    page.evaluate(dark)
    root = page.locator(OUTPUT).first
    assert root.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    assert root.evaluate(LOW_CONTRAST_JS) == []


def test_step_run_abort_over_the_standard_protocol(hosted, session):
    page, kernel, inspector = hosted
    User, Address = session.User, session.Address
    view = change(page, kernel, inspector, lambda: session.add(User(name="bob")))
    assert view["table"].count("pending") == 3, view
    assert kernel.custom("to", "patch"), "the change went whole, not as a patch"

    presses = 0
    while True:  # Step on the first view, to the end of the flush
        view = press(page, kernel, 0, "step")
        presses += 1
        if view["status"] == "flush complete":
            break
        assert view["status"].startswith("flush open") and presses < 20, view
        assert page.locator(OUTPUT).nth(1).locator(".si-graph svg g.node.si-current").count() == 1
    assert presses >= 3 and "pending" not in view["table"], view
    assert page.locator(OUTPUT).nth(0).locator(".si-graph svg g.node").count() >= 2
    steps = kernel.custom("from", "command")
    assert steps == [{"type": "command", "name": "step"}] * presses
    assert kernel.custom("to", "ack") == [{"type": "ack", "name": "step"}] * presses
    assert kernel.updates("snapshot") == [], "after hello every snapshot goes as a patch"

    # Why? of an INSERT, on the second view
    root = page.locator(OUTPUT).nth(1)
    root.locator("tr.si-sqlrow", has_text="INSERT INTO users").last.click()
    why = root.locator(".si-section-why")
    why.wait_for(timeout=5_000)
    assert why.inner_text().startswith("Why this SQL?"), why.inner_text()
    root.locator(".si-why-close").click()

    # the timeline slider: back (view only, Step disabled) and to now
    slider = root.locator("input.si-timeline")
    moments = int(slider.get_attribute("max") or 0) + 1
    assert moments >= 3, moments
    slider.evaluate(SLIDE_JS, 1)
    root.locator(".si-past").wait_for(state="visible", timeout=5_000)
    assert "Looking back at moment" in root.locator(".si-past").inner_text()
    assert root.locator("button.si-step").is_disabled()
    assert not page.locator(OUTPUT).nth(0).locator("button.si-step").is_disabled()
    slider.evaluate(SLIDE_JS, moments - 1)
    root.locator(".si-past").wait_for(state="hidden", timeout=5_000)

    # Run from the second view
    change(page, kernel, inspector, lambda: session.add(Address(email="x@example.com")))
    view = press(page, kernel, 1, "run")
    assert view["status"] == "flush complete" and "pending" not in view["table"], view

    # Step once, then Abort: the flush is rolled back, the user pending again
    change(page, kernel, inspector, lambda: session.add(User(name="cat")))
    assert press(page, kernel, 0, "step")["status"].startswith("flush open")
    view = press(page, kernel, 0, "abort")
    assert view["status"] == "flush aborted" and "pending" in view["table"], view
    assert [m["name"] for m in kernel.custom("from", "command")][-3:] == ["run", "step", "abort"]
    assert all(views(page)[i]["error"] == "" for i in (0, 1))


def test_a_missed_patch_asks_for_the_whole_snapshot(hosted, session):
    page, kernel, inspector = hosted
    seq = inspector.snapshot["seq"]
    stale = {"type": "patch", "patch": {"base": seq - 5, "seq": seq + 1, "set": {"events": []}}}
    page.evaluate(
        "(m) => hostPage.deliver([m])",
        {"model": inspector.model_id, "data": {"method": "custom", "content": stale}},
    )
    pump(page, kernel, "true", "the resync request")
    assert kernel.custom("from")[-1] == {"type": "resync"}
    assert kernel.updates("snapshot"), "no whole snapshot sent back"
    change(page, kernel, inspector, lambda: session.add(session.User(name="dee")))
    assert views(page)[0]["title"].endswith(f"#{inspector.snapshot['seq']}")
    assert kernel.custom("to")[-1]["type"] == "patch"  # patches again after the resync


def test_views_and_models_let_go_of_their_listeners(hosted, session):
    page, kernel, inspector = hosted
    model = inspector.model_id
    assert page.evaluate("(id) => hostPage.listeners(id, 1)", model) > 0
    page.evaluate("() => hostPage.removeView(1)")
    assert page.evaluate("(id) => hostPage.listeners(id, 1)", model) == 0
    assert page.locator(OUTPUT).count() == 1
    before = views(page)[0]["title"]
    session.add(session.User(name="eve"))
    inspector.source.push()
    deadline = time.monotonic() + 10
    while views(page)[0]["title"] == before:  # the remaining view still follows
        pump(page, kernel, "true", "a push")
        assert time.monotonic() < deadline, views(page)
    assert page.evaluate("(id) => hostPage.listeners(id, 'initialize')", model) == 1
    page.evaluate("(id) => hostPage.closeModel(id)", model)
    assert page.evaluate("(id) => hostPage.listeners(id, 'initialize')", model) == 0
