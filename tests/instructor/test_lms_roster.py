"""Rosters straight from the LMS: each export as downloaded (byte-order marks, UTF-16, quoting,
the rows that are not students) becomes the same class, and each download's file names find
the students through the roster it gave."""
from __future__ import annotations

import codecs
import csv
from pathlib import Path

import grading_harness as harness
import pytest

from course.instructor.grading import CourseError, CourseRoot
from course.instructor.grading.intake import lms_presets as presets
from course.instructor.grading.intake.lms_roster import detect, import_roster, login_name, read_lms_export, read_table
from course.instructor.grading.intake.roster import ROSTER_FILE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lms_rosters"
NAMES = {("Jane", "Doe"), ("José", "Núñez Peña"), ("Jin", "Lee"), ("Marie", "van der Berg")}

#: export, LMS, the logins it gives, a file of that LMS's download and whose it is
EXPORTS = {
    "canvas_gradebook.csv": ("canvas", {"jdoe", "jnunez", "jlee", "marie.vdb"},
                             "doejane_48213_7712345_loss_functions.ipynb", "jdoe"),
    "moodle_grading_worksheet.csv": ("moodle", {"jane.doe", "jose.nunez", "jin.lee", "marie.vdb"},
                                     "Jin Lee_311203_assignsubmission_file_/loss_functions.ipynb", "jin.lee"),
    "moodle_participants.csv": ("moodle", {"jane.doe", "jose.nunez", "jin.lee", "marie.vdb"},
                                "José Núñez Peña_311202_assignsubmission_file_/loss_functions.ipynb", "jose.nunez"),
    "blackboard_gradecenter.xls": ("blackboard", {"jdoe", "jnunez", "jlee", "mvdb"},
                                   "Loss functions_mvdb_attempt_2026-03-02-15-12-40_loss_functions.ipynb", "mvdb"),
    "brightspace_grades.csv": ("brightspace", {"jdoe", "jnunez", "jlee", "mvdb"},
                               "157389-419507 - Marie van der Berg - Mar 2, 2026 312 PM - loss_functions.ipynb",
                               "mvdb"),
}


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_each_export_gives_the_class_as_downloaded(export):
    """Does each LMS's export, as downloaded, give the four students with their names, and nothing else?"""
    lms, logins, _, _ = EXPORTS[export]
    read = read_lms_export(FIXTURES / export)
    assert read.lms == lms
    assert {s.student_id for s in read.roster.students} == logins
    assert {(s.first_name, s.last_name) for s in read.roster.students} == NAMES


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_each_download_finds_its_students_through_the_roster_its_lms_exported(export):
    """Is the roster's lms_id (or name) what `descent grade --submissions` looks that LMS's file names up by?"""
    lms, _, filename, owner = EXPORTS[export]
    roster = read_lms_export(FIXTURES / export).roster
    found, why = presets.resolve(presets.PRESETS[lms], filename, ["loss_functions"], roster)
    assert why == "" and found.student == owner


def test_canvas_skips_points_possible_muted_and_the_test_student_and_keeps_ids():
    """Are Canvas's Points Possible and Muted rows and its Test Student skipped, and the user ID kept as lms_id?"""
    read = read_lms_export(FIXTURES / "canvas_gradebook.csv")
    assert len(read.skipped) == 3 and "Points Possible" in read.skipped[0] and "Student, Test" in read.skipped[2]
    by_id = read.roster.by_id()
    assert (by_id["jdoe"].lms_id, by_id["marie.vdb"].email) == ("48213", "Marie.vdB@uni.example")
    assert "Marie.vdB@uni.example -> marie.vdb" in read.summary()


def test_blackboard_is_utf16_tab_separated_and_brightspace_hashes_are_dropped():
    """Is Blackboard's UTF-16 .xls read by its byte-order mark and tabs, and Brightspace's '#' taken off ids?"""
    assert (FIXTURES / "blackboard_gradecenter.xls").read_bytes().startswith(codecs.BOM_UTF16_LE)
    header, _ = read_table(FIXTURES / "blackboard_gradecenter.xls")
    assert header[:6] == ["Last Name", "First Name", "Username", "Student ID", "Last Access", "Availability"]
    bright = read_lms_export(FIXTURES / "brightspace_grades.csv").roster.by_id()
    assert (bright["jdoe"].lms_id, bright["jdoe"].email) == ("20261001", "jane.doe@uni.example")
    assert read_lms_export(FIXTURES / "moodle_grading_worksheet.csv").roster.by_id()["jane.doe"].lms_id == "311201"


def test_semicolons_and_utf16_big_endian_are_read(tmp_path):
    """Is a participants list saved by a spreadsheet with semicolons, in UTF-16 big-endian, read alike?"""
    text = (FIXTURES / "moodle_participants.csv").read_text(encoding="utf-8-sig").replace(",", ";")
    path = tmp_path / "participants.csv"
    path.write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    students = read_lms_export(path).roster.students
    assert {(s.student_id, s.last_name) for s in students} >= {("jose.nunez", "Núñez Peña")} and len(students) == 4


def test_moodle_participants_have_no_lms_number():
    """Does the participants list leave lms_id empty (its ID number is not the number in download names)?"""
    assert {s.lms_id for s in read_lms_export(FIXTURES / "moodle_participants.csv").roster.students} == {""}


@pytest.mark.parametrize("raw, login", [
    ("jdoe", "jdoe"), ("Marie.vdB@uni.example", "marie.vdb"), ("José.Núñez", "jose.nunez"),
    ("20231234", "s20231234"), ("o'brien+cs101@x.org", "o-brien-cs101"), ("a__b", "a_b"),
    ("@uni.example", None), ("x" * 33, None)])
def test_login_names_are_valid_posix_names(raw, login):
    """Is every login name lowercase POSIX (a letter first, at most 32), or refused when none can be made?"""
    assert login_name(raw) == login


def _write(path: Path, text: str, bom: bytes = codecs.BOM_UTF8) -> Path:
    path.write_bytes(bom + text.encode())
    return path


def test_bad_rows_are_each_listed_and_nothing_is_imported(tmp_path):
    """Do a collision, a missing login and a broken Canvas id each get their line and reason, with nothing saved?"""
    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course").with_own_gradebook()
    bad = _write(tmp_path / "canvas.csv", "Student,ID,SIS User ID,SIS Login ID,Section\n"
                 "    Points Possible,,,,\n"
                 '"Doe, Jane",48213,,jdoe,S1\n'
                 '"Doe, John",48220,,JDoe,S1\n'
                 '"Nobody, Ann",48221,,,S1\n'
                 '"Typo, Tim",4822x,,ttypo,S1\n')
    with pytest.raises(CourseError) as err:
        import_roster(root, bad)
    message = str(err.value)
    assert "3 problem(s), nothing imported" in message
    assert "line 4: 'JDoe' gives the login name 'jdoe', as 'jdoe' on line 3 does" in message
    assert "line 5: 'Nobody, Ann' has no SIS Login ID or SIS User ID" in message
    assert "line 6: '4822x' is not a Canvas user ID" in message
    assert not (root.path / ROSTER_FILE).exists()


def test_an_unknown_file_and_a_wrong_lms_say_what_was_expected(tmp_path):
    """Does a file no LMS wrote name the headers expected, and --lms moodle on a Canvas export say what it is?"""
    odd = _write(tmp_path / "odd.csv", "Name,Mark\nJane,3\n")
    with pytest.raises(CourseError, match="not a roster this course reads .*Canvas gradebook export"):
        read_lms_export(odd)
    with pytest.raises(CourseError, match="is not a Moodle export \\(it looks like a Canvas gradebook export\\)"):
        read_lms_export(FIXTURES / "canvas_gradebook.csv", "moodle")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("student_id,first_name\njnunez,Jos\xe9\n".encode("latin-1"))
    with pytest.raises(CourseError, match="neither UTF-8 nor UTF-16"):
        read_lms_export(latin1)


def test_detect_tells_the_exports_apart():
    """Are the headers of the five files, and our own CSV, told apart?"""
    assert {name: detect(read_table(FIXTURES / name)[0]) for name in EXPORTS} == {
        name: lms for name, (lms, *_) in EXPORTS.items()}
    assert detect(["student_id", "email"]) == "descent"


def test_an_lms_export_is_saved_as_the_courses_roster_and_in_the_gradebook(tmp_path):
    """Does importing a Moodle worksheet write roster.csv in our columns and the names into the gradebook?"""
    from nbgrader.api import Gradebook

    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course").with_own_gradebook()
    summary = import_roster(root, FIXTURES / "moodle_grading_worksheet.csv")
    assert "4 students saved" in summary and "from a Moodle export" in summary
    with open(root.path / ROSTER_FILE, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0] == {"student_id": "jane.doe", "first_name": "Jane", "last_name": "Doe",
                       "email": "jane.doe@uni.example", "lms_id": "311201"}
    with Gradebook(root.db_url) as gb:
        student = gb.find_student("jose.nunez")
        assert (student.first_name, student.last_name, student.lms_user_id) == ("José", "Núñez Peña", "311202")

