# trace/dot.py
"""A flush plan as DOT text (written with the ``graphviz`` package), the cursor step highlighted."""

from __future__ import annotations

import textwrap

import graphviz

#: edge labels wrap at this many characters (the browser's font is wider than Graphviz's guess)
_EDGE_WIDTH = 24

_FILL = {"save": "#e8f1fb", "delete": "#fbeaea", "process": "#f3f3f3",
         "post-update": "#fdf3dc", "association": "#eef6e6"}


def plan_dot(nodes: list[dict], edges: list[dict]) -> str:
    """DOT for the plan graph.

    ``nodes``: dicts with ``id``, ``label``, ``kind`` and ``state`` (pending / current / done /
    failed); ``edges``: dicts with ``source``, ``target`` and ``reason``, the rule that made
    the edge, shown as its label (``kind: "warning"``: a diagnostic drawn dashed, outside
    the ranking, e.g. a foreign key no relationship() orders).  Every text is escaped, so
    values from user data stay text.
    """
    g = graphviz.Digraph("flush", graph_attr={"rankdir": "TB", "fontname": "Helvetica",
                                              "bgcolor": "transparent", "pad": "0.25"},
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
        g.node(n["id"], label=_lines(n["label"].split("\n")), **attrs)
    for e in edges:
        label = _lines(textwrap.wrap(e["reason"], _EDGE_WIDTH) or [""])
        extra = {}
        if e.get("kind") == "warning":  # a diagnostic, not an ordering rule: no rank
            extra = {"style": "dashed", "color": "#b91c1c", "fontcolor": "#b91c1c",
                     "constraint": "false", "class": "si-warning-edge", "dir": "none"}
        g.edge(e["source"], e["target"], label=label, tooltip=graphviz.escape(e["reason"]),
               **extra)
    return g.source


def _lines(lines: list[str]) -> str:
    """Escaped lines joined by DOT's line break (``\\n`` in a label)."""
    return "\\n".join(graphviz.escape(line) for line in lines)
