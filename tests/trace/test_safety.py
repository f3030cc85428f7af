"""Hostile values in every view: snapshots, the SQL log, DOT, the static HTML, whole texts.

Nothing raises, nothing turns into markup, long values are cut in the snapshot and whole on
request (``Recorder.full_text``), control and bidi characters are made visible.
"""

import json
import re

import pytest
from sqlalchemy import Column, ForeignKey, LargeBinary, PickleType, String, create_engine

from inspector.orm import Session, declarative_base, relationship
from inspector.trace import Recorder
from inspector.trace.dot import plan_dot
from inspector.trace.text import SHORT, safe_repr, visible, whole_repr
from inspector.widgets._html import snapshot_html

Base = declarative_base()

SCRIPT = "<script>window.__pwned = 1</script>"
ONERROR = "<img src=x onerror=alert(1)>"
SVG_BREAK = '"</svg><svg onload=alert(1)>'
DOT_BREAK = 'a"; } digraph x { b [label="pwned'
BIDI = "abc\u202edcba\u2066x\u2069"
LONG = "L" * 100_000


class RaisingRepr:
    def __repr__(self):
        raise RuntimeError("no repr for you")


class NonStrRepr:
    def __repr__(self):
        return 42


class ShoutingStr(str):
    def __str__(self):
        raise RuntimeError("str() refused")


class MarkupRepr:
    def __repr__(self):
        return SCRIPT + "\x00" + BIDI + "\n" + SVG_BREAK


class Node(Base):
    """String keys carry the hostile text into identities, plan labels and the DOT."""

    __tablename__ = "hostile_nodes"
    id = Column(String, primary_key=True)
    parent_id = Column(String, ForeignKey("hostile_nodes.id"))
    note = Column(String)
    blob = Column(LargeBinary)
    extra = Column(PickleType)
    parent = relationship("Node", remote_side=[id], post_update=True)


def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return Session(engine)


def everything_text(snap):
    return json.dumps(snap, ensure_ascii=False)


def test_safe_repr_never_raises_and_is_bounded():
    assert safe_repr(RaisingRepr()) == "<repr failed: RuntimeError>"
    assert safe_repr(NonStrRepr()) == "<repr failed: TypeError>"
    assert safe_repr(10 ** 10_000) == "<int of 33220 bits (too long to print)>"
    short = safe_repr(LONG)
    assert len(short) == SHORT and short.endswith("…")
    assert "\\x00" in safe_repr(MarkupRepr()) and "\x00" not in safe_repr(MarkupRepr())
    assert "\u202e" not in safe_repr(MarkupRepr()) and "\\u202e" in whole_repr(MarkupRepr())
    assert whole_repr(LONG) == repr(LONG)  # the whole text, 100,002 characters
    assert whole_repr(LONG, limit=10).endswith("… (100002 characters, cut at 10)")
    assert visible("a\nb", keep_lines=True) == "a\nb" and visible("a\nb") == "a\\x0ab"
    assert safe_repr(ShoutingStr("x")) == "'x'"
    assert safe_repr(b"\x00<script>") == repr(b"\x00<script>")


def hostile_session():
    s = session()
    root = Node(id=SCRIPT, note=LONG, blob=b"\x00\xff<script>" * 10, extra=MarkupRepr())
    child = Node(id=SVG_BREAK + "\n" + DOT_BREAK, note=BIDI, parent=root,
                 extra={"k": RaisingRepr()})
    root.parent = child  # a cycle: per-row steps whose labels carry the keys
    s.add_all([root, child])
    return s, root, child


def test_hostile_values_in_every_view_of_a_stepped_flush():
    s, root, child = hostile_session()
    rec = Recorder(s)
    snaps = [rec.snapshot()]
    rec.command("step")
    snaps.append(rec.snapshot())
    while rec.snapshot()["flush"]["status"] == "open":
        rec.command("step")
        snaps.append(rec.snapshot())
    root.note = NonStrRepr()  # not flushed: the views still show it
    child.note = 10 ** 10_000
    snaps.append(rec.snapshot())
    for snap in snaps:
        text = everything_text(snap)
        for bad in ("\x00", "\u202e", "\u2066", LONG[:SHORT + 1]):
            assert bad not in text
        assert snap == json.loads(json.dumps(snap))  # plain JSON
        html = snapshot_html(snap)
        assert "<script" not in html and "<img" not in html and "<svg" not in html
        dot = (snap.get("flush") or {}).get("dot", "")
        if dot:
            check_dot(dot)
    last = snaps[-1]
    values = {a["value"] for o in last["objects"] for a in o["attributes"]}
    assert "<repr failed: TypeError>" in values
    assert "<int of 33220 bits (too long to print)>" in values
    assert any(v.startswith("b'\\x00\\xff<script>") and v.endswith("…") for v in values)
    log = last["sql"]
    assert all(len(e["parameters"]) <= 120 for e in log)
    assert any(SCRIPT in e["parameters"] for e in log)  # as text, in a JSON string


def check_dot(dot):
    """Every label / tooltip / id is one well-formed quoted DOT string (or a plain word)."""
    body = dot.split("{", 1)[1].rsplit("}", 1)[0]
    strings = re.findall(r'"(?:[^"\\]|\\.)*"', body)
    rest = re.sub(r'"(?:[^"\\]|\\.)*"', '""', body)
    # the only braces of our own: the clusters of cycles split into per-row steps
    rest = re.sub(r"(?m)^\s*subgraph cluster_\d+ \{$|^\s*\}$", "", rest)
    assert "{" not in rest and "}" not in rest and "<" not in rest  # nothing escaped a string
    assert "digraph" not in rest
    for s in strings:
        assert len(s) < 1200
        assert "\x00" not in s and "\u202e" not in s


def test_dot_labels_are_never_html_like_and_are_cut():
    nodes = [
        {"id": "a", "label": "<b>bold</b>", "kind": "save", "state": "done"},
        {"id": "b", "label": DOT_BREAK + "\n" + LONG, "kind": "delete", "state": "current"},
    ]
    edges = [{"source": "a", "target": "b", "reason": SVG_BREAK + "\n{}" + LONG}]
    dot = plan_dot(nodes, edges)
    assert "label=<" not in dot  # an HTML-like label would be read as markup by Graphviz
    assert 'label="<b>bold</b>"' in dot
    check_dot(dot)


def test_full_text_gives_the_whole_value_on_request():
    s, root, child = hostile_session()
    rec = Recorder(s)
    snap = rec.snapshot()
    oid = next(o["id"] for o in snap["objects"] if o["identity"] is None and any(
        a["name"] == "note" and a["value"].startswith("'LLL") for a in o["attributes"]))
    note = next(a for o in snap["objects"] if o["id"] == oid for a in o["attributes"]
                if a["name"] == "note")
    assert len(note["value"]) == SHORT
    assert rec.full_text("attr:%s:note" % oid) == repr(LONG)
    assert "\\u202e" in rec.full_text("attr:%s:extra" % oid)
    assert rec.full_text("attr:%s:parent" % oid).startswith("Node")
    assert rec.full_text("identity:%s" % oid) == "None"
    s.commit()
    assert rec.full_text("identity:%s" % oid) == repr((SCRIPT,))
    assert rec.full_text("attr:%s:note" % oid) == "<expired>"
    log = rec.snapshot()["sql"]
    insert = next(e for e in log if e["sql"].startswith("INSERT"))
    whole = rec.full_text("sql:%d" % insert["seq"])
    assert LONG in whole and len(whole) > 100_000
    steps = rec.snapshot()["flush"]["steps"]
    i, n = next((st["index"], k) for st in steps for k, x in enumerate(st["statements"])
                if x["sql"].startswith("INSERT"))
    assert LONG in rec.full_text("step:1:%d:%d" % (i, n))
    for bad in ("attr:o999:note", "attr:%s:nope" % oid, "sql:99999", "sql:x", "step:1:99:0",
                "step:2:%d:%d" % (i, n), "nonsense"):
        with pytest.raises(LookupError):
            rec.full_text(bad)


class BadKey(str):
    """A string key whose repr raises (SQLite stores it as the str it is)."""

    def __repr__(self):
        raise RuntimeError("no repr")


class Chain(Base):
    """No post_update: a self-referential chain is split into per-row steps named by key."""

    __tablename__ = "hostile_chain"
    id = Column(String, primary_key=True)
    parent_id = Column(String, ForeignKey("hostile_chain.id"))
    parent = relationship("Chain", remote_side=[id])


def test_per_row_steps_named_by_hostile_keys_plan_and_run():
    s = session()
    rec = Recorder(s)
    a = Chain(id=SCRIPT + LONG)
    b = Chain(id=BadKey("bad"), parent=a)
    c = Chain(id="c" + BIDI, parent=b)
    s.add_all([a, b, c])
    rec.command("step")  # planning names every per-row step by its key: it must not fail
    labels = [st["label"] for st in rec.snapshot()["flush"]["steps"]]
    assert any("<repr failed: RuntimeError>" in label for label in labels)
    assert all(len(label) < 120 and "\u202e" not in label for label in labels)
    check_dot(rec.snapshot()["flush"]["dot"])
    rec.command("run")
    assert rec.snapshot()["flush"]["status"] == "complete"


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no str")


def test_errors_that_refuse_str_or_run_long_are_text():
    from inspector.trace.text import error_text
    from inspector.widgets.session_widget import _describe

    assert error_text(Unprintable()) == "Unprintable: <str failed: RuntimeError>"
    assert error_text(ValueError("x" * 10_000 + "\u202e")).endswith("…")
    assert error_text(ValueError("a\u202eb"), 100) == "ValueError: a\\u202eb"
    assert _describe(Unprintable()) == "Unprintable: <str failed>"
    assert len(_describe(ValueError("y" * 100_000))) < 5100
