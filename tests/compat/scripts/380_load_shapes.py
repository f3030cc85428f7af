"""Loading rows into objects, in the shapes the loader treats apart: many rows of one class
(more than a load pauses the garbage collector for), a class whose __eq__ answers True to
anything (objects held in sets and dicts by identity), a polymorphic load of a joined
hierarchy as the base (subclass columns unloaded) then as the subclass (filled in), a
single-table subclass, a composite primary key, an outer join giving a row without a key,
the same lazy loads for many parents (one-to-many, many-to-one, many-to-many, each parent's
own rows), populate_existing, loaded_as_persistent, and results read as scalars, rows,
mappings and first()."""

import gc

from harness import engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, event, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Thing(Base):
    __tablename__ = "thing"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    kind_id = Column(Integer, ForeignKey("kind.id"))
    kind = relationship("Kind", back_populates="things")

    def __eq__(self, other):
        return True

    def __hash__(self):
        return 1


class Kind(Base):
    __tablename__ = "kind"
    id = Column(Integer, primary_key=True)
    label = Column(String(50))
    things = relationship(Thing, back_populates="kind", order_by=Thing.id)


shelf = Table(
    "shelf", Base.metadata,
    Column("kind_id", Integer, ForeignKey("kind.id"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tag.id"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tag"
    id = Column(Integer, primary_key=True)
    word = Column(String(50))
    kinds = relationship(Kind, secondary=shelf, backref="tags", order_by=Kind.id)


class Person(Base):
    __tablename__ = "person"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    type = Column(String(20))
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "person"}


class Boss(Person):
    __tablename__ = "boss"
    id = Column(Integer, ForeignKey("person.id"), primary_key=True)
    budget = Column(Integer)
    __mapper_args__ = {"polymorphic_identity": "boss"}


class Intern(Person):
    __mapper_args__ = {"polymorphic_identity": "intern"}


class Pair(Base):
    __tablename__ = "pair"
    a = Column(Integer, primary_key=True)
    b = Column(Integer, primary_key=True)
    note = Column(String(20))


eng = engine()
Base.metadata.create_all(eng)
with Session(eng) as s0:
    kinds = [Kind(id=i, label="k%d" % i) for i in range(1, 5)]
    s0.add_all(kinds)
    s0.add_all([Thing(id=i, name="t%d" % i, kind=kinds[i % 3]) for i in range(1, 1201)])
    s0.add_all([Tag(id=1, word="red"), Tag(id=2, word="blue"), Tag(id=3, word="none")])
    s0.add_all([Person(id=1, name="p"), Boss(id=2, name="b", budget=5),
                Intern(id=3, name="i"), Boss(id=4, name="b2", budget=7)])
    s0.add_all([Pair(a=1, b=1, note="x"), Pair(a=1, b=2, note="y"), Pair(a=2, b=1, note=None)])
    s0.flush()
    s0.execute(shelf.insert(), [{"kind_id": k, "tag_id": t}
                                for k, t in [(1, 1), (2, 1), (2, 2), (3, 2), (4, 2)]])
    s0.commit()

s = Session(eng)
loaded = []
event.listen(s, "loaded_as_persistent", lambda sess, obj: loaded.append(type(obj).__name__))

things = s.query(Thing).all()
value("many rows", [len(things), things[0].name, things[-1].name, things[599].kind_id])
value("gc on after the load", gc.isenabled())
value("distinct by identity", len({id(t) for t in things}))
value("identity map", [len(s.identity_map), things[5] in s, s.get(Thing, 6) is things[5]])
value("loaded events", [len(loaded), sorted(set(loaded))])
things[0].name = "changed"
value("dirty with __eq__ True", [len(s.dirty), [t.name for t in s.dirty]])

# the same lazy loads for several parents
ks = s.scalars(select(Kind).order_by(Kind.id)).all()
value("one-to-many", [[t.id for t in k.things[:3]] + [len(k.things)] for k in ks])
value("many-to-one", [t.kind.label for t in things[:6]])
value("many-to-many", [[t.word for t in k.tags] for k in ks])
value("backref many-to-many", [[k.label for k in tag.kinds]
                                for tag in s.scalars(select(Tag).order_by(Tag.id))])
s.commit()

# polymorphic: as the base (subclass columns unloaded), then as the subclass
s2 = Session(eng)
people = s2.query(Person).order_by(Person.id).all()
value("polymorphic", [(type(p).__name__, p.name, "budget" in p.__dict__) for p in people])
bosses = s2.query(Boss).order_by(Boss.id).all()
value("subclass fills in", [(b is people[i], "budget" in b.__dict__, b.budget)
                            for i, b in zip((1, 3), bosses)])
value("single-table subclass", [p.name for p in s2.scalars(select(Intern))])
value("expired budget loads", s2.get(Person, 4).budget)
s2.close()

# composite keys, a row without a key (outer join), populate_existing, result shapes
s3 = Session(eng)
pairs = s3.query(Pair).order_by(Pair.a, Pair.b).all()
value("composite", [(p.a, p.b, p.note) for p in pairs])
rows = s3.execute(select(Kind, Thing).outerjoin(Thing, Thing.kind_id == Kind.id)
                  .where(Kind.id.in_([3, 4])).order_by(Kind.id, Thing.id).limit(2)).all()
value("outer join", [(k.label, t.name if t is not None else None) for k, t in rows])
rows = s3.execute(select(Thing).outerjoin(Kind).where(Kind.id == 4)).scalars().all()
value("no rows", rows)
k4 = s3.get(Kind, 4)
k4.label = "unsaved"
again = s3.get(Kind, 4, populate_existing=True)
value("populate_existing", [again is k4, k4.label, len(s3.dirty)])
result = s3.execute(select(Tag).order_by(Tag.id))
value("rows", [type(r).__name__ for r in result.all()])
value("mappings", [sorted(m) for m in s3.execute(select(Tag).order_by(Tag.id)).mappings()])
value("first", s3.execute(select(Tag).order_by(Tag.id.desc())).first()[0].word)
value("scalars first", s3.scalars(select(Tag).order_by(Tag.id)).first().word)
s3.close()
