"""nbgrader configuration for the Descent course.

The course root is the folder holding this file. The gradebook is SQLite by
default; set ``DESCENT_DB_URL`` (any SQLAlchemy URL, e.g.
``postgresql://user@localhost/descent``), or write the URL below, to use another
database: nbgrader, the formgrader and every ``descent`` command read it here.
"""
from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

ROOT = Path(__file__).resolve().parent

from course.instructor.grading.core.coursedir import default_db_url  # noqa: E402

c.CourseDirectory.course_id = "descent"
c.CourseDirectory.root = str(ROOT)
# A course root `descent hub --grader a --grader b` shared with its graders' group (set-group-id,
# group-writable): every grader's nbgrader, formgrader and `descent` write for the group (umask 002)
# and use nbgrader's group-shared modes in the course and the exchange. A root one grader owns: no change.
from course.instructor.grading.core.group_share import adopt_group_umask  # noqa: E402

c.CourseDirectory.groupshared = adopt_group_umask(ROOT)
c.CourseDirectory.db_url = default_db_url(ROOT)  # $DESCENT_DB_URL, else gradebook.db here
# `descent` commands read this URL too (unless given --db or DESCENT_DB_URL).
# In the formgrader, the committed release/ assignments reach the gradebook on
# its first start (nothing happens in nbgrader's own commands or in grading).
from course.instructor.grading.publish.gradebook_sync import sync_for_formgrader  # noqa: E402

sync_for_formgrader(ROOT, c.CourseDirectory.db_url)

# `nbgrader release_feedback` (and the formgrader's release) passes over, with an error, a feedback
# folder without the secret nbgrader names the page by, instead of stopping for the whole class.
c.ExchangeFactory.release_feedback = "course.instructor.grading.intake.exchange.SafeReleaseFeedback"

# A cell that runs past its time is interrupted (c.ResilientExecute.timeout, 60 s by default, or
# $DESCENT_CELL_TIMEOUT); a student's cell that loops forever loses that cell's marks only.
c.Execute.interrupt_on_timeout = True

# --- Running student code: the sandbox and its limits ---
# Each grading kernel runs under bubblewrap (read-only system, private /tmp, no network, the
# course root hidden, writes only to its own scratch folder), resource-limited. Each limit is a
# trait, with its help and default: a kernel's in SandboxedKernelManager (grading/run/sandbox.py), a
# notebook's in ResilientExecute (grading/run/execute.py), a submission's in Submissions
# (grading/core/config.py); change one here, e.g.
#     c.SandboxedKernelManager.memory_mb = 4096      # a kernel's address space, MiB
#     c.ResilientExecute.notebook_seconds = 900      # a notebook's budget, replays included
#     c.Submissions.max_notebook_mb = 50             # larger notebooks are refused unread
# DESCENT_SANDBOX: "auto" (default: sandboxed where bubblewrap works, else graded unsandboxed
# with a loud warning), "bwrap" (refuse to grade without it) or "off". See README, "Security".
c.Execute.kernel_manager_class = "course.instructor.grading.run.sandbox.SandboxedKernelManager"
# Every grading path (plain `nbgrader autograde`, the formgrader, `descent grade`, which wraps
# the gradebook steps of this same list in locks) runs these steps. ResilientExecute runs the
# ordinary cells in the sandboxed kernel and each test cell's hidden tests in the grader,
# asking the kernel only for the student's answers (README, "How grading decides").
c.Autograde.autograde_preprocessors = [
    "course.instructor.grading.run.execute.ResilientExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "course.instructor.grading.stage.metadata_check.CheckCellMetadata",  # nbgrader's check, schema compiled once
]
# A deleted or renamed test cell is put back from the gradebook (and graded).
c.OverwriteCells.add_missing_cells = True
# Lines kept per cell in the graded notebook.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40
# The hidden tests' inputs are drawn from a fresh seed for every notebook graded; set a seed
# only to reproduce one grading exactly:  c.ResilientExecute.seed = 20261127

# --- Feedback on submit (`descent serve`; README, "Instant feedback") ---
# Off unless assignments are named. Each submission is graded as `descent grade` grades it.
#     c.InstantFeedback.assignments = ["01_loss_functions"]  # graded on submit
#     c.InstantFeedback.show_score = False    # feedback names the mistakes, without the score
#     c.InstantFeedback.max_per_hour = 3      # per student and assignment; later ones wait, never dropped
#     c.InstantFeedback.counts = "best"       # which graded submission instant.csv counts ("last" by default)
#     c.InstantFeedback.workers = 2           # warm grading workers

# What a student sees in place of a removed solution.
c.ClearSolutions.code_stub = {
    "python": (
        "# YOUR CODE HERE: replace the next line (see the exercise text above), then run the check cell below.\n"
        'raise NotImplementedError("Replace this line with your code (see the exercise text above), '
        'then run the check cell below.")'
    )
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Hidden tests are stripped from the release and run at autograde.
c.ClearHiddenTests.enabled = True
c.ClearOutput.enabled = True
# Feedback shows which hidden test failed and its message, never the hidden test's code,
# and nothing a student wrote runs in the browser that opens it.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "course.instructor.grading.feedback.feedback.HideHiddenTests",
    "course.instructor.grading.feedback.feedback.SafeFeedback",
]
c.HTMLExporter.sanitize_html = True
# The page says its language, for screen readers. Scoped to feedback: the formgrader's own pages
# use HTMLExporter with templates of their own.
from course.instructor.grading.feedback.feedback import TEMPLATE, template_paths  # noqa: E402

c.GenerateFeedback.HTMLExporter.template_file = TEMPLATE
c.GenerateFeedback.HTMLExporter.extra_template_paths = template_paths()
