"""JupyterHub configuration of the Descent course hub (JupyterHub 5).

Started by ``descent hub`` (``course/instructor/hub/launch.py``), which builds the hub's state
folder and passes it here through ``DESCENT_HUB_*`` environment variables:

- each student logs in and gets their own JupyterLab, run as their own system user
  (LocalProcessSpawner) from the student environment (the student wheel only, no
  ``course.instructor``, no ``source/``), with nbgrader's Assignments panel on;
- the course's formgrader is a hub service named after the course id, run as the (first) grader
  account in the course root (as nbgrader's JupyterHub demos do); every grader reaches it through
  the group ``formgrade-<course>``; with several graders the service writes for their group
  (umask 002) into the course root they share;
- everything listens on ``DESCENT_HUB_IP`` (loopback unless told otherwise): put TLS in front
  (a reverse proxy) before opening it to a campus.
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

STATE = Path(os.environ["DESCENT_HUB_STATE"])
ROOT = Path(os.environ["DESCENT_HUB_ROOT"])
COURSE = os.environ.get("DESCENT_HUB_COURSE", "descent")
GRADERS = [g for g in os.environ.get("DESCENT_HUB_GRADERS", f"grader-{COURSE}").split(",") if g]
GRADER = GRADERS[0]  # the services run as this account, the course root's owner
IP = os.environ.get("DESCENT_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("DESCENT_HUB_PORT", "8000"))
STUDENT_ENV = STATE / "student-env"
GRADER_PYTHON = Path(os.environ["DESCENT_HUB_GRADER_PYTHON"])

# --- Who may log in ---------------------------------------------------------------------------
# One line to swap for the institution's login (README, "A class on JupyterHub"):
#   "pam"                                    local system accounts (default; what the tests use)
#   "oauthenticator.generic.GenericOAuthenticator"   campus SSO or Canvas as an OAuth2 provider
#   "ltiauthenticator.lti13.authenticator.LTI13Authenticator"   launched from Canvas or Moodle (LTI 1.3)
c.JupyterHub.authenticator_class = os.environ.get("DESCENT_HUB_AUTHENTICATOR", "pam")
# Only the roster's students and the graders; `descent hub` reads the names from users.txt.
USERS = [u for u in (STATE / "users.txt").read_text().split() if u] if (STATE / "users.txt").exists() else []
c.Authenticator.allowed_users = set(USERS) | set(GRADERS)
c.Authenticator.admin_users = set(GRADERS)

# --- Where the hub listens and keeps its secrets (private: root only) ------------------------
PRIVATE = STATE / "hub"
c.JupyterHub.ip = IP
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
c.ConfigurableHTTPProxy.command = [os.environ.get("DESCENT_HUB_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(PRIVATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{PRIVATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(PRIVATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(PRIVATE / "jupyterhub.pid")

# --- Each student's server: their own system user, the student environment only --------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(STUDENT_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# Nothing of the hub's (instructor's) environment reaches a student: no PYTHONPATH, no VIRTUAL_ENV.
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment = {
    "PATH": f"{STUDENT_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "VIRTUAL_ENV": str(STUDENT_ENV),
    # The student's Lab (Assignments panel on, instructor tools off) and the exchange.
    "JUPYTER_CONFIG_PATH": f"{STATE / 'student-config'}:{STATE / 'exchange-config'}",
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- The grader's formgrader: a hub service named after the course -----------------------------
SERVICE_PORT = PORT + 3
# JupyterHub hands a service only the variables named here: the gradebook and grading limits an
# instructor set by environment variable when starting the hub (course/instructor/grading/core/config.py)
# go to the services too, so they grade as `descent grade` run from that shell would.
GRADING_ENV = ("DESCENT_DB_URL", "DESCENT_SANDBOX", "DESCENT_CELL_TIMEOUT", "DESCENT_NOTEBOOK_SECONDS")
GRADER_ENV = {
    "PATH": f"{GRADER_PYTHON.parent}:/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": str(STATE / "exchange-config"),
    **{name: os.environ[name] for name in GRADING_ENV if os.environ.get(name)},
}
# Several graders share the course root through their group: what the services write is the group's too
# (the course's nbgrader_config.py does the same once loaded; this covers what comes before).
FOR_THE_GROUP = ["/bin/sh", "-c", 'umask 002 && exec "$@"', "umask-002"] if len(GRADERS) > 1 else []
c.JupyterHub.services = [
    {
        "name": COURSE,
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": [*FOR_THE_GROUP, str(GRADER_PYTHON), "-m", "jupyterhub.singleuser", f"--ServerApp.root_dir={ROOT}"],
        "user": GRADER,
        "cwd": str(ROOT),
        "environment": {"JUPYTERHUB_DEFAULT_URL": "/lab", **GRADER_ENV},
        "oauth_no_confirm": True,
    }
]
# Feedback on submit (`descent hub --instant-feedback`): `descent serve` as the grader, in the course
# root, reading the exchange from the same config; the hub restarts it if it dies.
if os.environ.get("DESCENT_HUB_INSTANT_FEEDBACK"):
    c.JupyterHub.services.append({
        "name": f"{COURSE}-feedback",
        "command": [*FOR_THE_GROUP, str(GRADER_PYTHON), "-m", "course", "--root", str(ROOT), "serve"],
        "user": GRADER,
        "cwd": str(ROOT),
        "environment": GRADER_ENV,
    })
# Every grader reaches the formgrader; nbgrader's course list finds the course through the services
# API (nbgrader issue #1831).
c.JupyterHub.load_groups = {f"formgrade-{COURSE}": {"users": GRADERS}}
c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE}",
        "groups": [f"formgrade-{COURSE}"],
        "scopes": [f"access:services!service={COURSE}", "list:services", f"read:services!service={COURSE}"],
    },
]
