"""A row switch inside a dependency cycle: in a self-referential one-to-many, a deleted
object's primary key taken by a new object in the same flush is one UPDATE, and the
deleted object gets no DELETE of its own.  (SQLAlchemy 2.1 emits the UPDATE and then a
DELETE of the same row, so the new object ends up persistent without a row: not a
behaviour to copy, hence a unit test rather than a compat script.)"""

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine, event, select

from inspector.orm import Session, declarative_base, inspect, relationship

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("nodes.id"))
    data = Column(String(30))
    children = relationship("Node", order_by="Node.id")


def _rows(s):
    return sorted(tuple(r) for r in s.execute(select(Node.id, Node.parent_id, Node.data)))


def test_row_switch_in_a_cycle_is_one_update():
    eng = create_engine("sqlite://")
    Base.metadata.create_all(eng)
    seen = []
    event.listen(eng, "before_cursor_execute",
                 lambda conn, cur, stmt, *a: seen.append(stmt.split()[0]))
    s = Session(eng, expire_on_commit=False)
    n2 = Node(id=2, data="n2")
    n1 = Node(id=1, data="n1", children=[n2])
    s.add(n1)
    s.commit()
    seen.clear()
    s.delete(n2)
    n3 = Node(id=2, data="n3")
    n1.children.append(n3)
    s.commit()
    assert "DELETE" not in seen and seen.count("UPDATE") == 1
    assert inspect(n3).persistent and inspect(n2).key == inspect(n3).key
    assert _rows(s) == [(1, None, "n1"), (2, 1, "n3")]
    # the parent switched while its child stays
    s.delete(n1)
    n1b = Node(id=1, data="n1b")
    n1b.children.append(n3)
    s.add(n1b)
    seen.clear()
    s.commit()
    assert "DELETE" not in seen
    assert _rows(s) == [(1, None, "n1b"), (2, 1, "n3")]
