"""2.x annotations choose the collection: Mapped[set["X"]] is a set, Mapped[dict[str, "X"]]
with attribute_keyed_dict a keyed dict, Mapped[list["X"]] a list, Mapped["X"] on a
one-to-many side a one-to-one (uselist=False)."""

from harness import check, engine, track, value
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    attribute_keyed_dict,
    mapped_column,
    relationship,
)


class Base(DeclarativeBase):
    pass


class Box(Base):
    __tablename__ = "box"
    id: Mapped[int] = mapped_column(primary_key=True)
    balls: Mapped[set["Ball"]] = relationship(back_populates="box")
    cards: Mapped[dict[str, "Card"]] = relationship(
        collection_class=attribute_keyed_dict("title"), cascade="all, delete-orphan")
    lid: Mapped["Lid | None"] = relationship(back_populates="box")


class Ball(Base):
    __tablename__ = "ball"
    id: Mapped[int] = mapped_column(primary_key=True)
    colour: Mapped[str] = mapped_column(String(10))
    box_id: Mapped[int | None] = mapped_column(ForeignKey("box.id"))
    box: Mapped[Box | None] = relationship(back_populates="balls")


class Card(Base):
    __tablename__ = "card"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(10))
    box_id: Mapped[int | None] = mapped_column(ForeignKey("box.id"))


class Lid(Base):
    __tablename__ = "lid"
    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[int | None] = mapped_column(ForeignKey("box.id"))
    box: Mapped[Box | None] = relationship(back_populates="lid")


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
box = Box()
red = Ball(colour="red")
track(box=box, red=red)
box.balls.add(red)
value("types", [isinstance(box.balls, set), isinstance(box.cards, dict)])
box.cards["a"] = Card(title="a")
lid = Lid(box=box)
track(lid=lid)
value("box.lid", box.lid)
s.add(box)
s.commit()
value("colours", sorted(b.colour for b in box.balls))
value("cards", sorted(box.cards))
box.lid = Lid()
box.cards["a"] = Card(title="a")
s.commit()
check("old lid kept, unlinked", lid=lid)
value("lid.box_id", lid.box_id)
s.close()
