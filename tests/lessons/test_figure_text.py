"""Every figure's text alternative: written from the figure's own data, shown with the figure."""
from __future__ import annotations

import base64
from functools import partial

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.pylabtools import print_figure
from matplotlib.figure import Figure

from course import plots
from course.figure_text import PLACEHOLDER, alt_text, data_table, describe, show_with_text
from course.graph_plots import draw_computation_graph


def _loss_figure():
    fig, ax = plots.new_figure()
    steps = np.arange(4)
    ax.plot(steps, [4.0, 2.0, 1.0, 0.5], label="rate 0.5")
    ax.plot(steps, [4.0, 8.0, 16.0, np.inf], label="rate 1.05")
    plots.label(ax, "Rates below 1 shrink the loss; 1.05 grows it", "step", "loss")
    return fig


def test_text_says_title_axes_and_each_line_from_its_data():
    """Does a figure without a written summary say its title, what is plotted, and each line's numbers as drawn?"""
    text = alt_text(_loss_figure())
    assert text.startswith("Rates below 1 shrink the loss; 1.05 grows it.")
    assert "loss against step" in text
    assert "rate 0.5: from 4 at 0 to 0.5 at 3" in text
    assert "rate 1.05: from 4 at 0 to 16 at 2, then leaves the plot (diverges)" in text


def test_text_reads_tex_as_words_and_names_panels():
    """Are TeX labels read as words, and does a figure of two panels say so, panel by panel?"""
    fig, (left, right) = plots.new_figure(ncols=2)
    left.plot([0, 1], [0, 1], label=r"$\sigma(z)$")
    plots.label(left, "left", "z", "value")
    right.plot([0, 1], [1, 0], label="cost")
    plots.label(right, "right", "w", "J")
    text = alt_text(fig)
    assert text.startswith("2 panels. Panel 1: left.") and "sigma(z): from 0 at 0 to 1 at 1" in text
    assert "Panel 2: right. J against w." in text


def test_data_table_gives_each_lines_numbers_as_drawn():
    """Does the table on request list each line's points with the axes' names, diverged ones as infinity?"""
    table = data_table(_loss_figure(), rows=4)
    first, second = table.split("\n\n")
    assert first.splitlines() == ["rate 0.5 (4 of 4 points)", f"  {'step':>10}  {'loss':>12}",
                                  f"  {'0':>10}  {'4':>12}", f"  {'1':>10}  {'2':>12}",
                                  f"  {'2':>10}  {'1':>12}", f"  {'3':>10}  {'0.5':>12}"]
    assert second.splitlines()[0] == "rate 1.05 (4 of 4 points)" and second.endswith("infinity")


def test_a_written_summary_wins_and_must_say_something():
    """Does describe() set the text alternative, and refuse an empty one?"""
    fig = _loss_figure()
    describe(fig, "Loss against step for rates 0.5 and 1.05: the first falls, 1.05 grows.")
    assert alt_text(fig) == "Loss against step for rates 0.5 and 1.05: the first falls, 1.05 grows."
    with pytest.raises(ValueError):
        describe(fig, "  ")


def test_a_figure_with_nothing_to_say_gets_the_placeholder_tests_reject():
    """Does an empty figure get the one placeholder that the site and browser tests fail on?"""
    assert alt_text(Figure()) == PLACEHOLDER


def test_the_computation_graph_is_described_from_its_nodes():
    """Does 06's computation graph, which has no data lines, say its forward and backward passes?"""
    fig, ax = plots.new_figure(width=11)
    draw_computation_graph(ax)
    text = alt_text(fig)
    assert "X (n, d) and W1 (d, h) and b1 (h,) give Z1 (n, h) by X W1 + b1" in text
    assert "Backward pass" in text and PLACEHOLDER not in text


def test_ipython_shows_each_figure_once_with_its_words():
    """In IPython, is a figure shown as one PNG drawn once, an <img alt>, the words as text, and alt metadata?"""
    shell = InteractiveShell.instance()
    png = shell.display_formatter.formatters["image/png"]
    drawn = []

    def counting_png(fig):
        drawn.append(fig)
        return print_figure(fig, "png", base64=True)

    png.for_type(Figure, counting_png)  # as the inline backend registers its formatter
    show_with_text(shell)
    fig = _loss_figure()
    data, metadata = shell.display_formatter.format(fig)
    words = alt_text(fig)
    assert drawn == [fig], "the figure was drawn more than once"
    assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert data["text/plain"] == words and metadata["image/png"]["alt"] == words
    assert data["text/html"].startswith(f'<img src="data:image/png;base64,{data["image/png"]}" alt="Rates below 1')
    # The inline backend registers its formatter again when its settings change: still one drawing.
    png.for_type(Figure, partial(counting_png))
    shell.display_formatter.format(fig)
    assert len(drawn) == 2 and Figure not in png.type_printers
