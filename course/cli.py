"""The instructor's command line: ``descent`` (or ``python -m course``).

    descent release [ASSIGNMENT ...]     generate release/ from source/ and report what changed
    descent demo [--keep DIR]            release, submit sample students, autograde, feedback, scores
    descent autograde ASSIGNMENT [--student ID]
    descent scores ASSIGNMENT            the score table from the gradebook
    descent grade ASSIGNMENT --submissions PATH [--workers N] [--db URL] [--scheduler tcp://H:P]
    descent report ASSIGNMENT            per exercise: mean score, share of students who lost marks
    descent site [--out DIR] [ASSIGNMENT ...]   the course as a static HTML site (default: site/)

Every command works on the course root: ``--root PATH``, or the nearest folder at or
above the working folder that holds ``nbgrader_config.py`` and ``source/``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .grading import nbgrader_run
from .grading.coursedir import CourseError, CourseRoot, default_root
from .grading.batch import grade_cell_order, grade_class
from .grading.demo import run_demo
from .grading.report import struggle_table
from .grading.verify import verify_gradebook
from .grading.release import release, stale_releases
from .grading.scores import read_scores
from .grading.table import score_table


def _root(args) -> CourseRoot:
    return CourseRoot.at(args.root) if args.root else CourseRoot.find()


def _db_url(root: CourseRoot) -> str:
    import os

    return os.environ.get("DESCENT_DB_URL", root.gradebook_url)


def cmd_release(args) -> int:
    root = _root(args)
    for report in release(root, args.assignments or None):
        print(report.summary())
    for name in stale_releases(root):
        print(f"{name}: in release/ but not in source/ (remove release/{name} if it is retired)")
    return 0


def cmd_demo(args) -> int:
    root = CourseRoot.at(args.root) if args.root else _demo_root()
    run_demo(root, Path(args.keep) if args.keep else None, args.assignment or None)
    return 0


def _demo_root() -> CourseRoot:
    try:
        return CourseRoot.find()
    except CourseError:
        return default_root()


def cmd_autograde(args) -> int:
    root = _root(args)
    root.check_assignment(args.assignment)
    if args.student:
        root.check_student(args.student)
    nbgrader_run.autograde(root, args.assignment, args.student)
    print(score_table(args.assignment, read_scores(_db_url(root), args.assignment)))
    return 0


def cmd_scores(args) -> int:
    root = _root(args)
    root.check_assignment(args.assignment)
    rows = read_scores(_db_url(root), args.assignment)
    if not rows:
        print(f"no graded submissions of {args.assignment} in the gradebook yet")
        return 0
    print(score_table(args.assignment, rows))
    return 0


def cmd_grade(args) -> int:
    root = _root(args)
    result = grade_class(root, args.assignment, args.submissions, workers=args.workers,
                         db_url=args.db, scheduler=args.scheduler, feedback=not args.no_feedback)
    failed = [r for r in result.results if r.status != "graded"]
    for r in sorted(failed, key=lambda r: r.student):
        print(f"  {r.student}: {r.status}: {r.message.splitlines()[0] if r.message else ''}")
    flagged = [r for r in result.results if r.flags]
    if flagged:
        print(f"{len(flagged)} submission(s) flagged for review (see the flags column of {result.csv_path}):")
        for r in sorted(flagged, key=lambda r: r.student):
            print(f"  {r.student}: {r.flags[0]}" + (f" (+{len(r.flags) - 1} more)" if len(r.flags) > 1 else ""))
    if args.verify:
        problems = verify_gradebook(args.db or _db_url(root), args.assignment, result.results)
        print("gradebook verified: consistent" if not problems else "gradebook problems:\n  " + "\n  ".join(problems))
        return 1 if problems else 0
    return 0


def cmd_report(args) -> int:
    root = _root(args)
    root.check_assignment(args.assignment)
    rows = read_scores(args.db or _db_url(root), args.assignment)
    if not rows:
        print(f"no graded submissions of {args.assignment} in the gradebook yet")
        return 0
    print(struggle_table(args.assignment, rows, grade_cell_order(root, args.assignment)))
    return 0


def cmd_site(args) -> int:
    from .site import cli as site_cli  # imports nbconvert: only when asked

    return site_cli(_root(args), args.out, args.assignments or None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="descent", description="Instructor tools for the Descent course.")
    parser.add_argument("--root", help="course root (default: found from the working folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="generate release/ from source/ with nbgrader")
    p.add_argument("assignments", nargs="*", help="assignments to release (default: all)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("demo", help="grade sample students end to end in a scratch copy")
    p.add_argument("--keep", metavar="DIR", help="build the scratch course in DIR and keep it")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("autograde", help="autograde submitted/ with nbgrader and print scores")
    p.add_argument("assignment")
    p.add_argument("--student", help="only this student")
    p.set_defaults(func=cmd_autograde)

    p = sub.add_parser("grade", help="import, autograde in parallel, feedback, grades.csv and a histogram")
    p.add_argument("assignment")
    p.add_argument("--submissions", help="folder of student folders, or an LMS zip (default: submitted/)")
    p.add_argument("--workers", type=int, help="parallel grading processes (default: number of cores)")
    p.add_argument("--db", help="gradebook URL (default: $DESCENT_DB_URL or the course's SQLite file)")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://127.0.0.1:8786")
    p.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    p.add_argument("--verify", action="store_true", help="check the gradebook's integrity afterwards")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("report", help="where the class struggles: per-exercise means and losses")
    p.add_argument("assignment")
    p.add_argument("--db", help="gradebook URL")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("site", help="run every lesson and publish it as static HTML, solutions removed")
    p.add_argument("assignments", nargs="*", help="lessons to include (default: all)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: site/ in the course root)")
    p.set_defaults(func=cmd_site)

    p = sub.add_parser("scores", help="print the score table of an assignment")
    p.add_argument("assignment")
    p.set_defaults(func=cmd_scores)
    return parser


def main(argv: "list[str] | None" = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as err:
        print(f"descent: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
