"""The same kinds of statements in flush after flush (each built once and reused): inserts
whose keys come back through RETURNING, a server default read back (eager_defaults), a
versioned class updated and deleted in several flushes (a stale version too), joined
inheritance inserted in two flushes, association rows unlinked and linked again by small
autoflushes, and UPDATEs of different column sets in one flush."""

from harness import check, engine, expect_error, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select, text, update
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

link = Table("link", Base.metadata,
             Column("doc_id", ForeignKey("doc.id"), primary_key=True),
             Column("label_id", ForeignKey("label.id"), primary_key=True))


class Label(Base):
    __tablename__ = "label"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))


class Doc(Base):
    __tablename__ = "doc"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    size = Column(Integer)
    note = Column(String(20), server_default=text("'none'"))
    labels = relationship(Label, secondary=link, backref="docs", order_by=Label.id)
    __mapper_args__ = {"eager_defaults": True}


class Counter(Base):
    __tablename__ = "counter"
    id = Column(Integer, primary_key=True)
    value = Column(Integer, nullable=False)
    version = Column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class Person(Base):
    __tablename__ = "person"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    kind = Column(String(20))
    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "person"}


class Boss(Person):
    __tablename__ = "boss"
    id = Column(Integer, ForeignKey("person.id"), primary_key=True)
    title = Column(String(20))
    __mapper_args__ = {"polymorphic_identity": "boss"}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)

labels = [Label(name="l%d" % i) for i in range(3)]
s.add_all(labels)
for round_ in range(3):
    docs = [Doc(name="d%d.%d" % (round_, i), size=i, labels=labels[: i + 1]) for i in range(3)]
    s.add_all(docs)
    s.flush()
    value("round %d keys" % round_, [d.id for d in docs])
    value("round %d notes" % round_, [d.note for d in docs])
    check("round %d" % round_, d0=docs[0], d2=docs[2])
s.commit()

# small autoflushes: unlink one label, a query flushes it; link it again, flushed again
for doc in s.scalars(select(Doc).order_by(Doc.id)).all()[:4]:
    doc.labels.remove(doc.labels[0])
    value("links of %s" % doc.name, s.scalar(text("SELECT count(*) FROM link")))
    doc.labels.append(labels[0])
    value("links again %s" % doc.name, s.scalar(text("SELECT count(*) FROM link")))

# UPDATEs of different column sets in one flush, twice
docs = s.scalars(select(Doc).order_by(Doc.id)).all()
for i, doc in enumerate(docs):
    if i % 3 == 0:
        doc.name = doc.name + "!"
    elif i % 3 == 1:
        doc.size = 100 + i
    else:
        doc.name, doc.size = doc.name + "?", 200 + i
s.flush()
docs[0].size = 7
docs[1].name = "x"
s.commit()

counters = [Counter(value=i) for i in range(4)]
s.add_all(counters)
s.flush()
value("versions", [c.version for c in counters])
for step in range(3):
    for c in counters[step:]:
        c.value += 10
    s.flush()
    value("versions after flush %d" % step, [c.version for c in counters])
s.commit()
s.execute(update(Counter).where(Counter.id == counters[3].id).values(version=99)
          .execution_options(synchronize_session=False))
counters[0].value = -1
counters[3].value = -1
with expect_error("stale version in a batch"):
    s.flush()
s.rollback()
s.delete(counters[1])
s.flush()
s.delete(counters[2])
s.commit()
value("counters left", s.scalars(select(Counter.id).order_by(Counter.id)).all())

people = [Person(name="p1"), Boss(name="b1", title="t1")]
s.add_all(people)
s.flush()
more = [Boss(name="b2", title="t2"), Person(name="p2"), Boss(name="b3")]
s.add_all(more)
s.flush()
value("people keys", [p.id for p in people + more])
more[0].title = "T2"
people[1].name = "B1"
s.commit()
check("end", b1=people[1], b2=more[0], p2=more[1])
