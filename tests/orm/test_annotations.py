# ruff: noqa: UP006, UP035, UP037, UP045  (the typing forms SQLAlchemy users write are the point)
"""Mapped[...] annotations: what can't be derived is an error, never a dropped attribute."""

import enum
from typing import ClassVar, Optional

import pytest
from sqlalchemy import BigInteger, Enum, ForeignKey, Integer, String

from inspector.orm import (
    DeclarativeBase,
    Mapped,
    configure_mappers,
    declarative_base,
    mapped_column,
    registry,
    relationship,
)
from inspector.orm.exc import MappedAnnotationError


def _base():
    class Base(DeclarativeBase):
        pass

    return Base


def test_annotation_only_columns_and_nullability():
    Base = _base()

    class User(Base):
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]
        fullname: Mapped[Optional[str]]
        limit: ClassVar[int] = 3

    cols = {c.name: c for c in User.__table__.c}
    assert list(cols) == ["id", "name", "fullname"]
    assert isinstance(cols["id"].type, Integer) and cols["id"].primary_key
    assert isinstance(cols["name"].type, String) and not cols["name"].nullable
    assert cols["fullname"].nullable
    assert User.limit == 3


def test_type_annotation_map_of_base_and_registry():
    class Base(DeclarativeBase):
        type_annotation_map = {int: BigInteger}

    class A(Base):
        __tablename__ = "a"
        id: Mapped[int] = mapped_column(primary_key=True)

    assert isinstance(A.__table__.c.id.type, BigInteger)
    reg = registry(type_annotation_map={str: String(12)})
    B = reg.generate_base()

    class C(B):
        __tablename__ = "c"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]

    assert C.__table__.c.name.type.length == 12


def test_enum_annotation():
    class Color(enum.Enum):
        red = 1

    Base = _base()

    class A(Base):
        __tablename__ = "a"
        id: Mapped[int] = mapped_column(primary_key=True)
        color: Mapped[Color]

    assert isinstance(A.__table__.c.color.type, Enum)


@pytest.mark.parametrize("annotation", [dict, "Foo", list, Optional[object]])
def test_unknown_python_type_is_an_error(annotation):
    Base = _base()
    with pytest.raises(MappedAnnotationError, match="Could not locate SQLAlchemy Core type"):

        class A(Base):
            __tablename__ = "a"
            id: Mapped[int] = mapped_column(primary_key=True)
            x: Mapped[annotation]


def test_plain_annotation_is_an_error_unless_allowed():
    Base = declarative_base()
    with pytest.raises(MappedAnnotationError, match='"A.x" can\'t be correctly interpreted'):

        class A(Base):
            __tablename__ = "a"
            id: Mapped[int] = mapped_column(primary_key=True)
            x: int

    class B(Base):
        __tablename__ = "b"
        __allow_unmapped__ = True
        id: Mapped[int] = mapped_column(primary_key=True)
        x: int

    assert [c.name for c in B.__table__.c] == ["id"]


def test_mapped_column_without_type_or_annotation():
    Base = _base()
    with pytest.raises(Exception, match="Python typing annotation is required"):

        class A(Base):
            __tablename__ = "a"
            id: Mapped[int] = mapped_column(primary_key=True)
            x = mapped_column()


def test_relationship_needs_a_target():
    Base = _base()
    with pytest.raises(Exception, match="Python typing annotation is required"):

        class A(Base):
            __tablename__ = "a"
            id: Mapped[int] = mapped_column(primary_key=True)
            bs = relationship()


@pytest.mark.parametrize("collection", [frozenset, tuple])
def test_unsupported_collection_annotation(collection):
    Base = _base()
    with pytest.raises(NotImplementedError, match="collection type '%s'" % collection.__name__):

        class A(Base):
            __tablename__ = "a"
            id: Mapped[int] = mapped_column(primary_key=True)
            bs: Mapped[collection["B"]] = relationship()  # noqa: F821


def test_scalar_annotation_on_one_to_many_is_uselist_false():
    Base = _base()

    class A(Base):
        __tablename__ = "a"
        id: Mapped[int] = mapped_column(primary_key=True)
        b: Mapped[Optional["B"]] = relationship()
        bs: Mapped[list["B"]] = relationship(viewonly=True)

    class B(Base):
        __tablename__ = "b"
        id: Mapped[int] = mapped_column(primary_key=True)
        a_id: Mapped[int] = mapped_column(ForeignKey("a.id"))

    configure_mappers()
    assert A.__mapper__.relationships["b"].uselist is False
    assert A.__mapper__.relationships["bs"].uselist is True


def test_subclass_of_mapped_class_is_single_table_inheritance():
    Base = _base()

    class A(Base):
        __tablename__ = "a"
        id: Mapped[int] = mapped_column(primary_key=True)

    class B(A):
        note: Mapped[str | None]

    mapper = B.__mapper__
    assert mapper.inherits is A.__mapper__ and mapper.single
    assert mapper.local_table is A.__table__ and "note" in A.__table__.c
    assert "note" not in A.__mapper__.attrs and "note" in mapper.attrs


def test_declarative_base_refuses_unknown_options():
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        declarative_base(nope=1)
    with pytest.raises(NotImplementedError, match="constructor"):
        declarative_base(constructor=None)


def test_mapper_args_and_orm_column_options_are_refused():
    Base = _base()
    with pytest.raises(NotImplementedError, match="non_primary"):

        class A(Base):
            __tablename__ = "a"
            __mapper_args__ = {"non_primary": True}
            id: Mapped[int] = mapped_column(primary_key=True)

    with pytest.raises(NotImplementedError, match="deferred"):
        mapped_column(deferred=True)

    class B(Base):
        __tablename__ = "b"
        __mapper_args__ = {"eager_defaults": "auto"}
        id: Mapped[int] = mapped_column(primary_key=True)
        n: Mapped[int] = mapped_column(insert_default=3, deferred=False)

    assert B.__table__.c.n.default.arg == 3


def test_explicit_table_with_annotations():
    from sqlalchemy import Column, Table
    from sqlalchemy.exc import ArgumentError

    Base = _base()
    users = Table("users", Base.metadata, Column("id", Integer, primary_key=True),
                  Column("name", String))

    class User(Base):
        __table__ = users
        id: Mapped[int]
        name: Mapped[Optional[str]]

    assert list(User.__mapper__.attrs) == ["id", "name"]
    with pytest.raises(ArgumentError, match="Can't add additional column 'other'"):

        class Other(Base):
            __table__ = Table("o", Base.metadata, Column("id", Integer, primary_key=True))
            other: Mapped[str] = mapped_column()
