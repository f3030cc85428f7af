"""Versioning next to relationships (2.x mapped_column style): a collection change alone
does not bump the parent's version; a child's foreign key change bumps the child's; a
SQL-expression value on a versioned row; a post_update link on a versioned table bumps
the version of a row that existed before the flush."""

from typing import Optional

from harness import check, engine, value
from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Folder(Base):
    __tablename__ = "folders"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column()
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", name="fk_cover"))
    files: Mapped[list["File"]] = relationship(foreign_keys=lambda: [File.folder_id],
                                               back_populates="folder")
    cover: Mapped[Optional["File"]] = relationship(foreign_keys=lambda: [Folder.cover_id],
                                                  post_update=True)
    __mapper_args__ = {"version_id_col": version}


class File(Base):
    __tablename__ = "files"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    rev: Mapped[int] = mapped_column()
    folder_id: Mapped[int | None] = mapped_column(ForeignKey("folders.id"))
    folder: Mapped[Folder | None] = relationship(foreign_keys=lambda: [File.folder_id],
                                                    back_populates="files")
    __mapper_args__ = {"version_id_col": rev}


eng = engine()
Base.metadata.create_all(eng)
s = Session(eng)
f = Folder(name="docs")
a = File(name="a", folder=f)
s.add(f)
s.flush()
value("versions", (f.version, a.rev))
b = File(name="b")
f.files.append(b)
s.flush()
value("versions after append", (f.version, a.rev, b.rev))
a.folder = None
s.flush()
value("versions after move", (f.version, a.rev))
a.name = func.upper("expr")
s.flush()
value("a", (a.name, a.rev))
s.commit()
f.cover = b
s.flush()
value("cover", (f.cover_id, f.version))
check("objects", f=f, a=a, b=b)
s.commit()
value("folders", [tuple(r) for r in s.execute(select(Folder.__table__))])
value("files", [tuple(r) for r in s.execute(select(File.__table__))])
s.close()
