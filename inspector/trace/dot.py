# trace/dot.py
"""A flush plan as DOT text (written with the ``graphviz`` package), the cursor step highlighted."""

from __future__ import annotations

import graphviz

_FILL = {"save": "#e8f1fb", "delete": "#fbeaea", "process": "#f3f3f3", "association": "#eef6e6"}


def plan_dot(nodes: list[dict], edges: list[dict]) -> str:
    """DOT for the plan graph.

    ``nodes``: dicts with ``id``, ``label``, ``kind`` and ``state`` (pending / current / done /
    failed); ``edges``: dicts with ``source``, ``target`` and ``reason``.  Every text is
    escaped, so values from user data stay text.
    """
    g = graphviz.Digraph("flush", graph_attr={"rankdir": "TB", "fontname": "Helvetica",
                                              "bgcolor": "transparent"},
                         node_attr={"shape": "box", "style": "rounded,filled",
                                    "fontname": "Helvetica", "fontsize": "11"},
                         edge_attr={"fontname": "Helvetica", "fontsize": "9",
                                    "color": "#888888"})
    for n in nodes:
        state = n["state"]
        attrs = {
            "id": n["id"],
            "class": "si-step si-%s" % state,
            "fillcolor": _FILL.get(n["kind"], "#ffffff"),
            "tooltip": graphviz.escape(n["label"]),
        }
        if state == "current":
            attrs.update(penwidth="3", color="#d97706", fillcolor="#fff3c4")
        elif state == "done":
            attrs.update(color="#15803d", fontcolor="#15803d")
        elif state == "failed":
            attrs.update(penwidth="3", color="#b91c1c", fillcolor="#fde2e2")
        g.node(n["id"], label=graphviz.escape(n["label"]), **attrs)
    for e in edges:
        g.edge(e["source"], e["target"], tooltip=graphviz.escape(e["reason"]))
    return g.source
