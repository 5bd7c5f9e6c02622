"""The grading pipeline: real nbgrader, with a sandboxed kernel and a judge outside it.

One folder per stage, in the order a class's submissions meet them (``descent grade``, :mod:`.batch`);
a stage imports the shared core and earlier stages only:

- :mod:`.core`: the course (:class:`CourseRoot`: folders, gradebook, configuration), its limits,
  cell roles, safe reading of student files, locks, nbgrader's own commands, a root several graders share.
- :mod:`.intake`: submissions from folders, zips, an LMS download or nbgrader's exchange; rosters.
- :mod:`.stage`: the checked copies nbgrader grades (valid JSON, locked cells, risky code, shortcuts).
- :mod:`.judge`: hidden tests run in the grader on the student's functions; a failure's diagnosis.
- :mod:`.run`: nbgrader's ``Execute`` rebuilt, the kernel sandboxed (bubblewrap, limits, a template).
- :mod:`.feedback`: safe feedback pages; what grading wrote into each graded notebook.
- :mod:`.record`: scores read back, checked, exported (``grades.csv``, an LMS file), reported.
- :mod:`.publish`: ``release/`` from ``source/``, the gradebook's assignments, sample submissions.

The drivers run them: :mod:`.autograde` (one student, in a worker), :mod:`.batch` (a class),
:mod:`.demo` (``descent demo``). :mod:`course.instructor.probes` holds every exercise's right and wrong implementations.
"""
from .core.coursedir import CourseError, CourseRoot

__all__ = ["CourseError", "CourseRoot"]
