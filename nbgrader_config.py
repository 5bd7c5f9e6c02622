"""nbgrader configuration for the Descent course.

The course root is the folder holding this file. The gradebook is SQLite by
default; set ``DESCENT_DB_URL`` (any SQLAlchemy URL, e.g.
``postgresql://user@localhost/descent``) to use another database.
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

ROOT = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "descent"
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.db_url = os.environ.get(
    "DESCENT_DB_URL", f"sqlite:///{ROOT / 'gradebook.db'}"
)

# Seconds one cell may run before the grader interrupts it; a student's
# cell that loops forever loses that cell's marks, not the whole notebook.
c.Execute.timeout = int(os.environ.get("DESCENT_CELL_TIMEOUT", "60"))
c.Execute.interrupt_on_timeout = True

# What a student sees in place of a removed solution.
c.ClearSolutions.code_stub = {
    "python": (
        "# YOUR CODE HERE: write the body, then run the check cell below.\n"
        'raise NotImplementedError("Write this function (see the exercise text above), '
        'then run the check cell below.")'
    )
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Hidden tests are stripped from the release and run at autograde.
c.ClearHiddenTests.enabled = True
c.ClearOutput.enabled = True
# Feedback shows which hidden test failed and its message, never the hidden test's code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "course.grading.feedback.HideHiddenTests",
]

# Keep notebooks small even when a student prints a lot.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40
