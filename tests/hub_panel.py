"""A student at the course hub in Chromium: the hub's login page, nbgrader's Assignments panel, a notebook.

Everything goes through what the student sees: the login form, the Nbgrader menu, the panel's
Fetch, Submit and Fetch Feedback buttons, the notebook's cells and the File menu, the notification
that feedback is ready.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lab_browser import code_cells, run_menu, wait_until_settled

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: 01's walk-throughs: mse with the catalogued mistake (a sum for the mean), mse and mae right.
MSE_SUMMED = "def mse(predictions, targets):\n    return np.sum((np.asarray(predictions) - np.asarray(targets)) ** 2)\n"
MSE_RIGHT = MSE_SUMMED.replace("np.sum(", "np.mean(")
MAE_RIGHT = "def mae(predictions, targets):\n    return np.mean(np.abs(np.subtract(predictions, targets)))\n"
#: Code cells of 01 (in order): setup, a figure, mse, its check, mae, its check.
SETUP, MSE, MSE_CHECK, MAE, MAE_CHECK = 0, 2, 3, 4, 5


def log_in(page: "Page", hub_url: str, name: str, password: str) -> None:
    """Log in on the hub's login page and wait until the student's own JupyterLab has started."""
    page.goto(f"{hub_url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(name)}/lab"), timeout=180_000)
    page.wait_for_selector(".jp-LabShell .lm-MenuBar-itemLabel", timeout=120_000)


def open_assignments(page: "Page") -> None:
    """Nbgrader > Assignment List, then wait until the panel has listed what the exchange holds."""
    run_menu(page, "Nbgrader", "nbgrader:open-assignment-list")
    page.wait_for_selector("#nbgrader-assignment-list", timeout=60_000)
    page.wait_for_selector("#released_assignments_list_loading", state="hidden", timeout=60_000)


def refresh_assignments(page: "Page") -> None:
    """The panel's refresh button (it reloads all three lists)."""
    page.click("#refresh_assignments_list")
    page.wait_for_selector("#submitted_assignments_list_loading", state="hidden", timeout=60_000)


def press_in_list(page: "Page", listing: str, assignment: str, button: str, done: str, seconds: float = 120) -> None:
    """Press ``button`` on ``assignment``'s row of the panel's ``listing``, then wait until ``done`` holds it."""
    row = page.locator(f"#{listing} .list_item", has_text=assignment).first
    row.locator("button", has_text=re.compile(f"^{button}$")).click()
    page.locator(f"#{done} .list_item", has_text=assignment).first.wait_for(timeout=seconds * 1000)


def replace_cell(page: "Page", index: int, code: str) -> None:
    """Select all of the code cell ``index`` in its editor and type ``code`` over it (as a paste would)."""
    editor = code_cells(page).nth(index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)


def cell_output(page: "Page", index: int) -> str:
    """The text the code cell ``index`` shows under it."""
    return code_cells(page).nth(index).locator(".jp-OutputArea").inner_text()


def save(page: "Page") -> None:
    """File > Save Notebook, then wait until the tab no longer shows unsaved changes."""
    run_menu(page, "File", "docmanager:save")
    page.wait_for_selector(".jp-mod-current.jp-mod-dirty", state="detached", timeout=30_000)
    wait_until_settled(page)


def feedback_notice(page: "Page", assignment: str):
    """The Lab's notification that feedback on ``assignment`` is ready (``labextension/index.js``)."""
    return page.locator(".jp-toastContainer .Toastify__toast", has_text=f"Feedback on {assignment} is ready")


def is_notice_poll(url: str) -> bool:
    """Is ``url`` the feedback notice's request (nbgrader's assignment list with an empty course id; the
    Assignments panel names its course)?"""
    parts = urlsplit(url)
    return parts.path.endswith("/assignments") and parts.query == "course_id="


def close_assignments(page: "Page") -> None:
    """Close the Assignments panel's tab and wait until the panel has left the page."""
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=re.compile("^Assignments$"))
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    page.wait_for_selector("#nbgrader-assignment-list", state="detached", timeout=30_000)
