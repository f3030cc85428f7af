"""Inheritance and classical mapping: what the compat scripts can't show (the legacy
mapper() function, refusals, the flush plan of a hierarchy, unmapping)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, create_engine, update
from sqlalchemy import exc as sa_exc

from inspector.orm import Session, declarative_base, inspect, registry


def _hierarchy():
    Base = declarative_base()

    class Employee(Base):
        __tablename__ = "employees"
        id = Column(Integer, primary_key=True)
        name = Column(String(50))
        type = Column(String(20))
        __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}

    class Manager(Employee):
        __tablename__ = "managers"
        id = Column(ForeignKey("employees.id"), primary_key=True)
        data = Column(String(20))
        __mapper_args__ = {"polymorphic_identity": "manager"}

    return Base, Employee, Manager


def test_hierarchy_facts():
    Base, Employee, Manager = _hierarchy()
    em, mm = inspect(Employee), inspect(Manager)
    assert mm.inherits is em and mm.base_mapper is em and not mm.single
    assert mm.isa(em) and not em.isa(mm)
    assert em.polymorphic_map == {"employee": em, "manager": mm}
    assert [t.name for t in mm.tables] == ["employees", "managers"]
    assert mm.primary_key == [Employee.__table__.c.id]
    assert Manager().type == "manager"


def test_one_save_action_per_hierarchy():
    Base, Employee, Manager = _hierarchy()
    eng = create_engine("sqlite://")
    Base.metadata.create_all(eng)
    s = Session(eng)
    s.add_all([Employee(name="e"), Manager(name="m")])
    plan = s._plan_flush()
    assert [step.label for step in plan.steps] == ["INSERT/UPDATE Employee + Manager"]
    s.commit()
    assert inspect(s.get(Employee, 2)).identity_key == (Employee, (2,), None)


def test_orm_dml_of_a_hierarchy_is_refused():
    Base, Employee, Manager = _hierarchy()
    eng = create_engine("sqlite://")
    Base.metadata.create_all(eng)
    with Session(eng) as s, pytest.raises(NotImplementedError, match="inheritance"):
        s.execute(update(Manager).values(data="x"))


def test_concrete_polymorphic_loading_is_refused():
    Base, Employee, Manager = _hierarchy()
    with pytest.raises(NotImplementedError, match="polymorphic_union"):

        class Other(Employee):
            __tablename__ = "others"
            id = Column(Integer, primary_key=True)
            __mapper_args__ = {"concrete": True, "polymorphic_identity": "other"}


def _tables():
    md = MetaData()
    users = Table("users", md, Column("user_id", Integer, primary_key=True),
                  Column("user_name", String(20)))
    addresses = Table("addresses", md, Column("id", Integer, primary_key=True),
                      Column("user_id", ForeignKey("users.user_id")))
    return md, users, addresses


_LEGACY = """
import warnings
import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from inspector.orm import clear_mappers, inspect, mapper, relationship

md = MetaData()
users = Table("users", md, Column("user_id", Integer, primary_key=True),
              Column("user_name", String(20)))
addresses = Table("addresses", md, Column("id", Integer, primary_key=True),
                  Column("user_id", ForeignKey("users.user_id")))


class User:
    pass


class Address:
    pass


try:
    with pytest.warns(DeprecationWarning, match="map_imperatively"):
        m = mapper(User, users, properties={
            "name": users.c.user_name,
            "addresses": relationship("Address", backref="user")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        mapper(Address, addresses)
    assert m is inspect(User) and "name" in m.attrs and "user_name" not in m.attrs
    u = User()
    u.addresses.append(Address())
    assert u.addresses[0].user is u
finally:
    clear_mappers()
assert not hasattr(User, "name") and "__mapper__" not in User.__dict__
print("ok")
"""


def test_legacy_mapper_function_and_clear_mappers():
    # clear_mappers() unmaps every class of the process: run it in a process of its own
    out = subprocess.run([sys.executable, "-c", _LEGACY], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
                         timeout=120)
    assert out.stdout.strip() == "ok", out.stderr


def test_unsupported_mapper_arguments_raise():
    md, users, _ = _tables()

    class User:
        pass

    reg = registry()
    with pytest.raises(NotImplementedError, match="always_refresh"):
        reg.map_imperatively(User, users, always_refresh=True)
    with pytest.raises(NotImplementedError, match="entity_name"):
        reg.map_imperatively(User, users, entity_name="x")
    with pytest.raises(TypeError, match="nonsense"):
        reg.map_imperatively(User, users, nonsense=1)
    assert "__mapper__" not in User.__dict__


def test_registry_dispose_unmaps_its_classes():
    md, users, _ = _tables()

    class User:
        pass

    reg = registry()
    reg.map_imperatively(User, users)
    assert hasattr(User, "user_name")
    reg.dispose()
    assert not hasattr(User, "user_name") and "__mapper__" not in User.__dict__
    reg.map_imperatively(User, users)  # mappable again
    reg.dispose()


def test_declarative_refusals():
    from inspector.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

    class Base(DeclarativeBase):
        pass

    with pytest.raises(NotImplementedError, match="MappedAsDataclass"):

        class A(Base):
            __tablename__ = "a"
            id: Mapped[int] = mapped_column(primary_key=True, init=False)

    with pytest.raises(NotImplementedError, match="cascading"):

        class Mixin:
            @declared_attr.cascading
            def x(cls):
                return None

    with pytest.raises(sa_exc.ArgumentError, match="polymorphic_on"):

        class B(Base):
            __tablename__ = "b"
            id: Mapped[int] = mapped_column(primary_key=True)
            __mapper_args__ = {"polymorphic_on": "nope"}

    class C(Base):
        __tablename__ = "c"
        id: Mapped[int] = mapped_column(primary_key=True)

    with pytest.raises(sa_exc.ArgumentError, match="primary key"):

        class D(C):
            other: Mapped[int] = mapped_column(primary_key=True)


def test_unknown_discriminator_value_is_an_error():
    Base, Employee, Manager = _hierarchy()
    eng = create_engine("sqlite://")
    Base.metadata.create_all(eng)
    with eng.begin() as conn:
        conn.execute(Employee.__table__.insert(), {"name": "x", "type": "martian"})
    with Session(eng) as s, pytest.raises(AssertionError, match="martian"):
        s.query(Employee).all()
