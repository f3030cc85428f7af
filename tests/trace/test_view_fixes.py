"""Fixes to the inspector's views (issue 9): the narration sent once, the foreign-key warning
edge of a grouped large plan, executions of a step's statements agreeing with the SQL log, and
the ROLLBACK of a failed flush attributed to the rollback rather than the failed step."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import Address, User, new_session  # noqa: E402

from inspector.trace import Recorder  # noqa: E402
from inspector.trace.snapshot import SessionSnapshot  # noqa: E402


def test_the_narration_is_sent_once_with_its_cell_and_flush():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name="ann", addresses=[Address(email="a")]))
    s.commit()
    snap = rec.snapshot()
    assert "events" not in snap  # no second, plain copy of the same sentences
    assert "events" not in {f for f in SessionSnapshot.__dataclass_fields__}
    texts = [e["text"] for e in snap["narration"]]
    assert "COMMIT: the changes are now permanent." in texts
    assert all(set(e) == {"text", "cell", "flush", "command"} for e in snap["narration"])


def _tree_with_an_unlinked_foreign_key(roots: int, children: int):
    """Nodes in a self-referential tree (its per-row steps are grouped past GRAPH_NODES) and
    a Tag whose foreign key to nodes has no relationship()."""
    from sqlalchemy import Column, ForeignKey, Integer, String, create_engine

    from inspector.orm import Session, declarative_base, relationship

    Base = declarative_base()

    class Tag(Base):
        __tablename__ = "tags"
        id = Column(Integer, primary_key=True)
        node_id = Column(ForeignKey("nodes.id"))  # no relationship()

    class Node(Base):
        __tablename__ = "nodes"
        id = Column(Integer, primary_key=True)
        parent_id = Column(Integer, ForeignKey("nodes.id"))
        name = Column(String(50))
        parent = relationship("Node", remote_side=[id])

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    s = Session(engine)
    tops = [Node(name="r%d" % i) for i in range(roots)]
    s.add_all(tops)
    s.add_all([Node(name="n%d" % i, parent=tops[i % roots]) for i in range(children)])
    s.add(Tag(id=1, node_id=1))
    return s


def test_the_fk_warning_edge_of_a_grouped_plan_points_at_the_group_node():
    import re

    from dot_check import dot_dangling_edges

    from inspector.trace import bigplan

    s = _tree_with_an_unlinked_foreign_key(roots=6, children=80)
    rec = Recorder(s)
    rec.command("step")
    flush = rec.snapshot()["flush"]
    node_step = next(st for st in flush["steps"] if st["label"].startswith("INSERT/UPDATE Node"))
    assert len(node_step["objects"]) == 6  # a batch of per-row actions: its first is not
    # necessarily the id the group node would have taken
    assert len(flush["nodes"]) < bigplan.GRAPH_NODES < 2 * 86  # grouped
    dot = flush["dot"]
    assert dot_dangling_edges(dot) == []
    (warning,) = [ln for ln in dot.splitlines() if "si-warning-edge" in ln]
    source, target = re.match(r"\s*(\S+) -> (\S+) ", warning).groups()
    tag_step = next(st for st in flush["steps"] if st["label"] == "INSERT/UPDATE Tag")
    assert (source, target) == (node_step["node"], tag_step["node"])
    # the group node keeps the id of its first step's node: a click on it selects that step
    ids = {n["id"] for n in flush["nodes"]}
    assert node_step["node"] in ids
    rec.command("run")
    assert dot_dangling_edges(rec.snapshot()["flush"]["dot"]) == []


def test_collapse_keeps_a_warning_edge_beside_an_ordering_edge_of_the_same_groups():
    from inspector.trace import bigplan

    nodes = [{"id": i, "label": i, "kind": "save", "state": "pending", "order": n}
             for n, i in enumerate("abcd")]
    edges = [{"source": "a", "target": "c", "reason": "orders"},
             {"source": "b", "target": "d", "reason": "fk", "kind": "warning"}]
    groups = {"a": "A", "b": "A", "c": "C", "d": "C"}
    _, out = bigplan.collapse(nodes, edges, groups)
    assert [(e["source"], e["target"], e.get("kind")) for e in out] == [
        ("a", "c", None), ("a", "c", "warning")]


def test_plan_dot_leaves_out_an_edge_to_a_node_it_does_not_draw():
    from dot_check import dot_dangling_edges

    from inspector.trace import dot as dot_module

    plan_dot = getattr(dot_module.plan_dot, "__wrapped__", dot_module.plan_dot)
    nodes = [{"id": "a", "label": "A", "kind": "save", "state": "pending"}]
    dot = plan_dot(nodes, [{"source": "a", "target": "gone", "reason": "r"}])
    assert "gone" not in dot and dot_dangling_edges(dot) == []
    assert dot_dangling_edges('digraph {\n\ta [label="A"]\n\ta -> "gone" [label="r"]\n}') == [
        ("a", "gone")]


def _failing_pair(nested=False):
    s, _ = new_session()
    s.add(User(id=1, name="a"))
    s.commit()
    if nested:
        s.begin_nested()
    s.add(User(id=1, name="b"))  # its INSERT fails: the key is taken
    return s


def test_the_rollback_of_a_failed_flush_is_not_the_failed_steps():
    import warnings

    import pytest
    from sqlalchemy.exc import IntegrityError

    s = _failing_pair()
    rec = Recorder(s)
    with warnings.catch_warnings(), pytest.raises(IntegrityError):
        warnings.simplefilter("ignore")
        s.commit()
    *_, failed, rollback = rec.snapshot()["sql"]
    assert failed["sql"].startswith("INSERT") and failed["error"] and failed["step"] == 0
    assert rollback["sql"] == "ROLLBACK" and rollback["step"] is None
    assert rollback["in_flush"] and rollback["flush"] == failed["flush"]
    assert rollback["origin"] == "rollback of the failed flush"
    assert "s.commit()" in rollback["source"]
    s.rollback()  # the database transaction is already rolled back: nothing more runs
    assert rec.snapshot()["sql"][-1]["seq"] == rollback["seq"]


def test_a_failed_stepped_flush_in_a_savepoint_rolls_back_to_it_outside_the_step():
    import warnings

    import pytest
    from sqlalchemy.exc import IntegrityError

    s = _failing_pair(nested=True)
    rec = Recorder(s)
    rec.command("step")
    with warnings.catch_warnings(), pytest.raises(IntegrityError):
        warnings.simplefilter("ignore")
        rec.command("step")
    log = rec.snapshot()["sql"]
    back = next(e for e in log if e["sql"].startswith("ROLLBACK TO SAVEPOINT"))
    assert back["step"] is None and back["origin"] == "rollback of the failed flush"
    assert back["source"] == "an inspector button"
    assert [e["step"] for e in log if e["error"]] == [0]  # the failed INSERT stays the step's
    s.rollback()
    after = rec.snapshot()["sql"][-1]
    assert after["sql"] == "ROLLBACK" and after["origin"] == "Session.rollback"
    assert not after["in_flush"] and after["step"] is None


def test_an_aborted_stepped_flush_rolls_back_as_the_abort():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name="a", addresses=[Address(email="x")]))
    rec.command("step")
    rec.command("step")
    rec.command("abort")
    rollback = rec.snapshot()["sql"][-1]
    assert (rollback["sql"], rollback["step"], rollback["origin"]) == (
        "ROLLBACK", None, "stepped flush abort")


def _writes(rec):
    """(SQL, parameter sets, executions) of the log's writes and of the steps' statements."""
    snap = rec.snapshot()
    log = [(e["sql"], e["batch"], e["executions"]) for e in snap["sql"]
           if e["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    steps = [(" ".join(st["sql"].split()), st["rows"], st["executions"])
             for step in snap["flush"]["steps"] for st in step["statements"]]
    return log, steps


def test_an_executemany_is_one_execution_of_500_parameter_sets_in_the_log_and_the_step():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(id=1, name="ann"))
    s.add_all([Address(id=i, email="e%d" % i, user_id=1) for i in range(1, 501)])
    s.commit()  # every key given: one cursor.executemany() of 500 sets
    log, steps = _writes(rec)
    assert log == steps
    assert [(sets, runs) for sql, sets, runs in log if "addresses" in sql] == [(500, 1)]
    for a in s.query(Address).all():
        a.email = "x"
    s.commit()
    log, steps = _writes(rec)
    assert log[-1][1:] == steps[-1][1:] == (500, 1)  # UPDATE: one executemany too


def test_rows_inserted_one_cursor_execution_each_say_so_in_the_step_too():
    """A server default to fetch back: Core's insertmanyvalues runs INSERT ... RETURNING once
    per row on SQLite, in one Connection.execute(); the step counted that as one execution."""
    from sqlalchemy import Column, Integer, String, create_engine, func

    from inspector.orm import Session, declarative_base

    Base = declarative_base()

    class Stamp(Base):
        __tablename__ = "stamps"
        id = Column(Integer, primary_key=True)
        v = Column(String(10))
        made = Column(String(30), server_default=func.current_timestamp())

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    s = Session(engine)
    rec = Recorder(s)
    s.add_all([Stamp(v="s%d" % i) for i in range(5)])
    s.commit()
    log, steps = _writes(rec)
    assert log == steps
    assert [(sets, runs) for _, sets, runs in steps] == [(5, 5)]


def test_a_step_keeps_its_own_count_when_the_log_no_longer_holds_its_entries():
    from inspector.trace.sqllog import observed_executions

    class St:
        def __init__(self, sql, n):
            self.sql, self.parameters = sql, [{}] * n

    one = [St("INSERT INTO a (x)\n VALUES (?)", 3)]
    assert observed_executions([("INSERT INTO a (x) VALUES (?)", 3, 3)], one) == [3]
    assert observed_executions([], one) is None
    assert observed_executions([("INSERT INTO a (x) VALUES (?)", 6, 6)], one * 2) is None


def test_edge_labels_are_short_with_the_whole_rule_in_the_tooltip():
    from inspector.trace import dot as dot_module

    rule = "children receive the parent's key before they're saved"
    nodes = [{"id": i, "label": i, "kind": "save", "state": "pending"} for i in "abc"]
    edges = [{"source": "a", "target": "b", "reason": rule},
             {"source": "a", "target": "c", "reason": "t.c_id: no relationship(), order "
              "undefined", "kind": "warning"}]
    dot = dot_module.plan_dot(nodes, edges)
    rule_line = next(ln for ln in dot.splitlines() if ln.strip().startswith("a -> b"))
    assert 'label="children receive the\\nparent\'s key before…"' in rule_line  # two lines
    assert 'tooltip="%s"' % rule in rule_line  # the whole rule on hover
    warning = next(ln for ln in dot.splitlines() if ln.strip().startswith("a -> c"))
    assert "order undefined" in warning.split("tooltip=")[0]  # a warning is said whole


def test_graphviz_sizes_text_for_the_font_the_widget_draws_it_in():
    """Sized for Helvetica, labels drawn in a wider font ran into each other: Graphviz now
    sizes them for DejaVu Sans and the widget's CSS draws graph text in it (or narrower)."""
    import re

    from inspector.trace import dot as dot_module

    dot = dot_module.plan_dot([{"id": "a", "label": "A", "kind": "save", "state": "done"}], [])
    assert dot.count('fontname="%s"' % dot_module._FONT) == 3  # graph, nodes, edges
    assert "nodesep=0.6" in dot and "ranksep=0.7" in dot and 'margin="0.15,0.06"' in dot
    css = (Path(__file__).parents[2] / "inspector" / "static" / "widget.css").read_text()
    rule = re.search(r"\.si-graph svg text\s*\{([^}]*)\}", css).group(1)
    family = re.search(r"font-family:\s*([^;]+)", rule).group(1)
    assert family.split(",")[0].strip().strip('"') == dot_module._FONT
