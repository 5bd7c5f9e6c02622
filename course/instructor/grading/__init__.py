"""The grading pipeline: real nbgrader, with a sandboxed kernel and a judge outside it.

In the order a class's submissions meet them (``descent grade``, :mod:`.batch`):

1. Bring them in: :mod:`.importing` (folders, zips), :mod:`.lms_presets`, :mod:`.lms_import`, :mod:`.roster`,
   sharing :mod:`.import_report`; every student file is read through :mod:`.safe_io`.
2. Look before grading: :mod:`.staging` copies what nbgrader grades, checked by :mod:`.inspection`
   (valid JSON, locked cells, risky code) and :mod:`.shortcut_flags`; :mod:`.autograde` then
   runs nbgrader's own autograde converter, one student at a time.
3. Run: :mod:`.execute` (nbgrader's ``Execute``, rebuilt) starts the kernel through
   :mod:`.sandbox` / :mod:`.sandbox_launch` (bubblewrap, resource limits) and hands each test
   cell to :mod:`.judge`, which runs the hidden tests in the grader.
4. Record and report: :mod:`.graded_notebooks` (incidents and mistakes grading wrote),
   :mod:`.scores`, :mod:`.verify`, :mod:`.export` (``grades.csv``),
   :mod:`.feedback` (safe HTML), :mod:`.report` (where the class struggles), :mod:`.table`,
   :mod:`.lms_export` (a file the LMS imports).

Around them: :mod:`.coursedir` (the course: folders, gradebook, configuration, passed to every
step), :mod:`.config` (environment variables and the submissions' limits),
:mod:`.cells` (nbgrader cell roles), :mod:`.release` and :mod:`.gradebook_sync` (``release/``
and the gradebook), :mod:`.nbgrader_run` (nbgrader's own commands), :mod:`.dblock`,
:mod:`.runlock` and :mod:`.ledger` (safe concurrent and resumable runs), :mod:`.gradebook_record`
(``grades/<assignment>/`` holds one gradebook's record), :mod:`.engines` (one
gradebook engine per worker), :mod:`.progress`,
:mod:`.sample_submissions` (sample submissions for demos and tests), :mod:`.demo` (``descent demo``).
"""
from .core.coursedir import CourseError, CourseRoot

__all__ = ["CourseError", "CourseRoot"]
