"""The inspector's views of issue 9: rollback previews of the transaction stack, narration
grouped by cell and flush, run-to-mapper stepping and the plan's diagnostics."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import Address, User, new_session  # noqa: E402

from inspector.orm import inspect  # noqa: E402
from inspector.trace import Recorder  # noqa: E402


def _statuses(*objs):
    return [inspect(o).status for o in objs]


def _scenario():
    """ann committed then renamed; a SAVEPOINT inserts cat and deletes ann; dee pending."""
    s, _ = new_session()
    ann = User(name="ann")
    s.add(ann)
    s.commit()
    ann.name = "bob"
    sp = s.begin_nested()
    cat = User(name="cat")
    s.add(cat)
    s.flush()
    s.delete(ann)
    dee = User(name="dee")
    s.add(dee)
    return s, sp, ann, cat, dee


@pytest.mark.parametrize("level", ["root", "nested"])
def test_rollback_preview_matches_the_rollback(level):
    s, sp, ann, cat, dee = _scenario()
    root = s.get_transaction()
    preview = (root if level == "root" else sp).rollback_preview()
    to_transient = {st.obj() for st in preview.to_transient}
    undeleted = {st.obj() for st in preview.undeleted}
    expired = {st.obj() for st in preview.expired}
    if level == "root":
        s.rollback()
    else:
        sp.rollback()
    for obj in (ann, cat, dee):
        assert (inspect(obj).status == "transient") == (obj in to_transient), obj.name
    assert undeleted == {ann} and inspect(ann).status == "persistent"
    assert {o for o in (ann, cat, dee) if inspect(o).expired_attributes} == expired
    assert preview.expires_all is (level == "root")


def test_transaction_views_carry_savepoint_names_and_what_a_rollback_restores():
    s, sp, ann, cat, dee = _scenario()
    rec = Recorder(s)
    ids = {o.name: rec._id_for(o) for o in (ann, cat, dee)}
    snap = rec.snapshot()
    json.dumps(snap)
    root, nested = snap["transactions"]
    assert root["savepoint"] == "" and nested["savepoint"].startswith("sa_savepoint_")
    rb = nested["rollback"]
    assert rb["level"] == nested["id"]
    assert set(rb["to_transient"]) == {ids["cat"], ids["dee"]}
    assert rb["undeleted"] == [ids["bob"]]
    assert rb["expires_all"] is False
    assert root["rollback"]["expires_all"] is True
    assert root["rollback"]["reloaded"] == [ids["bob"]]  # its rename was flushed at SAVEPOINT
    # an unflushed change: its old value comes back
    s.rollback()
    ann = s.get(User, 1)
    ann.name = "zed"
    snap = rec.snapshot()
    assert snap["transactions"][0]["rollback"]["restored"] == ["User(1).name: 'zed' → 'ann'"]
    s.flush()  # now the database holds 'zed' in this transaction; the rollback reloads 'ann'
    ann.name = "yan"
    snap = rec.snapshot()
    assert snap["transactions"][0]["rollback"]["restored"] == [
        "User(1).name: 'yan' → reloaded from the database"]
    s.rollback()
    assert ann.name == "ann"


def test_the_savepoint_name_is_the_one_emitted():
    s, engine = new_session()
    emitted = []
    from sqlalchemy import event

    event.listen(engine, "before_cursor_execute",
                 lambda conn, cur, stmt, *a: emitted.append(stmt))
    s.add(User(name="x"))
    sp = s.begin_nested()
    assert sp.savepoint_names == []  # no SAVEPOINT until the level first uses the database
    s.connection()
    sp2 = s.begin_nested()
    s.connection()
    names = [sp.savepoint_names, sp2.savepoint_names]
    assert [n[0] for n in names] == [
        e.split()[1] for e in emitted if e.startswith("SAVEPOINT")]
    assert s.get_transaction().savepoint_names == []
    sp2.rollback()
    assert sp2.rollback_preview() is None  # closed: nothing left to restore


def _pending_pair(s):
    s.add(User(name="ann", addresses=[Address(email="a@x")]))


def test_run_to_a_mapper_stops_before_its_next_step():
    s, _ = new_session()
    rec = Recorder(s)
    _pending_pair(s)
    rec.command("run_to:Address")  # plans the flush: its first step touching Address
    flush = rec.snapshot()["flush"]
    cur = flush["steps"][flush["cursor"]]
    assert flush["status"] == "open"
    # the relationship steps touch both sides (User.addresses writes Address.user_id)
    touching = [st["index"] for st in flush["steps"]
                if st["mapper"] == "Address" or "addresses" in st["label"]]
    assert cur["index"] == touching[0]
    before = flush["cursor"]
    rec.command("run_to:Address")  # again: on to the next one
    flush = rec.snapshot()["flush"]
    assert flush["cursor"] > before and flush["cursor"] in touching
    with pytest.raises(Exception, match="No later step of this flush touches"):
        for _ in range(10):
            rec.command("run_to:Address")
    rec.command("run")
    assert rec.snapshot()["flush"]["status"] == "complete"


def test_run_to_on_the_stepper_and_unknown_classes():
    from inspector.orm import FlushStepper

    s, _ = new_session()
    _pending_pair(s)
    stepper = FlushStepper(s)
    records = stepper.run_to(Address)
    assert all(r.step.index < stepper.current.index for r in records)
    with pytest.raises(Exception, match="mapped class"):
        stepper.run_to(int)
    stepper.abort()
    rec = Recorder(s)
    with pytest.raises(ValueError, match="no class named 'Nope'"):
        rec.command("run_to:Nope")
    s.expunge_all()
    with pytest.raises(Exception, match="Nothing to flush"):
        rec.command("run_to:User")


def test_widget_accepts_run_to_and_refuses_odd_names():
    from inspector.widgets.session_widget import SessionInspectorWidget

    s, _ = new_session()
    _pending_pair(s)
    w = SessionInspectorWidget(Recorder(s))
    assert w.command("run_to:User")
    assert w.snapshot["flush"]["status"] == "open"
    assert not w.command("step:User") and "unknown command" in w.error
    w.close()


def _texts(rec):
    return [e["text"] for e in rec.snapshot()["narration"]]


def test_narration_tells_key_copies_state_moves_and_expiry_with_the_flush_number():
    s, _ = new_session()
    rec = Recorder(s)
    ann = User(name="ann", addresses=[Address(email="a@x")])
    s.add(ann)
    s.commit()
    narration = rec.snapshot()["narration"]
    synced = [e for e in narration if " is set to " in e["text"]]
    assert [e["text"] for e in synced] == ["Address(1).user_id is set to 1 from User(1)."]
    assert synced[0]["flush"] == 1 and synced[0]["cell"] is None
    moves = [e for e in narration if "moves from pending to persistent" in e["text"]]
    assert {e["flush"] for e in moves} == {1} and len(moves) == 2
    assert narration[-1]["flush"] == 0  # the COMMIT is not part of the flush
    assert ann.name == "ann"
    assert "User(1) was expired by commit(); reading .name loads it again." in _texts(rec)[-3:]
    s.expire(ann)
    assert ann.name == "ann"
    assert _texts(rec)[-1] == "User(1) had expired attributes; reading .name loads it again."
    assert _texts(rec).count("User(1) was expired by commit(); reading .name loads it again.") == 1


def test_narration_knows_the_command_and_the_cell(monkeypatch):
    from inspector.trace import recorder as recorder_module

    s, _ = new_session()
    rec = Recorder(s)
    monkeypatch.setattr(recorder_module._CellHook, "cell", 7)
    s.add(User(name="bo"))
    monkeypatch.setattr(recorder_module._CellHook, "cell", None)
    rec.command("step")
    narration = rec.snapshot()["narration"]
    joined = next(e for e in narration if "joins the session" in e["text"])
    assert joined["cell"] == 7 and joined["command"] == ""
    planned = next(e for e in narration if e["text"].startswith("Flush planned"))
    assert planned["command"] == "step" and planned["flush"] == 1


def test_detached_access_is_explained_after_the_failing_cell():
    from inspector.orm.exc import DetachedInstanceError

    s, _ = new_session()
    rec = Recorder(s)
    ann = User(name="ann", addresses=[Address(email="a@x")])
    s.add(ann)
    s.commit()
    s.close()
    with pytest.raises(DetachedInstanceError) as info:
        _ = ann.name  # expired by commit(), then detached by close()
    rec._post_run_cell(info.value)  # what the IPython hook does after a failing cell
    text = _texts(rec)[-1]
    assert text.startswith("DetachedInstanceError: User(1) was expired by commit() and then "
                           "detached (it left the session"), text
    assert "reading its attributes" in text and "expire_on_commit=False" in text
    s2, _ = new_session()
    bob = User(name="bob")
    s.add(bob)
    s.commit()
    _ = bob.name
    s.expunge(bob)
    with pytest.raises(DetachedInstanceError) as info:
        _ = bob.addresses
    rec._post_run_cell(info.value)
    text = _texts(rec)[-1]
    assert text.startswith("DetachedInstanceError: User(2) is detached"), text
    assert "reading .addresses" in text


def test_a_foreign_key_without_relationship_is_flagged_in_the_plan():
    from sqlalchemy import Column, ForeignKey, Integer, String, create_engine

    from inspector.orm import Session, declarative_base

    Base = declarative_base()

    class Team(Base):
        __tablename__ = "teams"
        id = Column(Integer, primary_key=True)
        name = Column(String(20))

    class Player(Base):
        __tablename__ = "players"
        id = Column(Integer, primary_key=True)
        team_id = Column(ForeignKey("teams.id"))  # no relationship()

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    s = Session(engine)
    rec = Recorder(s)
    s.add_all([Team(id=1, name="a"), Player(id=1, team_id=1)])
    rec.command("step")
    flush = rec.snapshot()["flush"]
    assert flush["diagnostics"] == [
        "players.team_id references teams, but no relationship() links Player and Team: the "
        "flush does not order their rows by this foreign key, so which runs first is undefined"]
    assert "si-warning-edge" in flush["dot"]
    assert "players.team_id: no relationship()" in flush["dot"]
    rec.command("abort")
    # a relationship() between them: nothing to flag
    s2, _ = new_session()
    rec2 = Recorder(s2)
    _pending_pair(s2)
    rec2.command("step")
    assert rec2.snapshot()["flush"]["diagnostics"] == []


def test_each_step_moves_graph_sql_log_identity_map_and_stack_together():
    s, _ = new_session()
    rec = Recorder(s)
    pushed = []
    rec.subscribe(pushed.append)
    _pending_pair(s)
    rec.command("step")
    seen_sql = 0
    while True:
        snap = pushed[-1]  # the one snapshot every view of this step is drawn from
        flush = snap["flush"]
        cursor = flush["cursor"]
        states = [st["state"] for st in flush["steps"]]
        assert states[:cursor] == ["done"] * cursor
        if flush["status"] == "open":
            assert states[cursor] == "current"
            node = flush["steps"][cursor]["node"]
            line = next(ln for ln in flush["dot"].splitlines() if ln.strip().startswith(node))
            assert 'class="si-step si-current"' in line
            assert [t["kind"] for t in snap["transactions"]] == ["root", "subtransaction"]
        # the SQL log holds exactly the statements of the steps that ran
        ran = [e for e in snap["sql"] if e["step"] is not None]
        assert all(e["step"] < cursor for e in ran)
        assert len(ran) == sum(len(st["statements"]) for st in flush["steps"][:cursor])
        assert len(snap["sql"]) >= seen_sql
        seen_sql = len(snap["sql"])
        # the identity map shows the keys the steps generated and copied
        values = {(o["cls"], a["name"]): a["value"] for o in snap["objects"]
                  for a in o["attributes"]}
        done = {st["label"] for st in flush["steps"][:cursor]}
        assert (values[("User", "id")] == "1") == ("INSERT/UPDATE User" in done)
        synced = any(st["synced"] for st in flush["steps"][:cursor])
        assert (values[("Address", "user_id")] == "1") == synced
        if flush["status"] != "open":
            break
        rec.command("step")
    assert flush["status"] == "complete"
    assert [t["kind"] for t in snap["transactions"]] == ["root"]
    assert {o["status"] for o in snap["objects"]} == {"persistent"}


def test_the_ipython_hooks_number_cells_and_explain_a_failed_one(monkeypatch):
    from types import SimpleNamespace

    from inspector.orm.exc import DetachedInstanceError
    from inspector.trace import recorder as recorder_module

    hook = recorder_module._CellHook
    monkeypatch.setattr(hook, "cell", None)
    s, _ = new_session()
    rec = Recorder(s)
    ip = SimpleNamespace(execution_count=12)
    monkeypatch.setattr("IPython.get_ipython", lambda: ip)
    hook._pre_run_cell(SimpleNamespace())
    ann = User(name="ann")
    s.add(ann)
    s.commit()
    s.close()
    try:
        _ = ann.name
    except DetachedInstanceError as e:
        error = e
    hook._post_run_cell(SimpleNamespace(error_in_exec=error))
    assert hook.cell is None
    narration = rec.snapshot()["narration"]
    assert {e["cell"] for e in narration} == {12}  # the explanation joins the failed cell
    assert narration[-1]["text"].startswith("DetachedInstanceError: User(1) was expired")
    rec.close()


def test_a_large_rollback_preview_is_capped_but_counted():
    from inspector.trace.recorder import PREVIEW_CAP

    s, _ = new_session()
    rec = Recorder(s)
    users = [User(name="u%d" % i) for i in range(PREVIEW_CAP + 7)]  # held: weakly mapped
    s.add_all(users)
    s.flush()
    rb = rec.snapshot()["transactions"][0]["rollback"]
    assert len(rb["to_transient"]) == PREVIEW_CAP
    assert rb["to_transient_total"] == PREVIEW_CAP + 7 and rb["more"] == 7
