"""The recorder shows many-to-many flushes and the set / dict collections: association
steps of their own kind (with their DELETE / INSERT of rows), collections listed by their
members."""

import json

from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine

from inspector import FlushStepper
from inspector.orm import Session, attribute_keyed_dict, declarative_base, relationship
from inspector.trace import Recorder

Base = declarative_base()
links = Table("links", Base.metadata,
              Column("u_id", ForeignKey("u.id"), primary_key=True),
              Column("k_id", ForeignKey("k.id"), primary_key=True))


class U(Base):
    __tablename__ = "u"
    id = Column(Integer, primary_key=True)
    ks = relationship("K", secondary=links, backref="us")
    tags = relationship("T", collection_class=set)
    notes = relationship("N", collection_class=attribute_keyed_dict("name"))


class K(Base):
    __tablename__ = "k"
    id = Column(Integer, primary_key=True)


class T(Base):
    __tablename__ = "t"
    id = Column(Integer, primary_key=True)
    u_id = Column(ForeignKey("u.id"))


class N(Base):
    __tablename__ = "n"
    id = Column(Integer, primary_key=True)
    name = Column(String(10))
    u_id = Column(ForeignKey("u.id"))


def test_association_steps_and_collections_in_snapshots():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    s = Session(engine)
    rec = Recorder(s)
    u = U(ks=[K(), K()], tags={T()}, notes={"a": N(name="a")})
    s.add(u)
    FlushStepper(s).run()
    snap = rec.snapshot()
    json.dumps(snap)
    steps = snap["flush"]["steps"]
    assoc = [st for st in steps if st["kind"] == "association"]
    assert [st["label"] for st in assoc] == ["process many-to-many K.us",
                                             "process many-to-many U.ks"]
    assert assoc[0]["statements"][0]["sql"].startswith("INSERT INTO links")
    assert "#eef6e6" in snap["flush"]["dot"]
    reasons = {e["reason"] for e in snap["flush"]["edges"]}
    assert "association rows after both ends are inserted" in reasons
    rels = {a["name"]: a["value"] for o in snap["objects"] if o["cls"] == "U"
            for a in o["attributes"] if a["kind"] == "relationship"}
    assert rels == {"ks": "[K(1), K(2)]", "tags": "[T(1)]", "notes": "[N(1)]"}
    s.close()
