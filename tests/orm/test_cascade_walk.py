"""The save-update cascade walk does work proportional to the graph, however objects are added.

Counted, not timed: how many times the walk reads a relationship, and how many times a
backref append scans a collection.  (Order and semantics are compared against SQLAlchemy by
the compat scripts 50-53.)
"""

import random

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine

from inspector.orm import Session, cascade, declarative_base, relationship


@pytest.fixture(scope="module")
def Node():
    Base = declarative_base()

    class Node(Base):
        __tablename__ = "node"
        id = Column(Integer, primary_key=True)
        parent_id = Column(ForeignKey("node.id"))
        name = Column(String(20))
        children = relationship("Node", back_populates="parent")
        parent = relationship("Node", back_populates="children", remote_side=[id])

    return Node


def _reads_during(monkeypatch, fn):
    calls = []
    real = cascade.pending_related

    def counting(state, prop):
        calls.append(prop.key)
        return real(state, prop)

    monkeypatch.setattr(cascade, "pending_related", counting)
    fn()
    return len(calls)


@pytest.mark.parametrize("order", ["creation", "reversed", "shuffled"])
@pytest.mark.parametrize("shape", ["chain", "random"])
def test_add_all_reads_each_relationship_a_bounded_number_of_times(monkeypatch, Node, shape,
                                                                   order):  # fmt: skip
    n = 300
    rng = random.Random(7)
    nodes = [Node(name=str(i)) for i in range(n)]
    for i in range(1, n):
        nodes[i].parent = nodes[i - 1 if shape == "chain" else rng.randrange(i)]
    if order == "reversed":
        nodes.reverse()
    elif order == "shuffled":
        rng.shuffle(nodes)
    s = Session()
    reads = _reads_during(monkeypatch, lambda: s.add_all(nodes))
    assert len(s.new) == n
    # each add() reads the two relationships of the added node, and the walk reads them once
    # more for every node it registers: 4 per node (a quadratic walk would read ~n*n)
    assert reads <= 4 * n


def test_walk_does_not_pass_through_objects_already_in_the_session(monkeypatch, Node):
    root = Node(name="root")
    leaves = [Node(name=str(i), parent=root) for i in range(50)]
    s = Session()
    s.add(root)
    extra = Node(name="extra", parent=leaves[0])
    reads = _reads_during(monkeypatch, lambda: s.add(extra))
    assert extra in s
    assert reads == 2  # extra.children, extra.parent; leaves[0] is in the session: not walked


def test_backref_append_with_an_unknown_old_parent_lists_the_child_again(Node):
    """As SQLAlchemy 2.x (checked against it): a detached child's old parent is unknown, so
    the backref appends it to the loaded collection again, which now lists it twice.
    When the old parent is known to be the same object, nothing is appended."""
    engine = create_engine("sqlite://")
    Node.metadata.create_all(engine)
    with Session(engine) as s:
        root = Node(name="root", children=[Node(name="a")])
        s.add(root)
        s.commit()
        root = s.get(Node, root.id)
        child = root.children[0]
        s.expunge_all()  # both detached: child.parent unknown, root.children loaded
        child.parent = root
        assert [c.name for c in root.children] == ["a", "a"]
        child.parent = root  # now known: the same parent again appends nothing
        assert [c.name for c in root.children] == ["a", "a"]
