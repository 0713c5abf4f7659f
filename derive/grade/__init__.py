"""Grade a class: a folder of submissions -> a gradebook, a page per student, a class page."""

from __future__ import annotations

from derive.grade.grading import Progress, grade_folder
from derive.grade.model import ClassGrades, Grade, PartGrade, StudentGrades
from derive.grade.roster import SubmissionsError

__all__ = ["ClassGrades", "Grade", "PartGrade", "Progress", "StudentGrades", "SubmissionsError",
           "grade_folder"]
