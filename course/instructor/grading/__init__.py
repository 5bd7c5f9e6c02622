"""The grading pipeline, one stage per module, each a thin layer over real nbgrader.

- :mod:`~course.instructor.grading.coursedir` -- find, check and copy a course root
- :mod:`~course.instructor.grading.nbgrader_run` -- run nbgrader's own commands on a course root
- :mod:`~course.instructor.grading.submissions` -- build submissions from source and release notebooks
- :mod:`~course.instructor.grading.scores` -- read scores back from the gradebook
"""
from .coursedir import CourseError, CourseRoot
from .scores import CellScore, read_scores

__all__ = ["CourseError", "CourseRoot", "CellScore", "read_scores"]
