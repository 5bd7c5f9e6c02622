"""``descent serve``: run the service, or print its status, for the course at a root."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from ..grading.core.coursedir import CourseError, CourseRoot
from ..grading.core.runlock import grading_lock
from . import history
from .journal import Journal
from .policy import counted, load_policy
from .service import Service, serve_dir, write_instant_csv
from .status import report

#: nbgrader's own default exchange root (``c.Exchange.root``).
NBGRADER_EXCHANGE = "/srv/nbgrader/exchange"


def exchange_course(root: CourseRoot, exchange: "str | None" = None) -> Path:
    """``<Exchange.root>/<course id>``, from ``exchange`` or the configuration nbgrader reads."""
    cfg = root.config
    course = cfg.get("CourseDirectory", {}).get("course_id") or ""
    if not course:
        raise CourseError("no course id: set c.CourseDirectory.course_id in nbgrader_config.py")
    return Path(exchange or cfg.get("Exchange", {}).get("root") or NBGRADER_EXCHANGE) / course


def _log_to(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    form = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    handlers = [logging.StreamHandler(sys.stderr), logging.FileHandler(path)]
    logger = logging.getLogger("descent.serve")
    logger.handlers = handlers
    for handler in handlers:
        handler.setFormatter(form)
    logger.setLevel(logging.INFO)


def status(root: CourseRoot) -> str:
    """The status report of the course's service, from its journal."""
    return report(Journal(serve_dir(root) / "queue.jsonl").state())


def recount(root: CourseRoot, assignment: str, counts: "str | None" = None, say=print) -> str:
    """Put each student's submission that counts (``counts``, else the policy's) in the gradebook again,
    from the kept submissions of ``assignment``; the summary. Waits while the service or ``descent grade``
    works on the assignment (their lock)."""

    root.check_assignment(assignment)
    root = root.with_gradebook(root.db_url)
    counts = counts or load_policy(root).counts
    changed = 0
    with grading_lock(root.grades(assignment) / ".grade.lock", f"descent serve --recount {assignment}", say):
        students = history.students(root, assignment)
        for student in students:
            chosen = counted(history.records(root, assignment, student), counts)
            if chosen is not None:
                changed += history.holds(root, assignment, student) != chosen["timestamp"]
                history.hand_over(root, assignment, student, chosen)
        path = write_instant_csv(root, assignment, counts)
    return (f"{assignment}: the {counts} submission of {len(students)} student(s) in the gradebook, "
            f"{changed} changed; see {path}")


def serve(root: CourseRoot, *, exchange: "str | None" = None, stop_after: "float | None" = None) -> None:
    """Run the service until killed (or for ``stop_after`` seconds), grading into ``root``'s gradebook."""
    policy = load_policy(root)
    for name in policy.assignments:
        root.check_assignment(name)
    _log_to(serve_dir(root) / "serve.log")
    try:
        Service(root, exchange_course(root, exchange), policy).run(stop_after)
    except KeyboardInterrupt:  # SIGINT, as JupyterHub stops a service; SIGTERM and kill -9 end it at once,
        # which the journal is made for (a grading cut short is graded again at the next start)
        logging.getLogger("descent.serve").info("stopped (SIGINT)")
