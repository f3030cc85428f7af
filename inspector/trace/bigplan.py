# trace/bigplan.py
"""Large plans stay readable: a graph of more than :data:`GRAPH_NODES` nodes draws its per-row
nodes (a cycle split into one step per row) as one node per kind of work, e.g.
``"2–2000. INSERT/UPDATE Node × 1000 rows"``, with the edges between groups kept once.

Only the drawing changes: ``FlushView.steps`` and ``FlushView.edges`` keep every step and edge
(the step list, "Why?" and the searchable member list use them).  A group node takes the id of
its first step's node, so a click on it selects that step.
"""

from __future__ import annotations

from typing import Any

#: nodes a plan graph draws before per-row nodes are grouped
GRAPH_NODES = 120

_RANK = {"failed": 0, "current": 1, "pending": 2, "done": 3}


def collapse(nodes: list[dict], edges: list[dict], groups: dict[str, Any]) -> tuple[
        list[dict], list[dict]]:
    """``nodes`` / ``edges`` as :func:`~inspector.trace.dot.plan_dot` takes them, with the nodes
    named in ``groups`` (node id -> group key, e.g. ``("save", "INSERT/UPDATE Node")``) merged
    per key.  Nodes of no group stay as they are."""
    members: dict[Any, list[dict]] = {}
    for n in nodes:
        key = groups.get(n["id"])
        if key is not None:
            members.setdefault(key, []).append(n)
    target: dict[str, str] = {}
    merged: dict[str, dict] = {}
    for key, group in members.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda n: n["order"])
        first, last = group[0], group[-1]
        states = [n["state"] for n in group]
        state = min(states, key=lambda s: _RANK.get(s, 2))  # failed, current, pending, done
        done = states.count("done")
        span = ("%d–%d. " % (first["order"] + 1, last["order"] + 1)
                if last["order"] < 1 << 30 else "")
        label = key[1] if isinstance(key, tuple) else str(key)
        text = "%s%s × %d rows\none step per row" % (span, label, len(group))
        if 0 < done < len(group):
            text += ", %d done" % done
        merged[first["id"]] = {**first, "label": text, "state": state}
        for n in group:
            target[n["id"]] = first["id"]
    out_nodes = []
    for n in nodes:
        to = target.get(n["id"])
        if to is None:
            out_nodes.append(n)
        elif to == n["id"]:
            out_nodes.append(merged[to])
    out_edges = []
    seen: set[tuple[str, str, Any]] = set()
    for e in edges:
        a = target.get(e["source"], e["source"])
        b = target.get(e["target"], e["target"])
        # once per pair of drawn nodes and kind: a warning is not folded into an ordering edge
        if a == b or (a, b, e.get("kind")) in seen:
            continue
        seen.add((a, b, e.get("kind")))
        out_edges.append({**e, "source": a, "target": b})
    return out_nodes, out_edges
