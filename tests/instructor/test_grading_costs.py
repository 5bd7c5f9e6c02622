"""What grading makes cheaper still does its job: graded figures are still shown, the
shared gradebook engine still reads and writes the same gradebook."""
from __future__ import annotations

import base64
import io

import nbformat
import pytest
from nbclient import NotebookClient
from PIL import Image

from course.plots import GRADING_DPI, SCREEN_DPI

_FIGURE = ("from course.plots import new_figure\nfig, ax = new_figure()\nax.plot([0, 1], [0, 1e6])\n"
           "ax.set_ylabel('loss')")


def _png_size(grading: bool, monkeypatch) -> tuple[int, int]:
    """The pixel size of one course figure shown inline by a real kernel."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde" if grading else "")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import course\ncourse.setup()"),
                                         nbformat.v4.new_code_cell(_FIGURE)])
    NotebookClient(nb, timeout=120).execute()
    pngs = [o["data"]["image/png"] for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 1
    return Image.open(io.BytesIO(base64.b64decode(pngs[0]))).size


@pytest.mark.slow
def test_graded_figures_are_drawn_once_at_the_grading_resolution_and_students_keep_theirs(monkeypatch):
    """While grading, is the figure shown whole at GRADING_DPI (no tight crop, which draws twice)?
    And does a student's own kernel still get the cropped figure at the screen resolution?"""
    assert _png_size(True, monkeypatch) == (7 * GRADING_DPI, 4 * GRADING_DPI)
    width, height = _png_size(False, monkeypatch)
    assert (width, height) != (7 * SCREEN_DPI, 4 * SCREEN_DPI)  # cropped to its contents ...
    assert width > 7 * GRADING_DPI and height > 4 * GRADING_DPI  # ... at the larger resolution


def test_gradebooks_of_one_url_share_an_engine_and_still_see_each_others_writes(tmp_path):
    """After share_engines, do two gradebooks of one URL share one engine, a third URL get its
    own, and does a gradebook opened later read what an earlier, closed one wrote?"""
    from nbgrader.api import Gradebook

    from course.instructor.grading.core.engines import share_engines

    share_engines()
    share_engines()  # a second call changes nothing
    url, other = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    with Gradebook(url) as first:
        first.add_student("ada", first_name="Ada")
        engine = first.engine
    with Gradebook(url) as second, Gradebook(other) as third:
        assert second.engine is engine
        assert third.engine is not engine
        assert second.find_student("ada").first_name == "Ada"
        assert [s.id for s in third.students] == []
