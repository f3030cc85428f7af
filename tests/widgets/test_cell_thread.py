"""Button presses run on the cells' thread, whatever thread delivers them (issue 6, section 3).

Under ipykernel 7, JupyterLab >= 4.4 / Notebook 7 send widget comm messages over a kernel
subshell, handled on its own thread, while cells run on the main thread's asyncio loop.  Here a
"cells" thread runs an asyncio loop like the kernel's main thread and creates the session, its
in-memory SQLite connection (bound to that thread) and the widgets; a second thread delivers the
front-end's message the way ipykernel's subshell thread does.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import Address, User, new_session  # noqa: E402

from inspector import SessionInspector  # noqa: E402
from inspector.cell_thread import CellThread, CellThreadUnavailable  # noqa: E402
from inspector.widgets import SessionInspectorWidget  # noqa: E402


def frontend(widget, content):
    """Deliver ``model.send(content)`` as ipywidgets' comm handler would."""
    widget._handle_custom_msg(content, [])


def from_other_thread(fn, *args):
    """Call ``fn(*args)`` on a fresh thread (like ipykernel's subshell thread); re-raise."""
    failure = []

    def target():
        try:
            fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            failure.append(exc)

    t = threading.Thread(target=target, name="subshell")
    t.start()
    t.join(10)
    if failure:
        raise failure[0]


class ThreadNotingSource:
    """A snapshot source that notes the thread each command ran on."""

    def __init__(self):
        self.threads = []

    def snapshot(self):
        return {"seq": len(self.threads)}

    def subscribe(self, callback):
        self.callback = callback
        return lambda: None

    def command(self, name):
        self.threads.append(threading.current_thread().name)
        self.callback(self.snapshot())


async def until(predicate, timeout=5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.005)


def run_on_cells_thread(coro_fn):
    """Run ``coro_fn()`` in an asyncio loop on a thread named "cells" (the kernel's main)."""
    out, failure = [], []

    def target():
        try:
            out.append(asyncio.run(coro_fn()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            failure.append(exc)

    t = threading.Thread(target=target, name="cells")
    t.start()
    t.join(60)
    if failure:
        raise failure[0]
    return out[0]


def test_command_from_another_thread_runs_on_the_cells_thread(monkeypatch):
    async def cells():
        source = ThreadNotingSource()
        widget = SessionInspectorWidget(source)
        acks = []
        monkeypatch.setattr(widget, "send", lambda content, buffers=None: acks.append(
            (content, threading.current_thread().name)))
        assert widget.dispatch_mode == "event loop"
        from_other_thread(frontend, widget, {"type": "command", "name": "step"})
        assert source.threads == []  # queued, not run on the subshell thread
        await until(lambda: acks)
        widget.close()
        return source.threads, acks

    threads, acks = run_on_cells_thread(cells)
    assert threads == ["cells"]
    assert acks == [({"type": "ack", "name": "step"}, "cells")]


def _stepped_session():
    session, engine = new_session()  # sqlite:// in memory: connections refuse other threads
    session.add(User(name="ann", addresses=[Address(email="a@example.com")]))
    return session


def test_the_thread_bound_connection_is_real():
    """Without the hand-over, the notebook's error: the open flush's connection is the cells'."""
    session = _stepped_session()
    view = SessionInspector(session)
    assert view.command("step")  # opens the stepped flush: connection checked out here
    with pytest.raises(Exception, match="can only be used in that same thread"):
        from_other_thread(view.source.command, "step")
    view.close()


def test_sqlite_buttons_from_another_thread_step_to_the_end(monkeypatch):
    """Step through a whole flush and Run another, every press delivered from a foreign thread."""

    async def cells():
        session = _stepped_session()
        first, second = SessionInspector(session), SessionInspector(session)
        acks = []
        for w in (first, second):
            monkeypatch.setattr(w, "send", lambda content, buffers=None: acks.append(content))

        async def press(widget, name):
            n = len(acks)
            from_other_thread(frontend, widget, {"type": "command", "name": name})
            await until(lambda: len(acks) > n)
            assert widget.error == ""
            assert first.snapshot == second.snapshot  # both views, the same state

        await press(first, "step")
        while first.snapshot["flush"]["status"] == "open":
            await press(first, "step")
        assert first.snapshot["flush"]["status"] == "complete"
        session.add(User(name="bob"))
        await press(second, "run")
        statuses = {o["label"]: o["status"] for o in second.snapshot["objects"]}
        first.close()
        second.close()
        session.close()  # on its own thread: close_all_sessions() elsewhere must not meet it
        return statuses

    statuses = run_on_cells_thread(cells)
    assert set(statuses.values()) == {"persistent"} and len(statuses) == 3


def test_without_a_loop_foreign_presses_are_refused_visibly(monkeypatch):
    source = ThreadNotingSource()
    widget = SessionInspectorWidget(source)  # plain Python: no running loop
    acks = []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: acks.append(content))
    assert widget.dispatch_mode == "inline"
    assert "commands: inline" in repr(widget)
    from_other_thread(frontend, widget, {"type": "command", "name": "run"})
    assert source.threads == []  # never run on the wrong thread
    assert widget.error.startswith("CellThreadUnavailable: this arrived on thread 'subshell'")
    assert acks == [{"type": "ack", "name": "run"}]  # the front-end still unlocks
    frontend(widget, {"type": "command", "name": "run"})  # same thread: runs at once
    assert source.threads == [threading.current_thread().name]
    assert widget.error == ""
    widget.close()


def test_cell_thread_call_and_call_later():
    cell = CellThread()
    assert cell.mode == "inline" and cell.call_later(0.01, lambda: None) is None
    ran = []
    assert cell.call(ran.append, 1) is True and ran == [1]
    with pytest.raises(CellThreadUnavailable):
        from_other_thread(cell.call, ran.append, 2)

    async def main():
        cell = CellThread()
        seen = []
        from_other_thread(cell.call, lambda: seen.append(threading.current_thread().name))
        handle = cell.call_later(0.01, lambda: seen.append("later"))
        cancelled = cell.call_later(0.01, lambda: seen.append("cancelled"))
        cancelled.cancel()
        await until(lambda: len(seen) == 2)
        await asyncio.sleep(0.03)
        assert handle is not None
        return seen

    assert run_on_cells_thread(main) == ["cells", "later"]
