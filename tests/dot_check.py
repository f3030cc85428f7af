"""Checks of DOT text for the tests (tests/conftest.py applies one to every plan a test draws)."""

from __future__ import annotations

import re

_DOT_ID = r'"(?:[^"\\]|\\.)*"|[A-Za-z_\x80-\uffff][\w\x80-\uffff]*|-?\d+(?:\.\d*)?'
_DOT_NODE = re.compile(r"^\s*(%s)\s*(?:\[|$)" % _DOT_ID)
_DOT_EDGE = re.compile(r"^\s*(%s)\s*->\s*(%s)" % (_DOT_ID, _DOT_ID))


def _dot_id(text: str) -> str:
    return text[1:-1].replace('\\"', '"') if text.startswith('"') else text


def dot_dangling_edges(dot: str) -> list[tuple[str, str]]:
    """The edges of a DOT text (as ``plan_dot`` writes it: one statement a line) with an end
    that is no node statement of the graph."""
    nodes, edges = set(), []
    for line in dot.splitlines():
        edge = _DOT_EDGE.match(line)
        if edge:
            edges.append((_dot_id(edge.group(1)), _dot_id(edge.group(2))))
            continue
        node = _DOT_NODE.match(line)
        if node and node.group(1) not in ("graph", "node", "edge", "subgraph", "digraph"):
            nodes.add(_dot_id(node.group(1)))
    return [(a, b) for a, b in edges if a not in nodes or b not in nodes]
