"""The loader's fast paths keep the invariants the slow ones had."""

from __future__ import annotations

import gc
import weakref

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, bindparam, create_engine, select

from inspector.orm import Session, declarative_base, event, relationship
from inspector.orm.loading import _GC_PAUSE_ROWS
from inspector.orm.state import InstanceState, instance_state

Base = declarative_base()


class Item(Base):
    __tablename__ = "item"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    box_id = Column(Integer, ForeignKey("box.id"))
    box = relationship("Box", back_populates="items")


class Box(Base):
    __tablename__ = "box"
    id = Column(Integer, primary_key=True)
    items = relationship(Item, back_populates="box", order_by=Item.id)


class Base2(Base):
    __tablename__ = "base2"
    id = Column(Integer, primary_key=True)
    type = Column(String(10))
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "base"}


class Sub2(Base2):
    __tablename__ = "sub2"
    id = Column(Integer, ForeignKey("base2.id"), primary_key=True)
    extra = Column(String(10))
    __mapper_args__ = {"polymorphic_identity": "sub"}


N = _GC_PAUSE_ROWS + 10


@pytest.fixture
def eng():
    e = create_engine("sqlite://")
    Base.metadata.create_all(e)
    with Session(e) as s:
        boxes = [Box(id=i) for i in range(1, 4)]
        s.add_all(boxes)
        s.add_all([Item(id=i, name="i%d" % i, box=boxes[i % 3]) for i in range(1, N + 1)])
        s.add_all([Base2(id=1), Sub2(id=2, extra="x")])
        s.commit()
    return e


def _slots(cls: type) -> list[str]:
    return [n for k in cls.__mro__ for n in k.__dict__.get("__slots__", ())
            if n != "__weakref__"]


def test_loaded_state_sets_every_slot_as_init_does(eng):
    with Session(eng) as s:
        items = s.query(Item).all()
        subs = s.query(Base2).order_by(Base2.id).all()
        made = InstanceState(Item(), Item.__mapper__)
        for state in (instance_state(items[0]), instance_state(subs[1]), made):
            for name in _slots(InstanceState):
                getattr(state, name)  # AttributeError: a slot the loader forgot
        state = instance_state(items[0])
        assert state.obj() is items[0] and state.key == (Item, (1,), None)
        assert state.persistent and not state.expired and state._committed is None
        # the unloaded subclass column is expired, and loads on access
        assert instance_state(subs[1]).expired_attributes == {"extra"}
        assert subs[1].extra == "x"


def test_state_is_hashed_and_compared_by_identity(eng):
    with Session(eng) as s:
        a, b = s.query(Item).limit(2).all()
        sa, sb = instance_state(a), instance_state(b)
        assert sa != sb and len({sa, sb}) == 2 and hash(sa) == object.__hash__(sa)
        assert weakref.ref(sa)() is sa
        a.name = "changed"
        assert list(s.dirty) == [a]


def test_object_collected_leaves_identity_map(eng):
    with Session(eng) as s:
        s.query(Item).all()  # nothing holds the objects
        gc.collect()
        assert len(s.identity_map) == 0


def test_gc_enabled_after_load_and_after_a_failing_listener(eng):
    with Session(eng) as s:
        assert len(s.query(Item).all()) == N
        assert gc.isenabled()

        @event.listens_for(s, "loaded_as_persistent")
        def boom(session, obj):
            raise RuntimeError("boom")

        s.expunge_all()
        with pytest.raises(RuntimeError):
            s.query(Item).all()
        assert gc.isenabled()
    gc.disable()
    try:
        with Session(eng) as s:
            s.query(Item).all()
            assert not gc.isenabled()  # a collector paused by the program stays paused
    finally:
        gc.enable()


def test_lazy_loads_share_one_statement_with_parameters(eng):
    with Session(eng) as s:
        boxes = s.scalars(select(Box).order_by(Box.id)).all()
        prop = Box.__mapper__.relationships["items"]
        stmts = [prop.lazy_select([b.id])[0] for b in boxes]
        assert stmts[0] is stmts[1] is stmts[2]
        assert [[i.id % 3 for i in b.items][:2] for b in boxes] == [[0, 0], [1, 1], [2, 2]]
        item = s.get(Item, 5)
        s.expire(item, ["box"])
        assert item.box is boxes[5 % 3]


def test_lazy_load_after_an_equal_statement_was_compiled(eng):
    # a statement of the same shape, compiled first, gives the cached compilation the lazy
    # load then uses: the parameters still reach it
    prop = Box.__mapper__.relationships["items"]
    stmt, _ = prop.lazy_select([1])
    other = select(Item).where(bindparam(None, 3, type_=Integer) == Item.box_id)
    other = other.order_by(Item.id)
    with eng.connect() as conn:
        conn.execute(other).all()
    with Session(eng) as s:
        box = s.get(Box, 2)
        assert {i.box_id for i in box.items} == {2}
