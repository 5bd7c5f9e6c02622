"""A student's JupyterLab on the course hub: the student's tools and the Assignments panel.

``descent hub`` copies this file into the hub's ``student-config/`` folder, which every
student server reads (``JUPYTER_CONFIG_PATH``). Unlike ``release/student_lab_config.py`` (a
laptop, no exchange), the hub has nbgrader's exchange: the Assignments panel fetches, submits
and fetches feedback. The instructor's tools (Formgrader, Create Assignment, Courses) stay off.
"""
c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

c.ServerApp.jpserver_extensions = {
    "nbgrader": False,  # the bundle that loads all four parts below
    "nbgrader.server_extensions.validate_assignment": True,
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}

#: nbgrader's JupyterLab plugins a student does not need (Validate and Assignments stay).
STUDENT_HIDES = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
]


def hide_instructor_plugins(handler, page_config: dict) -> dict:
    """Add nbgrader's instructor plugins to the page's disabled extensions."""
    disabled = list(page_config.get("disabledExtensions", []))
    page_config["disabledExtensions"] = disabled + [name for name in STUDENT_HIDES if name not in disabled]
    return page_config


c.ServerApp.tornado_settings = {"page_config_hook": hide_instructor_plugins}
