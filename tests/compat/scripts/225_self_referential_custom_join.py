"""A self-referential adjacency list written with primaryjoin and the remote() / foreign()
annotations instead of remote_side: the many-to-one and the one-to-many directions, each
loading and writing parent_id."""

from harness import check, engine, names, track, value
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import Session, declarative_base, foreign, relationship, remote

Base = declarative_base()


class Folder(Base):
    __tablename__ = "folder"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    parent_id = Column(ForeignKey("folder.id"))
    parent = relationship("Folder", primaryjoin=lambda: remote(Folder.id) == foreign(
        Folder.parent_id), back_populates="subfolders")
    subfolders = relationship("Folder", primaryjoin="Folder.id == foreign(Folder.parent_id)",
                              back_populates="parent", order_by="Folder.name")


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
root, a, b = Folder(name="root"), Folder(name="a"), Folder(name="b")
track(root=root, a=a, b=b)
a.parent = root
root.subfolders.append(b)
value("root.subfolders", names(root.subfolders))
value("b.parent", b.parent)
s.add(root)
s.commit()
value("root.subfolders (lazy)", names(root.subfolders))
value("a.parent (lazy)", a.parent)
b.parent = a
s.commit()
value("a.subfolders", names(a.subfolders))
check("end", root=root, a=a, b=b)
s.close()
