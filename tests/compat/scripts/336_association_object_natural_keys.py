"""An association object whose primary key is the two foreign keys (test_cascade /
test_naturalpks shapes): rows created through both parents, delete-orphan from one side,
deleting a parent with cascade, and a natural-key parent renamed with passive_updates=
False (the association rows' primary keys follow)."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Student(Base):
    __tablename__ = "students"
    name = Column(String(20), primary_key=True)
    enrollments = relationship("Enrollment", cascade="all, delete-orphan",
                               back_populates="student", passive_updates=False,
                               order_by="Enrollment.course_id")


class Course(Base):
    __tablename__ = "courses"
    id = Column(Integer, primary_key=True)
    enrollments = relationship("Enrollment", back_populates="course")


class Enrollment(Base):
    __tablename__ = "enrollments"
    student_name = Column(String(20), ForeignKey("students.name", deferrable=True,
                                                 initially="DEFERRED"), primary_key=True)
    course_id = Column(Integer, ForeignKey("courses.id"), primary_key=True)
    grade = Column(String(2))
    student = relationship("Student", back_populates="enrollments")
    course = relationship("Course", back_populates="enrollments")


def rows():
    return sorted(tuple(r) for r in s.execute(select(Enrollment.student_name,
                                                     Enrollment.course_id,
                                                     Enrollment.grade)))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
math, art = Course(id=1), Course(id=2)
ann = Student(name="ann")
e1 = Enrollment(course=math, grade="A")
ann.enrollments.append(e1)
Enrollment(student=ann, course=art, grade="B")
s.add(ann)
s.commit()
value("start", rows())
ann.name = "anne"
s.commit()
check("renamed", e1=e1)
value("renamed", rows())
ann.enrollments.remove(e1)
s.commit()
check("orphan", e1=e1)
bob = Student(name="bob", enrollments=[Enrollment(course=math)])
s.add(bob)
s.commit()
s.delete(ann)
s.commit()
value("end", rows())
s.close()
