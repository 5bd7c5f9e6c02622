"""Zero to JupyterHub on paper: the Helm values file against the chart's schema, the students'
image holding only the student wheel, nbgrader's ngshare exchange, and the memory per student
that the README states."""
from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
Z2JH = REPO / "hub" / "z2jh"
SCHEMA = json.loads((REPO / "tests" / "fixtures" / "z2jh" / "values.schema.subset.json").read_text())


def _values() -> dict:
    return yaml.safe_load((Z2JH / "values.yaml").read_text())


def _mib(text: str) -> float:
    """A Kubernetes/JupyterHub byte size ('384M', '1G': binary multiples, as JupyterHub reads them) in MiB."""
    number, unit = re.fullmatch(r"([\d.]+)([MG])", str(text)).groups()
    return float(number) * (1024 if unit == "G" else 1)


def test_values_use_only_keys_of_the_charts_schema():
    """Does every key of values.yaml exist where the chart's schema puts it, with the type it wants?"""
    jsonschema.Draft7Validator(SCHEMA).validate(_values())


def test_the_schema_check_catches_a_misspelled_key():
    """Would a key the chart does not know (singleuser.memroy) or a wrong db type fail the check above?"""
    values = _values()
    values["singleuser"]["memroy"] = values["singleuser"].pop("memory")
    with pytest.raises(jsonschema.ValidationError, match="memroy"):
        jsonschema.validate(values, SCHEMA)
    values = _values()
    values["hub"]["db"]["type"] = "postgresql"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(values, SCHEMA)


def test_hub_db_ngshare_service_and_roles():
    """Is the hub's database PostgreSQL, ngshare a hub service every user may reach, and the login a placeholder?"""
    hub = _values()["hub"]
    assert hub["db"]["type"] == "postgres" and hub["db"]["url"].startswith("postgresql")
    assert hub["services"]["ngshare"]["url"] == "http://ngshare:8080"
    assert "access:services!service=ngshare" in hub["loadRoles"]["user"]["scopes"]
    assert hub["config"]["JupyterHub"]["authenticator_class"] == "generic-oauth"
    assert hub["config"]["GenericOAuthenticator"]["client_id"].startswith("REPLACE")
    ngshare = yaml.safe_load((Z2JH / "ngshare-values.yaml").read_text())
    assert ngshare["ngshare"]["hub_api_token"] == hub["services"]["ngshare"]["api_token"]
    assert _values()["cull"] == {"enabled": True, "timeout": 3600}


def test_only_a_grader_s_server_gets_the_instructor_image_and_the_gradebook(monkeypatch):
    """Run the hub's extra config: does a grader get the instructor image and gradebook URL, a student neither?"""
    from types import SimpleNamespace

    from traitlets.config import Config

    monkeypatch.setenv("DESCENT_INSTRUCTOR_IMAGE", "instructor:1")
    monkeypatch.setenv("DESCENT_GRADEBOOK_URL", "postgresql://grader@db/descent")
    c = Config()
    exec(_values()["hub"]["extraConfig"]["descent-graders.py"], {"c": c})
    hook = c.KubeSpawner.pre_spawn_hook
    student, grader = (SimpleNamespace(user=SimpleNamespace(name=n), image="student:1", environment={},
                                       mem_limit="1G") for n in ("jdoe", "grader-descent"))
    hook(student)
    hook(grader)
    assert (student.image, student.environment, student.mem_limit) == ("student:1", {}, "1G")
    assert (grader.image, grader.environment["DESCENT_DB_URL"]) == ("instructor:1", "postgresql://grader@db/descent")


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", (Z2JH / "Dockerfile").read_text())
    return [tuple(line.split(None, 1)) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_students_image_installs_the_student_wheel_only():
    """Does the Dockerfile start from docker-stacks, pip-install only the student wheel (and ngshare_exchange),
    and copy nothing of the instructor's (course/, source/, requirements, the repository's package)?"""
    steps = _dockerfile_instructions()
    assert steps[0][0] == "FROM" and steps[0][1].startswith("quay.io/jupyter/")
    installed = []
    for op, rest in steps:
        if op == "RUN":
            for command in rest.split("&&"):
                words = shlex.split(command)
                if words[:2] == ["pip", "install"]:
                    installed += [w for w in words[2:] if not w.startswith("-")]
        if op == "COPY":
            sources = [w for w in shlex.split(rest)[:-1] if not w.startswith("--")]
            assert all(s.startswith("hub/z2jh/bundle/") or s in ("hub/student/jupyter_server_config.py",
                                                                   "hub/z2jh/nbgrader_config.py") for s in sources)
    assert installed == ["/tmp/wheel/descent_course_student-*.whl", "ngshare_exchange==0.5.3"]
    assert ("ENV", "JUPYTER_CONFIG_PATH=/etc/descent") in steps  # where the student's Lab and nbgrader's config go


def test_nbgrader_exchange_is_ngshare_in_nbgrader_s_own_traits():
    """Does nbgrader_config.py set each of nbgrader's ExchangeFactory classes to ngshare_exchange's, course descent?"""
    from nbgrader.exchange import ExchangeFactory
    from traitlets.config.loader import PyFileConfigLoader

    from course.instructor.hub.launch import HubSettings

    config = PyFileConfigLoader("nbgrader_config.py", path=str(Z2JH)).load_config()
    factory = config.ExchangeFactory
    assert set(factory) == set(ExchangeFactory.class_trait_names()) - set(ExchangeFactory.__base__.class_trait_names())
    assert all(value.startswith("ngshare_exchange.") for value in factory.values())
    assert config.CourseDirectory.course_id == HubSettings.course


def test_memory_per_student_matches_the_readme():
    """Are the README's guarantee, limit and students per node those of values.yaml, computed as it says?"""
    readme = " ".join((REPO / "README.md").read_text().split())
    stated = re.search(r"guarantees each student (\d+) MiB \(the largest measured, (\d+) MiB.*?\) and limits "
                       r"them to (\d+) GiB, so a (\d+) GiB node, (\d+) GiB kept for Kubernetes and the system, "
                       r"holds (\d+) students", readme)
    assert stated, "the README's hub section no longer states the memory per student"
    guarantee, largest, limit, node, kept, students = map(int, stated.groups())
    memory = _values()["singleuser"]["memory"]
    assert (_mib(memory["guarantee"]), _mib(memory["limit"])) == (guarantee, limit * 1024)
    assert guarantee >= largest
    assert students == (node - kept) * 1024 // guarantee
