"""One recorder per session, shared by every inspector; coalesced pushes (issue 6, section 3)."""

import asyncio
import gc
import sys
import weakref
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import Address, User, new_session  # noqa: E402

from inspector import FlushStepper, SessionInspector  # noqa: E402
from inspector.trace import Recorder, recorder_for  # noqa: E402
from inspector.trace import recorder as recorder_module  # noqa: E402


def test_one_recorder_per_session():
    s1, _ = new_session()
    s2, _ = new_session()
    assert recorder_for(s1) is recorder_for(s1)
    assert recorder_for(s1) is not recorder_for(s2)
    a, b = SessionInspector(s1), SessionInspector(s1)
    assert a.source is b.source is recorder_for(s1)
    closed = recorder_for(s2)
    closed.close()
    assert recorder_for(s2) is not closed  # a closed recorder is replaced
    a.close()
    b.close()


def test_a_command_from_one_view_reaches_every_view_with_the_same_snapshot():
    s, _ = new_session()
    a, b = SessionInspector(s), SessionInspector(s)
    s.add(User(name="ann", addresses=[Address(email="a@x")]))
    assert a.command("step")
    assert a.snapshot == b.snapshot and b.snapshot["flush"]["status"] == "open"
    assert b.command("run")
    assert a.snapshot == b.snapshot and a.snapshot["flush"]["status"] == "complete"
    a.close()
    b.close()


def test_changes_from_code_are_pushed_once_within_100ms():
    """Events from code (a stepper driven in a cell) reach every view through one push."""

    async def main():
        s, _ = new_session()
        a, b = SessionInspector(s), SessionInspector(s)
        rec = a.source
        assert rec.push_mode == "event loop"
        pushes = []
        rec.subscribe(pushes.append)
        s.add(User(name="ann", addresses=[Address(email="a@x"), Address(email="b@x")]))
        stepper = FlushStepper(s)
        stepper.step()
        stepper.step()  # many events so far ...
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        while not pushes and loop.time() - t0 < 1:
            await asyncio.sleep(0.005)
        elapsed = loop.time() - t0
        await asyncio.sleep(recorder_module.PUSH_DELAY * 3)
        result = (len(pushes), elapsed, a.snapshot == b.snapshot == pushes[-1],
                  pushes[-1]["flush"]["cursor"])  # fmt: skip
        stepper.run()
        a.close()
        b.close()
        return result

    n, elapsed, agree, cursor = asyncio.run(main())
    assert n == 1, "events must be coalesced into one push"
    assert elapsed < 0.1
    assert agree and cursor == 2


def test_without_a_loop_changes_wait_for_a_command_or_push():
    s, _ = new_session()
    rec = Recorder(s)
    assert rec.push_mode == "inline" and "pushes: inline" in repr(rec)
    got = []
    rec.subscribe(got.append)
    s.add(User(name="x"))
    assert got == []  # nothing scheduled: no loop to run it
    rec.push()
    assert got[-1]["objects"][0]["status"] == "pending"
    rec.close()


def test_a_failed_command_still_pushes():
    s, _ = new_session()
    rec = Recorder(s)
    got = []
    rec.subscribe(got.append)
    try:
        rec.command("abort")
    except RuntimeError:
        pass
    assert len(got) == 1
    rec.close()


def test_cell_hook_pushes_only_what_changed():
    s, _ = new_session()
    rec = Recorder(s)
    got = []
    rec.subscribe(got.append)
    recorder_module._CellHook._post_run_cell(None)
    assert len(got) == 1
    recorder_module._CellHook._post_run_cell(None)
    assert len(got) == 1  # nothing changed: no push
    s.add(User(name="x"))
    recorder_module._CellHook._post_run_cell(None)
    assert len(got) == 2
    rec.close()


def test_the_registry_does_not_keep_sessions_alive():
    s, _ = new_session()
    view = SessionInspector(s)
    rec = weakref.ref(view.source)
    session = weakref.ref(s)
    view.close()
    del view, s
    gc.collect()
    assert session() is None and rec() is None
