"""A load is the first use of the mappers: it configures them, as SQLAlchemy's does.

Found by the benchmark's m2m_unlink scenario: objects loaded before any mapped object was
constructed had no relationship attributes (``'Post' object has no attribute 'tags'``).
"""

import pytest
import sqlalchemy.orm as sa_orm
from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine, select

import inspector.orm as our_orm


def _models(orm):
    Base = orm.declarative_base()
    link = Table("link", Base.metadata,
                 Column("a_id", ForeignKey("a.id"), primary_key=True),
                 Column("b_id", ForeignKey("b.id"), primary_key=True))  # fmt: skip

    class B(Base):
        __tablename__ = "b"
        id = Column(Integer, primary_key=True)

    class A(Base):
        __tablename__ = "a"
        id = Column(Integer, primary_key=True)
        name = Column(String(20))
        bs = orm.relationship(B, secondary=link, backref="as_")

    return Base, A, B


@pytest.mark.parametrize("orm", [sa_orm, our_orm], ids=["sqlalchemy", "ours"])
@pytest.mark.parametrize("how", ["query", "execute"])
def test_first_load_configures_relationships(orm, how):
    Base, A, B = _models(orm)
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO a (id, name) VALUES (1, 'x')")
        conn.exec_driver_sql("INSERT INTO b (id) VALUES (7)")
        conn.exec_driver_sql("INSERT INTO link (a_id, b_id) VALUES (1, 7)")
    with orm.Session(engine) as s:  # no A() or B() constructed before this load
        a = s.query(A).one() if how == "query" else s.execute(select(A)).scalar_one()
        assert [b.id for b in a.bs] == [7]
        assert [x.name for x in a.bs[0].as_] == ["x"]
