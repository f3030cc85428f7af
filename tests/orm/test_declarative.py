"""Declarative construction: relationship keywords work before anything else configured."""

import pytest
from sqlalchemy import Column, ForeignKey, Integer

from inspector.orm import backref, declarative_base, relationship


def test_first_instance_may_pass_relationships_and_backrefs():
    Base = declarative_base()

    class Node(Base):
        __tablename__ = "node"
        id = Column(Integer, primary_key=True)
        parent_id = Column(ForeignKey("node.id"))
        # (as SQLAlchemy, the backref of a self-referential one-to-many needs remote_side)
        children = relationship("Node", backref=backref("parent", remote_side="Node.id"))

    leaf = Node()
    root = Node(children=[leaf])
    assert leaf.parent is root
    with pytest.raises(TypeError, match="'nope' is an invalid keyword argument for Node"):
        Node(nope=1)
