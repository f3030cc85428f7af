"""Large plans stay readable: a step of 10,000 objects is a count in its node, and a cycle split
into thousands of per-row steps is drawn as one node per kind of work (trace/bigplan.py)."""

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import User, new_session  # noqa: E402
from test_flush_planning import Node, _node_session  # noqa: E402

from inspector.trace import Recorder, bigplan  # noqa: E402


def node_lines(dot):
    return [line for line in dot.splitlines() if re.match(r"\s+\w+ \[label=", line)]


def test_a_step_of_10000_objects_is_a_count_in_its_node():
    s, _ = new_session()
    rec = Recorder(s)
    s.add_all([User(name="user number %d" % i) for i in range(10_000)])
    rec.command("step")
    t0 = time.perf_counter()
    snap = rec.snapshot()
    took = time.perf_counter() - t0
    flush = snap["flush"]
    (step,) = flush["steps"]
    assert len(step["objects"]) == 10_000  # the whole list, for the searchable member list
    (line,) = node_lines(flush["dot"])
    assert 'label="1. INSERT/UPDATE User\\n10000 objects"' in line
    assert "user number" not in flush["dot"] and len(flush["dot"]) < 2_000
    rec.command("run")
    log = rec.snapshot()["sql"]
    insert = [e for e in log if e["sql"].startswith("INSERT")]
    assert [(e["batch"], e["executions"]) for e in insert] == [(10_000, 10_000)]
    print("\n[large plan] 10,000 pending objects: snapshot %.2f s" % took)


def chain(n):
    s = _node_session()
    prev = None
    for i in range(n):
        prev = Node(name="n%d" % i, parent=prev)
        s.add(prev)
    return s


def test_per_row_steps_of_a_cycle_are_drawn_as_one_node_per_kind():
    s = chain(300)  # a self-referential chain: 600 per-row steps
    rec = Recorder(s)
    rec.command("step")
    for _ in range(3):
        rec.command("step")
    flush = rec.snapshot()["flush"]
    assert len(flush["steps"]) == 600 and len(flush["edges"]) >= 599  # all kept
    lines = node_lines(flush["dot"])
    assert len(lines) == 2
    assert "1–599. sync keys Node.parent × 300 rows\\none step per row, 2 done" in lines[0]
    assert "2–600. INSERT/UPDATE Node × 300 rows\\none step per row, 1 done" in lines[1]
    assert 'class="si-step si-current' in lines[1]  # step 4 (an INSERT) is the current one
    ids = {s["node"] for s in flush["steps"]}
    assert all(re.match(r"\s+(\w+) ", line).group(1) in ids for line in lines)  # clickable
    assert flush["dot"].count("->") == 2


def test_small_plans_are_drawn_whole():
    s = chain(5)
    rec = Recorder(s)
    rec.command("step")
    flush = rec.snapshot()["flush"]
    assert len(node_lines(flush["dot"])) == len(flush["steps"]) == 10 < bigplan.GRAPH_NODES


def test_collapse_keeps_ungrouped_nodes_and_the_worst_state():
    nodes = [{"id": "a", "label": "A", "kind": "save", "state": "done", "order": 0},
             {"id": "b", "label": "B#1", "kind": "save", "state": "done", "order": 1},
             {"id": "c", "label": "B#2", "kind": "save", "state": "failed", "order": 2},
             {"id": "d", "label": "B#3", "kind": "save", "state": "pending", "order": 3}]
    edges = [{"source": "a", "target": "b", "reason": "r1"},
             {"source": "a", "target": "c", "reason": "r2"},
             {"source": "b", "target": "c", "reason": "inside"}]
    groups = {"b": ("save", "B"), "c": ("save", "B"), "d": ("save", "B")}
    out_nodes, out_edges = bigplan.collapse(nodes, edges, groups)
    assert [(n["id"], n["state"]) for n in out_nodes] == [("a", "done"), ("b", "failed")]
    assert out_nodes[1]["label"] == "2–4. B × 3 rows\none step per row, 1 done"
    assert out_edges == [{"source": "a", "target": "b", "reason": "r1"}]
