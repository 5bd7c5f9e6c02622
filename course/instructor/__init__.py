"""The instructor's wing of Descent: the ``descent`` command and everything behind it.

- :mod:`course.instructor.cli` -- the ``descent`` command (each subcommand imports what it needs)
- :mod:`course.instructor.grading` -- release, import, autograde, feedback, grades: the pipeline
- :mod:`course.instructor.site`, :mod:`course.instructor.linkcheck` -- the course as a static site

Nothing here is imported by ``import course`` or by any notebook, and a grading kernel
cannot see this folder (the sandbox lays an empty tmpfs over it). The instructor's wing may
import the lessons' wing (the rest of ``course``); never the other way round.
"""
import sys

# jsonschema, which nbformat and nbgrader use, imports ``rfc3987_syntax`` when it is installed
# (jupyter-events pulls it in), and that module builds a parser for the "iri" formats as it is
# imported: 2-4 s of CPU in every grading worker and command, for a format no schema here uses.
# Marked unavailable (unless something imported it already), jsonschema just skips that check.
sys.modules.setdefault("rfc3987_syntax", None)
