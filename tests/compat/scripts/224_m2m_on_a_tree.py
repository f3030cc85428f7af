"""A many-to-many on a class whose rows depend on each other (an adjacency-list tree), so
the flush orders that class object by object: the association rows still go after both
ends are inserted and before either end is deleted."""

from harness import check, engine, expect_error, track, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

see_also = Table(
    "see_also", Base.metadata,
    Column("from_id", ForeignKey("page.id"), primary_key=True),
    Column("to_id", ForeignKey("page.id"), primary_key=True),
)


class Page(Base):
    __tablename__ = "page"
    id = Column(Integer, primary_key=True)
    title = Column(String(20))
    parent_id = Column(ForeignKey("page.id"))
    children = relationship("Page", back_populates="parent", cascade="all, delete-orphan")
    parent = relationship("Page", back_populates="children", remote_side=[id])
    links = relationship("Page", secondary=see_also,
                         primaryjoin=id == see_also.c.from_id,
                         secondaryjoin=id == see_also.c.to_id)


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
root = Page(title="root")
a = Page(title="a", parent=root)
b = Page(title="b", parent=a)
track(root=root, a=a, b=b)
b.links.append(root)
s.add(root)
s.commit()
value("b.links", [p.title for p in b.links])
c = Page(title="c", parent=b)
track(c=c)
s.add(c)
root.links = [c]
s.commit()
value("loaded", [len(p.links) for p in (a, b, c)])  # SQLAlchemy loads them in set order
s.delete(a)
with expect_error("the row root -> c still names c: links has no backref to delete it"):
    s.flush()
s.rollback()
value("loaded", [len(p.links) for p in (root, a, b, c)])
root.links.clear()
s.delete(a)
s.flush()
check("subtree deleted", a=a, b=b, c=c)  # and the row b -> root
value("rows", [tuple(r) for r in s.execute(select(see_also))])
s.commit()
s.close()
