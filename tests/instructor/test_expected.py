"""The visible checks' recorded outputs: written at release from the probes, current, and holding no value answer."""
import json
import re
import shutil
from pathlib import Path

from course.checks import recorded
from course.instructor.grading.core.coursedir import CourseRoot
from course.instructor.grading.judge import expected
from course.instructor.grading.publish.release import record_check_outputs


def test_the_committed_records_are_current():
    """Do the files in course/checks/expected/ hold what the probes give on the checks' fixed inputs today?"""
    assert expected.stale() == [], "run `descent release` and commit course/checks/expected/"


def test_a_changed_number_makes_a_record_stale(tmp_path):
    """Would the currency test notice a record that no longer matches the model solution?"""
    shutil.copytree(expected.FOLDER, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "stochastic.json"
    record = json.loads(path.read_text())
    record["sgd_epoch"]["right"][0] += 1e-3
    path.write_text(json.dumps(record))
    assert expected.stale(tmp_path) == ["stochastic"]


def test_release_records_into_the_course_package(tmp_path):
    """Does the release step write every topic's file into <root>/course/checks/expected, and say so?"""
    (tmp_path / "source").mkdir()
    (tmp_path / "course" / "checks").mkdir(parents=True)
    root = CourseRoot(tmp_path)
    message = record_check_outputs(root)
    written = sorted(p.stem for p in (tmp_path / "course" / "checks" / "expected").glob("*.json"))
    assert written == sorted(expected.topics()) and "changed" in message
    assert "unchanged" in record_check_outputs(root)


def test_a_value_answer_is_recorded_only_as_digests():
    """Does the record of quiet_batch_size hold digests, so that reading the file gives no batch size?"""
    record = recorded.outputs("stochastic")["quiet_batch_size"]
    keys = record["right"] + [k for keys in record["wrong"].values() for k in keys]
    assert len(record["right"]) == 1 and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)


def test_the_records_are_package_data():
    """Are the records inside the package's folder, where an installed course finds them?"""
    folder = Path(recorded.__file__).parent / "expected"
    assert folder == expected.FOLDER and sorted(p.stem for p in folder.glob("*.json")) == sorted(expected.topics())
