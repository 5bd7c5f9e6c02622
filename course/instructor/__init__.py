"""The instructor's wing of Descent: the ``descent`` command and everything behind it.

- :mod:`course.instructor.cli` -- the ``descent`` command (each subcommand imports what it needs)
- :mod:`course.instructor.grading` -- release, import, autograde, feedback, grades: the pipeline
- :mod:`course.instructor.site`, :mod:`course.instructor.linkcheck` -- the course as a static site

Nothing here is imported by ``import course`` or by any notebook, and a grading kernel
cannot see this folder (the sandbox lays an empty tmpfs over it). The instructor's wing may
import the lessons' wing (the rest of ``course``); never the other way round.
"""
