# trace/dot.py
"""A flush plan as DOT text (written with the ``graphviz`` package), the cursor step highlighted."""

from __future__ import annotations

import textwrap

import graphviz

from .text import clip, visible

#: edge labels wrap at this many characters, in at most this many lines (cut with "…"; the
#: whole rule is the edge's tooltip)
_EDGE_WIDTH = 26
_EDGE_LINES = 2
#: the font Graphviz sizes every text for: DejaVu Sans, the widest common sans-serif, whose
#: metrics Graphviz knows.  Sized for Helvetica, a label drawn in the browser's (often wider)
#: font ran past its box into its neighbour's; the widget's CSS draws the text in Helvetica or
#: a font of its width where there is one, narrower than the box, never wider.
_FONT = "DejaVu Sans"
#: a node shows at most this many lines of this many characters (its tooltip: _TOOLTIP)
_NODE_LINES = 4
_NODE_WIDTH = 60
_TOOLTIP = 500

_FILL = {"save": "#e8f1fb", "delete": "#fbeaea", "process": "#f3f3f3",
         "post-update": "#fdf3dc", "association": "#eef6e6"}


def plan_dot(nodes: list[dict], edges: list[dict]) -> str:
    """DOT for the plan graph.

    ``nodes``: dicts with ``id``, ``label``, ``kind`` and ``state`` (pending / current / done /
    failed), optionally ``per_object`` (dashed), ``group`` (drawn as a cluster with that label:
    a cycle split into per-row steps) and ``cycle`` (an unresolvable cycle: red); ``edges``:
    dicts with ``source``, ``target`` and ``reason``, the rule that made the edge, shown as its
    label, optionally ``cycle``, or ``kind: "warning"`` (a diagnostic drawn dashed, outside the
    ranking, e.g. a foreign key no relationship() orders).  Every text is escaped, so values
    from user data stay text.  An edge whose end is no node here is left out (Graphviz would
    draw a bare node of that id).
    """
    # nodesep / ranksep: room between neighbouring edges' labels (xlabel and ortho splines
    # were worse); node margin: the text never touches its box
    g = graphviz.Digraph("flush", graph_attr={"rankdir": "TB", "fontname": _FONT,
                                              "bgcolor": "transparent", "pad": "0.25",
                                              "nodesep": "0.6", "ranksep": "0.7"},
                         node_attr={"shape": "box", "style": "rounded,filled",
                                    "fontname": _FONT, "fontsize": "11",
                                    "margin": "0.15,0.06"},
                         edge_attr={"fontname": _FONT, "fontsize": "9",
                                    "color": "#888888"})
    clusters: dict[str, graphviz.Digraph] = {}
    for n in nodes:
        state = n["state"]
        attrs = {
            "id": n["id"],
            "class": "si-step si-%s" % state,
            "fillcolor": _FILL.get(n["kind"], "#ffffff"),
            "tooltip": _lines(n["label"].split("\n")[:20], _TOOLTIP),
        }
        if state == "current":
            attrs.update(penwidth="3", color="#d97706", fillcolor="#fff3c4")
        elif state == "done":
            attrs.update(color="#15803d", fontcolor="#15803d")
        elif state == "failed":
            attrs.update(penwidth="3", color="#b91c1c", fillcolor="#fde2e2")
        if n.get("per_object"):  # one object's action (a class split by a cycle)
            attrs["style"] = "rounded,filled,dashed"
            attrs["class"] += " si-per-object"
        if n.get("cycle"):  # in a cycle no order resolves
            attrs.update(penwidth="3", color="#b91c1c")
            attrs["class"] += " si-cycle"
        group = n.get("group")
        target = g
        if group:
            target = clusters.get(group)
            if target is None:
                target = clusters[group] = graphviz.Digraph(
                    "cluster_%d" % len(clusters),
                    graph_attr={"label": _lines([group], _NODE_WIDTH), "style": "dashed,rounded",
                                "color": "#b45309", "fontcolor": "#b45309",
                                "fontsize": "10", "class": "si-split-cycle"})
        target.node(n["id"], label=_lines(n["label"].split("\n")[:_NODE_LINES], _NODE_WIDTH),
                    **attrs)
    for sub in clusters.values():
        g.subgraph(sub)
    drawn = {n["id"] for n in nodes}
    for e in edges:
        if e["source"] not in drawn or e["target"] not in drawn:
            continue
        reason = visible(e["reason"])[:_TOOLTIP]
        most = _NODE_LINES if e.get("kind") == "warning" else _EDGE_LINES  # a warning: whole
        label = _lines(_cut(textwrap.wrap(reason, _EDGE_WIDTH), most) or [""], _NODE_WIDTH)
        attrs = {}
        if e.get("cycle"):
            attrs = {"color": "#b91c1c", "fontcolor": "#b91c1c", "penwidth": "2.5",
                     "class": "si-cycle"}
        elif e.get("kind") == "warning":  # a diagnostic, not an ordering rule: no rank
            attrs = {"style": "dashed", "color": "#b91c1c", "fontcolor": "#b91c1c",
                     "constraint": "false", "class": "si-warning-edge", "dir": "none"}
        g.edge(e["source"], e["target"], label=label, tooltip=_text(reason, _TOOLTIP), **attrs)
    return g.source


def _cut(lines: list[str], most: int) -> list[str]:
    """At most ``most`` lines, the last ending in "…" when some were left out."""
    if len(lines) <= most:
        return lines
    return lines[:most - 1] + [lines[most - 1] + "…"]


def _text(text: str, width: int) -> str:
    """One line of user text for DOT: controls made visible, cut, escaped, never HTML-like."""
    return graphviz.nohtml(graphviz.escape(clip(visible(text), width)))


def _lines(lines: list[str], width: int) -> str:
    """Escaped lines joined by DOT's line break (``\\n`` in a label); the result is never read
    as an HTML-like label, whatever its first and last characters."""
    return graphviz.nohtml("\\n".join(graphviz.escape(clip(visible(line), width))
                                      for line in lines))
