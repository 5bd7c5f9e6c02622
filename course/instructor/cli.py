"""The instructor's command line: ``descent`` (or ``python -m course``).

    descent release [ASSIGNMENT ...]     generate release/ from source/ and report what changed
    descent demo [--keep DIR]            release, submit sample students, autograde, feedback, scores
    descent autograde ASSIGNMENT [--student ID]
    descent scores ASSIGNMENT            the score table from the gradebook
    descent grade ASSIGNMENT --submissions PATH | --exchange [--lms NAME | --pattern REGEX] [--workers N] [--db URL]
    descent report ASSIGNMENT            per exercise: mean score, losses, the mistakes ranked (+ HTML, CSV)
    descent report --student ID          one student's mistakes across assignments
    descent roster import FILE [--lms NAME] [--hub [--state DIR]]   the class list (our CSV or the LMS's own
                                         export); fills the gradebook's names; --hub: the students' hub accounts
    descent export ASSIGNMENT --format canvas|moodle|csv [--out FILE]   grades for an LMS's grade import
    descent site [--out DIR] [ASSIGNMENT ...]   the course as a static HTML site (default: site/)
    descent hub --state DIR --bundle DIR --users FILE [--grader NAME ...] [--port N]   the class on JupyterHub (as root)
    descent bundle --out DIR [ASSIGNMENT ...]   what a class is given: the student wheel, release notebooks, STUDENT.md
    descent serve [--exchange DIR] | --status   feedback on submit: grade each new submission in the exchange
    descent serve --recount A [--counts best]   which kept submission counts, put in the gradebook again

Every command works on the course root: ``--root PATH``, or the nearest folder at or
above the working folder that holds ``nbgrader_config.py`` and ``source/``. The gradebook
is ``--db URL``, else ``$DESCENT_DB_URL``, else ``c.CourseDirectory.db_url`` from
``nbgrader_config.py`` (see :mod:`course.instructor.grading.core.config`).

This module imports only the standard library and the course context: each command imports its
own modules when it runs (nbgrader, SQLAlchemy and Matplotlib take seconds, and light ones add up:
``tests/benchmarks/bench_cli_help.py``), so ``--help`` stays fast; each such import says what it loads.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .grading.core.coursedir import CourseError, CourseRoot, default_root


def _root(args, write_for_group: bool = True) -> CourseRoot:
    """The course at ``--root`` (else found from the working folder), on the gradebook ``--db`` names.

    In a root several graders share, this run then writes for their group (``write_for_group``).
    """
    from .grading.core.group_share import adopt_group_umask

    given = getattr(args, "db", None)
    root = CourseRoot.at(args.root, given) if args.root else CourseRoot.find(gradebook=given)
    if write_for_group:
        adopt_group_umask(root.path)
    return root


def cmd_release(args) -> int:
    from .grading.publish.release import record_check_outputs, release, stale_releases  # lazy: loads nbgrader

    root = _root(args)
    for report in release(root, args.assignments or None):
        print(report.summary())
    print(record_check_outputs(root))
    for name in stale_releases(root):
        print(f"{name}: in release/ but not in source/ (remove release/{name} if it is retired)")
    return 0


def cmd_demo(args) -> int:
    from .grading.demo import run_demo  # lazy: loads nbgrader

    root = CourseRoot.at(args.root) if args.root else _demo_root()
    run_demo(root, Path(args.keep) if args.keep else None, args.assignment or None)
    return 0


def _demo_root() -> CourseRoot:
    try:
        return CourseRoot.find()
    except CourseError:
        return default_root()


def _print_scores(root: CourseRoot, args, table) -> int:
    from .grading.record.scores import read_scores  # lazy: loads nbgrader

    root.check_assignment(args.assignment)
    rows = read_scores(root, args.assignment)
    if not rows:
        print(f"no graded submissions of {args.assignment} in the gradebook yet")
        return 0
    print(table(rows))
    return 0


def cmd_autograde(args) -> int:
    from .grading.core import nbgrader_run  # lazy: --help loads no command's modules
    from .grading.record.table import score_table  # lazy: loads nbgrader

    root = _root(args)
    root.check_assignment(args.assignment)
    if args.student:
        root.check_student(args.student)
    nbgrader_run.autograde(root, args.assignment, args.student)
    return _print_scores(root, args, lambda rows: score_table(args.assignment, rows))


def cmd_scores(args) -> int:
    from .grading.record.table import score_table  # lazy: loads nbgrader

    return _print_scores(_root(args), args, lambda rows: score_table(args.assignment, rows))


def cmd_report(args) -> int:
    from .grading.batch import grade_cell_order  # lazy: loads nbgrader
    from .grading.record.gradebook_record import record_dir  # lazy: loads SQLAlchemy
    from .grading.record.report import (  # lazy: loads nbgrader, Matplotlib
        class_mistakes,
        count_mistakes,
        mistake_table,
        struggle_table,
        student_mistakes,
        student_table,
        write_mistakes_csv,
        write_mistakes_html,
    )
    from .grading.record.scores import read_scores  # lazy: loads nbgrader

    root = _root(args)
    if args.student:
        root.check_student(args.student)
        print(student_table(args.student, student_mistakes(root, args.student)))
        return 0
    if not args.assignment:
        raise CourseError("name an ASSIGNMENT, or a student with --student ID")
    root.check_assignment(args.assignment)
    rows = read_scores(root, args.assignment)
    if not rows:
        print(f"no graded submissions of {args.assignment} in the gradebook yet")
        return 0
    order = grade_cell_order(root, args.assignment)
    print(struggle_table(args.assignment, rows, order))
    n_students = len({r.student for r in rows})
    counts = count_mistakes(class_mistakes(root, args.assignment, rows), n_students, order)
    print()
    print(mistake_table(args.assignment, counts, n_students))
    out = record_dir(root.grades(args.assignment), root.db_url)
    csv_path = write_mistakes_csv(out / "mistakes.csv", counts)
    html_path = write_mistakes_html(out / "mistakes.html", args.assignment, counts, n_students)
    print(f"wrote {html_path} and {csv_path}")
    return 0


def cmd_grade(args) -> int:
    from .grading.batch import grade_class  # lazy: loads nbgrader

    root = _root(args)
    if args.exchange:
        from .grading.intake.exchange import collect  # lazy: loads nbgrader

        root.check_assignment(args.assignment)
        print(f"collecting {args.assignment} from nbgrader's exchange", flush=True)
        collect(root, args.assignment)
    result = grade_class(root, args.assignment, args.submissions, workers=args.workers,
                         scheduler=args.scheduler, feedback=not args.no_feedback,
                         lms=args.lms, pattern=args.pattern)
    failed = [r for r in result.results if r.status != "graded"]
    for r in sorted(failed, key=lambda r: r.student):
        print(f"  {r.student}: {r.status}: {r.message.splitlines()[0] if r.message else ''}")
    flagged = [r for r in result.results if r.flags]
    if flagged:
        print(f"{len(flagged)} submission(s) flagged for review (see the flags column of {result.csv_path}):")
        for r in sorted(flagged, key=lambda r: r.student):
            print(f"  {r.student}: {r.flags[0]}" + (f" (+{len(r.flags) - 1} more)" if len(r.flags) > 1 else ""))
    status = 0
    if result.failed_now:
        print(f"{len(result.failed_now)} submission(s) failed to grade in this run: {', '.join(result.failed_now)}")
        status = 1
    if args.verify:
        from .grading.record.verify import verify_gradebook  # lazy: loads nbgrader

        problems = verify_gradebook(root, args.assignment, result.results)
        print("gradebook verified: consistent" if not problems else "gradebook problems:\n  " + "\n  ".join(problems))
        status = status or (1 if problems else 0)
    return status


def cmd_roster_import(args) -> int:
    from .grading.intake.lms_roster import read_lms_export  # lazy: --help loads no command's modules
    from .grading.intake.roster import save_roster  # lazy: --help loads no command's modules
    from .hub.users import foreign_owner  # lazy: --help loads no command's modules

    if args.state and not args.hub:
        raise CourseError("--state names the hub whose users.txt --hub fills: add --hub")
    root = _root(args)
    read = read_lms_export(Path(args.file), args.lms)
    names = [s.student_id for s in read.roster.students]
    if args.hub:  # refuse (not root, a name taken by another account) before anything is written
        from .hub.launch import HubSettings  # lazy: importlib.metadata, ~60 ms

        # lazy: --help loads no command's modules
        from .hub.users import add_hub_users, check_can_create, plan_accounts, students_group

        group = students_group(HubSettings.course)
        check_can_create(plan_accounts(names, group))
    owner = foreign_owner(root.path)
    if owner:  # root writes nothing into another account's course root (its links would be followed as root)
        print(f"roster: read ({read.summary()}), not saved: the course root belongs to {owner}; run "
              f"`descent roster import {args.file}` as {owner} to save it and fill the gradebook")
    else:
        print(save_roster(root, read.roster, read.summary()))
    if not args.hub:
        return 0
    summary, ok = add_hub_users(names, Path(args.state) if args.state else None, group)
    print(summary)
    return 0 if ok else 1


def cmd_export(args) -> int:
    from .grading.record.lms_export import export_grades  # lazy: loads nbgrader

    root = _root(args)
    root.check_assignment(args.assignment)
    report = export_grades(root, args.assignment, args.format,
                           Path(args.out) if args.out else None, column=args.column)
    print(report)
    return 0


def cmd_site(args) -> int:
    from .site import cli as site_cli  # lazy: loads nbgrader and nbconvert

    return site_cli(_root(args), args.out, args.assignments or None)


def cmd_hub(args) -> int:
    from .hub.graders import split_graders  # lazy: --help loads no command's modules
    from .hub.launch import HubSettings, run_hub  # lazy: importlib.metadata, ~60 ms
    from .hub.users import hub_students  # lazy: --help loads no command's modules

    graders = split_graders(args.grader, "grader-descent")
    users = hub_students(Path(args.state), Path(args.users) if args.users else None, graders)
    run_hub(HubSettings(root=_root(args, write_for_group=False), state=Path(args.state), bundle=Path(args.bundle),
                        users=users, graders=tuple(graders), ip=args.ip, port=args.port,
                        instant_feedback=args.instant_feedback))
    return 0  # not reached: run_hub becomes JupyterHub


def cmd_bundle(args) -> int:
    from .bundle import build_bundle  # lazy: tomllib and the leak scan, ~0.1 s

    root = _root(args)
    for name in args.assignments:
        root.check_assignment(name)
    print(build_bundle(root, Path(args.out), args.assignments or None).summary())
    return 0


def cmd_serve(args) -> int:
    from .serve.command import recount, serve, status  # lazy: loads nbgrader, Matplotlib

    root = _root(args)
    if args.status:
        print(status(root))
    elif args.recount:
        print(recount(root, args.recount, args.counts))
    else:
        serve(root, exchange=args.exchange, stop_after=args.stop_after)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="descent", description="Instructor tools for the Descent course.")
    parser.add_argument("--root", help="course root (default: found from the working folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", help="gradebook URL (default: $DESCENT_DB_URL, else c.CourseDirectory.db_url "
                                 "from nbgrader_config.py, as nbgrader reads it)")

    p = sub.add_parser("release", parents=[db], help="generate release/ from source/ with nbgrader")
    p.add_argument("assignments", nargs="*", help="assignments to release (default: all)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("demo", help="grade sample students end to end in a scratch copy")
    p.add_argument("--keep", metavar="DIR", help="build the scratch course in DIR and keep it")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("autograde", parents=[db], help="autograde submitted/ with nbgrader and print scores")
    p.add_argument("assignment")
    p.add_argument("--student", help="only this student")
    p.set_defaults(func=cmd_autograde)

    p = sub.add_parser("grade", parents=[db],
                       help="import, autograde in parallel, feedback, grades.csv and a histogram")
    p.add_argument("assignment")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--submissions", help="folder of student folders, or an LMS download (zip or unzipped); "
                                              "default: submitted/")
    source.add_argument("--exchange", action="store_true",
                        help="first collect the latest submissions from nbgrader's exchange (a course hub)")
    lms = p.add_mutually_exclusive_group()
    lms.add_argument("--lms", choices=["auto", "descent", "canvas", "moodle", "blackboard", "brightspace"],
                     help="the download's naming (default: auto, the one preset every file matches)")
    lms.add_argument("--pattern", metavar="REGEX",
                     help="file names of another LMS: a regex over each file's path in the download with named "
                          "groups student_id and file_id, optionally timestamp and late (as nbgrader zip_collect)")
    p.add_argument("--workers", type=int, help="parallel grading processes (default: number of cores)")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://127.0.0.1:8786")
    p.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    p.add_argument("--verify", action="store_true", help="check the gradebook's integrity afterwards")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("report", parents=[db], help="where the class struggles: per-exercise means, losses and "
                                                    "the mistakes ranked, with an HTML page and a CSV")
    p.add_argument("assignment", nargs="?")
    p.add_argument("--student", help="list this student's mistakes across every assignment instead")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("roster", help="the class list: student ids, names, emails and LMS ids")
    roster = p.add_subparsers(dest="roster_command", required=True)
    r = roster.add_parser("import", parents=[db],
                          help="read the class list (our CSV, or the LMS's export as downloaded) into roster.csv "
                               "and fill the gradebook's student names")
    r.add_argument("file", help="a CSV with a student_id column (and first_name, last_name, email, lms_id), or a "
                                "Canvas gradebook export, Moodle grading worksheet or participants list, Blackboard "
                                "Grade Center download or Brightspace grades export")
    r.add_argument("--lms", default="auto",
                   choices=["auto", "descent", "canvas", "moodle", "blackboard", "brightspace"],
                   help="who wrote the file (default: auto, from its header)")
    r.add_argument("--hub", action="store_true",
                   help="as root: create each student's system account (their login name, home 0700) for the hub")
    r.add_argument("--state", metavar="DIR", help="with --hub: the hub's state folder, whose users.txt gets the names")
    r.set_defaults(func=cmd_roster_import)

    p = sub.add_parser("export", parents=[db], help="grades of an assignment as a file an LMS imports")
    p.add_argument("assignment")
    p.add_argument("--format", required=True, choices=["canvas", "moodle", "csv"],
                   help="canvas: gradebook CSV; moodle: grading worksheet; csv: plain table")
    p.add_argument("--out", metavar="FILE", help="where to write (default: grades/ASSIGNMENT/FORMAT.csv)")
    p.add_argument("--column", help="canvas: the assignment's column header as Canvas exports it, "
                                    "e.g. 'Loss functions (123456)' (default: the assignment name)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("site", help="run every lesson and publish it as static HTML, solutions removed")
    p.add_argument("assignments", nargs="*", help="lessons to include (default: all)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: site/ in the course root)")
    p.set_defaults(func=cmd_site)

    p = sub.add_parser("hub", help="run the class on JupyterHub: one server per student from the student wheel, "
                                   "nbgrader's exchange, the formgrader as the grader's service (run as root)")
    p.add_argument("--state", metavar="DIR", required=True,
                   help="the hub's state folder (its database and secrets, the exchange, the student environment)")
    p.add_argument("--bundle", metavar="PATH", required=True, help="a `descent bundle` folder, or its wheel")
    p.add_argument("--users", metavar="FILE",
                   help="students allowed to log in, one system user name a line "
                        "(default: STATE/users.txt, as `descent roster import --hub` keeps it)")
    p.add_argument("--grader", action="append", metavar="NAME",
                   help="a grader's system user (default: grader-descent); repeat it, or give NAME,NAME, for "
                        "several graders sharing the course (group descent-graders, a PostgreSQL gradebook); "
                        "the first owns the course root and runs the formgrader")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8000,
                   help="the hub's port; the next three serve the hub's API, the proxy's API and the formgrader")
    p.add_argument("--instant-feedback", action="store_true",
                   help="also run `descent serve` as the grader (feedback on submit, policy: c.InstantFeedback)")
    p.set_defaults(func=cmd_hub)

    p = sub.add_parser("bundle", help="what a class is given: one wheel of the lessons' wing (no instructor's "
                                      "code), the release notebooks, the student's JupyterLab config, STUDENT.md")
    p.add_argument("assignments", nargs="*", help="assignments to include (default: every released one)")
    p.add_argument("--out", metavar="DIR", required=True, help="a new or empty folder to write the bundle into")
    p.set_defaults(func=cmd_bundle)

    p = sub.add_parser("serve", parents=[db], help="feedback on submit: grade each new submission in nbgrader's "
                                                   "exchange and release its feedback (policy: c.InstantFeedback)")
    p.add_argument("--status", action="store_true", help="print the queue, latencies and failures, then exit")
    p.add_argument("--recount", metavar="ASSIGNMENT",
                   help="put each student's submission that counts in the gradebook again (after changing "
                        "c.InstantFeedback.counts), then exit")
    p.add_argument("--counts", choices=["last", "best"],
                   help="with --recount: which submission counts (default: c.InstantFeedback.counts)")
    p.add_argument("--exchange", metavar="DIR",
                   help="the exchange root (default: c.Exchange.root, as nbgrader reads it)")
    p.add_argument("--stop-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("scores", parents=[db], help="print the score table of an assignment")
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
