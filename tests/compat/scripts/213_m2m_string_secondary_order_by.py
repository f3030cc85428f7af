"""secondary= given as the table's name and a string order_by; a Mapped[list[...]] many-to-many
with back_populates; replacing and clearing a collection; appending the same object twice;
scalar (uselist=False) many-to-many."""

from harness import engine, expect_error, names, track, value
from sqlalchemy import Column, ForeignKey, String, Table, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


Table(
    "student_course", Base.metadata,
    Column("student_id", ForeignKey("student.id"), primary_key=True),
    Column("course_id", ForeignKey("course.id"), primary_key=True),
)


class Subject(Base):
    __tablename__ = "course"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(30))
    students: Mapped[list["Student"]] = relationship(
        secondary="student_course", back_populates="courses", order_by="Student.name.desc()")


class Student(Base):
    __tablename__ = "student"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    courses: Mapped[list[Subject]] = relationship(
        secondary="student_course", back_populates="students", order_by="Subject.title")
    favourite: Mapped["Subject | None"] = relationship(secondary="student_course",
                                                      viewonly=True)


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
math, art, bio = Subject(title="math"), Subject(title="art"), Subject(title="bio")
ann = Student(name="ann", courses=[math, art])
track(math=math, art=art, bio=bio, ann=ann)
s.add(ann)
s.commit()
bob = Student(name="bob")
track(bob=bob)
math.students.append(bob)
s.commit()
value("math.students", names(math.students))
value("ann.courses", names(ann.courses))
ann.courses = [bio, math]
value("art.students", names(art.students))
s.commit()
value("ann.courses after replace", names(ann.courses))
bob.courses.clear()
s.commit()
value("rows", [tuple(r) for r in s.execute(select(Base.metadata.tables["student_course"]))])
value("bob.favourite", bob.favourite)
ann.courses.append(bio)
with expect_error("duplicate association row"):
    s.commit()
s.rollback()
s.close()
