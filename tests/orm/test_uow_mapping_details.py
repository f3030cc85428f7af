"""Mapping details the unit of work depends on (issue 8): a self-referential backref
without remote_side is refused as SQLAlchemy does, backref() carries post_update and
passive_updates, a subclass takes its parent mapper's passive_updates, inherits= does not
configure the mappers, and a secondary table may reference the base table of a joined
subclass."""

import pytest
import sqlalchemy.exc as sa_exc
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from inspector.orm import configure_mappers, declarative_base, registry, relationship


def test_self_referential_backref_of_one_to_many_needs_remote_side():
    Base = declarative_base()

    class Node(Base):
        __tablename__ = "nodes"
        id = Column(Integer, primary_key=True)
        parent_id = Column(Integer, ForeignKey("nodes.id"))
        children = relationship("Node", backref="parent")

    with pytest.raises(sa_exc.ArgumentError, match=r"Node.children and back-reference "
                       r"Node.parent are both of the same direction <RelationshipDirection."
                       r"ONETOMANY: 1>.  Did you mean to set remote_side"):
        configure_mappers()


def test_backref_carries_post_update_and_passive_updates():
    Base = declarative_base()

    class A(Base):
        __tablename__ = "a"
        id = Column(Integer, primary_key=True)
        bs = relationship("B", backref="a", post_update=True, passive_updates=False)

    class B(Base):
        __tablename__ = "b"
        id = Column(Integer, primary_key=True)
        a_id = Column(Integer, ForeignKey("a.id"))

    configure_mappers()
    rev = B.__mapper__.relationships["a"]
    assert rev.post_update is True and rev.passive_updates is False


def test_subclass_takes_parent_passive_updates_and_secondary_on_base_table():
    Base = declarative_base()
    links = Table("links", Base.metadata,
                  Column("emp_id", ForeignKey("employees.id"), primary_key=True),
                  Column("tag_id", ForeignKey("tags.id"), primary_key=True))

    class Employee(Base):
        __tablename__ = "employees"
        id = Column(Integer, primary_key=True)
        type = Column(String(10))
        __mapper_args__ = {"polymorphic_on": type, "passive_updates": False,
                           "polymorphic_identity": "e"}

    class Engineer(Employee):
        __tablename__ = "engineers"
        id = Column(Integer, ForeignKey("employees.id"), primary_key=True)
        tags = relationship("Tag", secondary=links)
        __mapper_args__ = {"polymorphic_identity": "eng"}

    class Tag(Base):
        __tablename__ = "tags"
        id = Column(Integer, primary_key=True)

    configure_mappers()
    assert Engineer.__mapper__.passive_updates is False
    prop = Engineer.__mapper__.relationships["tags"]
    assert [(r.table.name, f.name) for r, f in prop.synchronize_pairs] == [
        ("employees", "emp_id")]


def test_inherits_does_not_configure_a_relationship_to_a_class_mapped_later():
    md = MetaData()
    a = Table("a", md, Column("id", Integer, primary_key=True), Column("t", String(5)))
    b = Table("b", md, Column("id", Integer, ForeignKey("a.id"), primary_key=True))
    c = Table("c", md, Column("id", Integer, primary_key=True),
              Column("a_id", ForeignKey("a.id")))

    class A:
        pass

    class B(A):
        pass

    class C:
        pass

    reg = registry()
    reg.map_imperatively(A, a, polymorphic_on=a.c.t, polymorphic_identity="a",
                         properties={"cs": relationship(C)})
    reg.map_imperatively(B, b, inherits=A, polymorphic_identity="b")
    reg.map_imperatively(C, c)
    configure_mappers()
    assert A.__mapper__.relationships["cs"].mapper is C.__mapper__
