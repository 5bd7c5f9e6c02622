"""nbgrader configuration for the Descent course.

The course root is the folder holding this file. The gradebook is SQLite by
default; set ``DESCENT_DB_URL`` (any SQLAlchemy URL, e.g.
``postgresql://user@localhost/descent``), or write the URL below, to use another
database: nbgrader, the formgrader and every ``descent`` command read it here.
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
# `descent` commands read this URL too (unless given --db or DESCENT_DB_URL).
# In the formgrader, the committed release/ assignments reach the gradebook on
# its first start (nothing happens in nbgrader's own commands or in grading).
from course.instructor.grading.gradebook_sync import sync_for_formgrader  # noqa: E402

sync_for_formgrader(ROOT, c.CourseDirectory.db_url)

# Seconds one cell may run before the grader interrupts it; a student's
# cell that loops forever loses that cell's marks, not the whole notebook.
c.Execute.timeout = int(os.environ.get("DESCENT_CELL_TIMEOUT", "60"))
c.Execute.interrupt_on_timeout = True

# --- Running student code: the sandbox and its resource limits, all in one place ---
# Each grading kernel runs under bubblewrap (read-only system, private /tmp, no
# network, the course root hidden, writes only to its own autograded folder) with
# the rlimits below. DESCENT_SANDBOX: "auto" (default: sandboxed where bubblewrap
# works, else graded unsandboxed with a loud warning), "bwrap" (refuse to grade
# without it) or "off". A limit of 0 means no limit. See README, "Security".
c.Execute.kernel_manager_class = "course.instructor.grading.sandbox.SandboxedKernelManager"
# Every grading path (plain `nbgrader autograde`, the formgrader, `descent grade`, which wraps
# the gradebook steps of this same list in locks) runs these steps. ResilientExecute runs the
# ordinary cells in the sandboxed kernel and each test cell's hidden tests in the grader,
# asking the kernel only for the student's answers (README, "How grading decides").
c.Autograde.autograde_preprocessors = [
    "course.instructor.grading.execute.ResilientExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A deleted or renamed test cell is put back from the gradebook (and graded).
c.OverwriteCells.add_missing_cells = True
c.SandboxedKernelManager.sandbox = os.environ.get("DESCENT_SANDBOX", "auto")
c.SandboxedKernelManager.memory_mb = 2048      # address space of the kernel (numpy + matplotlib need ~1 GB)
c.SandboxedKernelManager.cpu_seconds = 120     # CPU time per kernel; a cell's wall time is Execute.timeout
c.SandboxedKernelManager.max_processes = 64    # processes and threads in one kernel's sandbox
c.SandboxedKernelManager.file_size_mb = 64     # largest file the kernel may write
c.SandboxedKernelManager.tmp_mb = 256          # its private /tmp
c.SandboxedKernelManager.core = 0              # no core dumps
# Output kept per cell while grading (text, then everything), lines kept in the graded notebook.
c.ResilientExecute.max_output_chars = 20_000
c.ResilientExecute.max_output_bytes = 2 * 2**20
c.ResilientExecute.max_message_mb = 64         # a larger message from a kernel is refused
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40
# Time: each notebook's total budget (replays after crashes included) and kernel restarts.
c.ResilientExecute.notebook_seconds = int(os.environ.get("DESCENT_NOTEBOOK_SECONDS", "600"))
c.ResilientExecute.max_restarts = 8
# The hidden tests' inputs are drawn from a fresh seed for every notebook graded; set a
# seed (any non-zero integer) only to reproduce one grading exactly.
c.ResilientExecute.seed = 0
# Submissions: larger notebooks are refused before they are parsed (`descent grade`), and a
# grading worker's own address space is capped.
c.Submissions.max_notebook_mb = 20
c.Submissions.worker_memory_mb = 6144

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
    "course.instructor.grading.feedback.HideHiddenTests",
    "course.instructor.grading.feedback.SafeFeedback",
]
c.HTMLExporter.sanitize_html = True
