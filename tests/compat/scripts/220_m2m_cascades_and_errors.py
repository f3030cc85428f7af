"""Many-to-many cascades and configuration errors: delete-orphan needs single_parent=True
(221), and with it a member removed from its parent is deleted with its row; cascade="all"
deletes the members with the parent; a self-referential secondary without joins is
ambiguous."""

from harness import check, engine, expect_error, track
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Session, configure_mappers, declarative_base, relationship

Base = declarative_base()

a_b = Table("a_b", Base.metadata,
            Column("a_id", ForeignKey("a.id"), primary_key=True),
            Column("b_id", ForeignKey("b.id"), primary_key=True))
a_c = Table("a_c", Base.metadata,
            Column("a_id", ForeignKey("a.id"), primary_key=True),
            Column("c_id", ForeignKey("c.id"), primary_key=True))


class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
    bs = relationship("B", secondary=a_b, cascade="all, delete-orphan", single_parent=True)
    cs = relationship("C", secondary=a_c, cascade="all")


class B(Base):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
    name = Column(String(10))


class C(Base):
    __tablename__ = "c"
    id = Column(Integer, primary_key=True)
    name = Column(String(10))


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
a = A()
b1, b2, c1 = B(name="b1"), B(name="b2"), C(name="c1")
track(a=a, b1=b1, b2=b2, c1=c1)
a.bs.append(b1)
s.add(a)
s.flush()
a.bs.append(b2)
a.cs.append(c1)
s.commit()
a.bs.remove(b1)
s.flush()
check("orphan deleted", b1=b1)
s.commit()
a2 = A()
track(a2=a2)
with expect_error("second parent of a single_parent member"):
    a2.bs.append(b2)
s.delete(a)
s.commit()
check("deleted with their parent", a=a, b2=b2, c1=c1)
s.close()


def self_referential_without_joins():
    base = declarative_base()
    t = Table("x_x", base.metadata, Column("l", ForeignKey("x.id")),
              Column("r", ForeignKey("x.id")))

    class X(base):
        __tablename__ = "x"
        id = Column(Integer, primary_key=True)
        xs = relationship("X", secondary=t)

    configure_mappers()


# (one configuration error per script: a mapper that failed stays unconfigured)
with expect_error("self-referential secondary without primaryjoin/secondaryjoin"):
    self_referential_without_joins()
