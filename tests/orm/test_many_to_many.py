"""Many-to-many in the flush plan, and the collection classes: what the plan graph shows
(the association-table work as its own action kind, with its edge reasons), what the
association steps record, and the set / keyed-dict containers' bookkeeping.  Behaviour
against SQLAlchemy is covered by tests/compat/scripts/210-221."""

import pytest
import sqlalchemy.exc as sa_exc
from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine

from inspector.orm import (
    Session,
    attribute_keyed_dict,
    attribute_mapped_collection,
    configure_mappers,
    declarative_base,
    relationship,
)
from inspector.orm.collections import InstrumentedSet, KeyFuncDict

Base = declarative_base()

user_keywords = Table(
    "user_keywords", Base.metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("keyword_id", ForeignKey("keywords.id"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    keywords = relationship("Keyword", secondary=user_keywords, backref="users")
    tags = relationship("Tag", collection_class=set, backref="user")
    notes = relationship("Note", collection_class=attribute_keyed_dict("key"))


class Keyword(Base):
    __tablename__ = "keywords"
    id = Column(Integer, primary_key=True)
    word = Column(String(50))


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))


class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    key = Column(String(20))
    user_id = Column(ForeignKey("users.id"))


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s


def _plan(session):
    return session._plan_flush()


def test_relationship_configuration():
    configure_mappers()
    prop = User.keywords.property
    assert prop.direction == "MANYTOMANY" and prop.secondary is user_keywords
    assert [(r.name, f.name) for r, f in prop.synchronize_pairs] == [("id", "user_id")]
    assert [(r.name, f.name) for r, f in prop.secondary_synchronize_pairs] == [
        ("id", "keyword_id")]
    assert Keyword.users.property.secondary is user_keywords
    assert Keyword.users.property._reverse_property is prop


def test_association_rows_are_their_own_action_kind(session):
    u, k = User(name="u"), Keyword(word="k")
    u.keywords.append(k)
    session.add(u)
    plan = _plan(session)
    kinds = [(s.kind, s.label) for s in plan.steps]
    assoc = kinds.index(("association", "process many-to-many Keyword.users"))
    assert kinds.index(("save", "INSERT/UPDATE User")) < assoc
    assert kinds.index(("save", "INSERT/UPDATE Keyword")) < assoc
    reasons = {plan.graph.edges[a, b]["reason"] for a, b in plan.graph.edges
               if b.kind == "association"}
    assert reasons == {"association rows after both ends are inserted"}
    session.rollback()


def test_association_step_records_its_statements(session):
    u = User(name="u", keywords=[Keyword(word="a"), Keyword(word="b")])
    session.add(u)
    session.flush()
    u.keywords.pop(0)
    plan = _plan(session)
    from inspector.orm.session import FlushRun

    records = list(plan.execute(session._connection()))
    assoc = [r for r in records if r.step.kind == "association"]
    # both sides have a step; the first writes the row, the other finds the pair done
    assert [len(r.statements) for r in assoc] == [1, 0]
    (stmt,) = assoc[0].statements
    assert stmt.sql.startswith("DELETE FROM user_keywords") and stmt.rowcount == 1
    assert FlushRun  # the session's own driver of the same generator
    session.rollback()


def test_delete_of_an_end_orders_the_rows_first(session):
    u = User(name="u", keywords=[Keyword(word="a")])
    session.add(u)
    session.commit()
    session.delete(u)
    plan = _plan(session)
    labels = [s.label for s in plan.steps]
    assert labels.index("delete rows of many-to-many User.keywords") < labels.index(
        "DELETE User")
    first = next(a for a in plan.graph if a.label() == "delete rows of many-to-many "
                 "User.keywords")
    assert {plan.graph.edges[first, b]["reason"] for b in plan.graph.successors(first)} == {
        "association rows deleted before either end"}
    session.rollback()


def test_set_collection(session):
    u = User(name="u")
    t1, t2 = Tag(), Tag()
    u.tags.add(t1)
    t2.user = u
    assert isinstance(u.tags, InstrumentedSet) and u.tags == {t1, t2}
    session.add(u)
    session.commit()
    assert u.tags == {t1, t2}
    u.tags.discard(t1)
    assert t1.user is None
    u.tags.discard(t1)  # not a member: nothing happens
    with pytest.raises(KeyError):
        u.tags.remove(t1)
    session.commit()
    assert t1.user_id is None and t2.user_id == u.id


def test_keyed_dict_collection(session):
    u = User(name="u")
    a, b = Note(key="a"), Note(key="b")
    u.notes["a"] = a
    u.notes.set(b)
    assert isinstance(u.notes, KeyFuncDict) and sorted(u.notes) == ["a", "b"]
    session.add(u)
    session.commit()
    assert dict(u.notes) == {"a": a, "b": b}
    del u.notes["a"]
    session.commit()
    assert a.user_id is None
    with pytest.raises(TypeError, match="dict-like"):
        u.notes = [a]
    assert attribute_mapped_collection is attribute_keyed_dict


def _configure_failing(build):
    """configure_mappers() on a model that fails; its mappers are then forgotten, so that
    they do not fail every later configuration in this process."""
    import importlib

    mapper_module = importlib.import_module("inspector.orm.mapper")

    classes = build(declarative_base())
    try:
        configure_mappers()
    finally:
        for cls in classes:
            mapper_module._mapper_registry.pop(cls.__mapper__, None)
        mapper_module._configure_pending[0] = False


def test_unsupported_collection_class_is_refused():
    with pytest.raises(NotImplementedError, match="collection_class"):
        relationship("X", collection_class=tuple)


def test_secondary_must_be_a_table():
    def build(base):
        class A(base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            bs = relationship("A", secondary=object())

        return [A]

    with pytest.raises(NotImplementedError, match="secondary"):
        _configure_failing(build)


def test_self_referential_secondary_needs_its_joins():
    def build(base):
        t = Table("x_x", base.metadata, Column("l", ForeignKey("x.id")),
                  Column("r", ForeignKey("x.id")))

        class X(base):
            __tablename__ = "x"
            id = Column(Integer, primary_key=True)
            xs = relationship("X", secondary=t)

        return [X]

    with pytest.raises(sa_exc.AmbiguousForeignKeysError, match="secondary table 'x_x'"):
        _configure_failing(build)


def test_per_object_association_steps_on_a_tree():
    """A class ordered object by object (a tree) has its association work per object too,
    batched into one step after the last INSERT."""
    base = declarative_base()
    see_also = Table("see_also", base.metadata,
                     Column("from_id", ForeignKey("page.id"), primary_key=True),
                     Column("to_id", ForeignKey("page.id"), primary_key=True))

    class Page(base):
        __tablename__ = "page"
        id = Column(Integer, primary_key=True)
        parent_id = Column(ForeignKey("page.id"))
        children = relationship("Page", back_populates="parent")
        parent = relationship("Page", back_populates="children", remote_side=[id])
        links = relationship("Page", secondary=see_also, primaryjoin=id == see_also.c.from_id,
                             secondaryjoin=id == see_also.c.to_id, backref="linked_from")

    engine = create_engine("sqlite://")
    base.metadata.create_all(engine)
    s = Session(engine)
    root = Page()
    a = Page(parent=root)
    b = Page(parent=a)
    b.links.append(root)
    a.links.append(b)
    s.add(root)
    plan = _plan(s)
    steps = [(st.kind, st.label) for st in plan.steps]
    assert steps[-2:] == [("association", "process many-to-many Page.linked_from (2 objects)"),
                          ("association", "process many-to-many Page.links (2 objects)")]
    assert [st.kind for st in plan.steps[:-2]].count("save") == 3
    s.rollback()
    s.add(root)
    s.commit()
    rows = sorted(s.execute(see_also.select()).all())
    assert rows == [(a.id, b.id), (b.id, root.id)]
    s.close()
