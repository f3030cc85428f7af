"""The per-object part of a flush plan (a split cycle) is sorted without networkx and handed
to networkx only when the graph is read: the steps are those of networkx's topological
generations over the whole graph, and the graph read from the plan has every per-row node,
edge (with its reason) and cycle cluster."""

import random

import networkx as nx
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine

from inspector.orm import Session, declarative_base, relationship
from inspector.orm.unitofwork import UOWTransaction, _RowGraph

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    name = Column(String(50))
    children = relationship("Node", back_populates="parent", cascade="all, delete-orphan")
    parent = relationship("Node", back_populates="children", remote_side=[id])


def _session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return Session(engine)


def _tree(n, seed, tag="n"):
    rng = random.Random(seed)
    nodes = [Node(name="%s%d" % (tag, i)) for i in range(n)]
    for i in range(1, n):
        nodes[i].parent = nodes[rng.randrange(i)]
    return nodes


def _steps_by_networkx(uow):
    """The steps networkx's generations give over the same (merged) graph."""
    g = uow.graph.copy()
    g.add_nodes_from(uow._row_graph.rows)
    for a, b, reason in uow._row_graph.edges():
        g.add_edge(a, b, reason=reason)
    return [(st.label, [id(x) for x in st.states])
            for st in uow._steps(nx.topological_generations(g))]


def _check_plan(s, monkeypatch):
    seen = []
    original = UOWTransaction._order_split

    def order_split(self):
        ours = original(self)
        seen.append(([(st.label, [id(x) for x in st.states]) for st in ours],
                     _steps_by_networkx(self)))
        return ours

    monkeypatch.setattr(UOWTransaction, "_order_split", order_split)
    s.flush()
    assert seen, "no cycle was split"
    for ours, theirs in seen:
        assert ours == theirs


def test_inserts_of_a_random_tree_sort_as_networkx(monkeypatch):
    s = _session()
    s.add_all(_tree(300, 1))
    _check_plan(s, monkeypatch)


def test_updates_deletes_and_moves_sort_as_networkx(monkeypatch):
    s = _session()
    nodes = _tree(200, 2)
    s.add_all(nodes)
    s.commit()
    rng = random.Random(3)
    for node in rng.sample(nodes[1:], 40):  # moved under an earlier node (no cycle of rows)
        node.parent = nodes[rng.randrange(nodes.index(node))]
    for node in rng.sample(nodes[150:], 10):
        if node not in s.deleted:
            s.delete(node)
    s.add_all(_tree(50, 4, "m"))
    _check_plan(s, monkeypatch)
    s.commit()


def test_graph_read_from_the_plan_has_the_rows_edges_and_clusters():
    s = _session()
    s.add_all(_tree(30, 5))
    plan = s._plan_flush()  # planned, nothing run
    uow = plan.uow
    assert uow._row_graph is not None  # not merged while only the steps were read
    rows = list(uow._row_graph.rows)
    edges = list(uow._row_graph.edges())
    g = plan.graph
    assert uow._row_graph is None
    assert all(act in g for act in rows)
    assert all(g.edges[a, b]["reason"] == reason for a, b, reason in edges)
    groups = plan.split_groups()
    assert {groups[a] for a in rows} == {"cycle on Node: split into per-row steps"}
    assert plan.graph is g  # merged once


def test_row_graph_keeps_the_first_reason_of_an_edge():
    rg = _RowGraph()

    class Row:
        per_object = True

    a, b = Row(), Row()
    rg.add(a)
    rg.add(b)
    rg.edge(a, b, "first")
    rg.edge(a, b, "second")
    rg.edge(b, a, "back")
    assert list(rg.edges()) == [(a, b, "first"), (b, a, "back")]
