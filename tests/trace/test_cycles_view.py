"""Cycles in the plan graph: a self-referential class split into per-row steps is drawn as a
labelled cluster of per-object nodes; a cycle no order resolves still reaches the snapshot (the
failed plan's cycle, nodes and edges highlighted) instead of leaving the graph empty."""

import json
import re

import pytest
import sqlalchemy.exc as sa_exc
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine

from inspector.orm import Session, declarative_base, relationship
from inspector.trace import Recorder

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50))
    parent = relationship("Node", remote_side=[id])


class Left(Base):
    __tablename__ = "lefts"
    id = Column(Integer, primary_key=True)
    right_id = Column(Integer, ForeignKey("rights.id"))
    right = relationship("Right", foreign_keys=[right_id])


class Right(Base):
    __tablename__ = "rights"
    id = Column(Integer, primary_key=True)
    left_id = Column(Integer, ForeignKey("lefts.id"))
    left = relationship("Left", foreign_keys=[left_id])


class Pet(Base):
    __tablename__ = "pets"
    id = Column(Integer, primary_key=True)


def _session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return Session(engine)


def test_split_cycle_is_a_labelled_cluster_of_per_object_nodes():
    s = _session()
    rec = Recorder(s)
    top = Node(name="top")
    s.add(Node(name="low", parent=Node(name="mid", parent=top)))
    s.add(Pet())
    s.flush()
    flush = rec.snapshot()["flush"]
    json.dumps(flush)
    per_object = [n for n in flush["nodes"] if n["per_object"]]
    assert len(per_object) >= 3  # three INSERTs of Node (and their key syncs)
    assert {n["group"] for n in per_object} == {"cycle on Node: split into per-row steps"}
    assert {n["kind"] for n in per_object} >= {"save", "process"}
    whole = [n for n in flush["nodes"] if not n["per_object"]]
    assert whole and all(n["group"] == "" for n in whole)  # INSERT Pet stays a class action
    dot = flush["dot"]
    assert "subgraph cluster_0" in dot
    assert 'label="cycle on Node: split into per-row steps"' in dot
    assert dot.count("si-per-object") == len(per_object)
    assert not any(n["cycle"] for n in flush["nodes"])
    assert not any(e["cycle"] for e in flush["edges"])


def test_unresolvable_cycle_reaches_the_snapshot():
    s = _session()
    rec = Recorder(s)
    a, b = Node(name="a"), Node(name="b")
    a.parent, b.parent = b, a
    s.add_all([a, b])
    with pytest.raises(sa_exc.CircularDependencyError) as info:
        s.flush()
    assert info.value.flush_plan.steps[-1].kind == "cycle"
    snap = rec.snapshot()
    flush = snap["flush"]
    assert flush is not None and flush["status"] == "failed"
    assert flush["error"].startswith("CircularDependencyError: Circular dependency detected.")
    cyc = [n for n in flush["nodes"] if n["cycle"]]
    assert len(cyc) == 4 and all(n["per_object"] for n in cyc)
    assert not any("objects" in n["label"] for n in cyc)  # one object each, not a batch
    ids = {n["id"] for n in cyc}
    cyc_edges = [e for e in flush["edges"] if e["cycle"]]
    assert len(cyc_edges) == 4
    assert all(e["source"] in ids and e["target"] in ids and e["reason"] for e in cyc_edges)
    (step,) = flush["steps"]
    assert step["kind"] == "cycle" and step["state"] == "failed"
    assert len(step["objects"]) == 2  # the two Nodes, named in the step
    assert set(step["objects"]) <= {o["id"] for o in snap["objects"]}
    dot = flush["dot"]
    assert dot.count("si-cycle") == 4 + 4  # nodes and edges drawn red
    s.rollback()


def test_mutual_reference_cycle_names_both_classes():
    s = _session()
    rec = Recorder(s)
    left, right = Left(id=1), Right(id=1)
    left.right, right.left = right, left
    s.add(left)
    with pytest.raises(sa_exc.CircularDependencyError) as info:
        s.flush()
    # as SQLAlchemy's message: the actions' reprs, naming the objects
    msg = re.sub(r" at 0x[0-9a-f]+", " at 0x...", str(info.value))
    assert "_SaveUpdateState(<Left at 0x...>)" in msg
    assert "_ProcessState(_ManyToOneDP(Right.left), <Right at 0x...>, delete=False)" in msg
    flush = rec.snapshot()["flush"]
    groups = {n["group"] for n in flush["nodes"] if n["cycle"]}
    assert groups == {"cycle on Left, Right: split into per-row steps"}
    s.rollback()
