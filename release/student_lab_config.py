"""JupyterLab for a student of the Descent course: the student's tools only.

Start it with

    jupyter lab --config=release/student_lab_config.py

(or, inside this folder, ``jupyter lab --config=student_lab_config.py``). It serves this
folder and keeps nbgrader's Validate button, which checks a notebook the way the grader
runs it. It turns off nbgrader's instructor tools (Formgrader, Create Assignment) and the
exchange-based Assignments and Courses panels, which this course does not use: students
hand in their notebooks, they do not fetch or submit through an nbgrader exchange.
The instructor's JupyterLab (``jupyter lab`` at the course root) keeps every tool.
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

HERE = Path(__file__).resolve().parent
c.ServerApp.root_dir = str(HERE)
# Run from this folder wherever the command was typed: nbgrader's Validate reads its
# configuration from the server's working folder, and a student has no instructor's
# nbgrader_config.py (with the grading sandbox) here: Validate runs the notebook as is.
os.chdir(HERE)

# nbgrader's server side: keep Validate, drop the exchange panels and the formgrader.
c.ServerApp.jpserver_extensions = {
    "nbgrader": False,  # the bundle that loads all four parts below
    "nbgrader.server_extensions.validate_assignment": True,
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}

#: nbgrader's JupyterLab plugins a student does not need (Validate stays).
STUDENT_HIDES = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:menu",
]


def hide_instructor_plugins(handler, page_config: dict) -> dict:
    """Add nbgrader's instructor and exchange plugins to the page's disabled extensions."""
    disabled = list(page_config.get("disabledExtensions", []))
    page_config["disabledExtensions"] = disabled + [name for name in STUDENT_HIDES if name not in disabled]
    return page_config


c.ServerApp.tornado_settings = {"page_config_hook": hide_instructor_plugins}
