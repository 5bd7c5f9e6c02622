"""Every figure in words: its text alternative, set where the figure is made, shown wherever it is.

A student who cannot see a plot reads (or hears) this instead. It says what is plotted and the
point to take: a figure's own summary where its maker gave one (:func:`describe`), else one
written from the figure itself: its title (the course's titles say what to see), its axes, and
each labelled line's numbers as drawn.

:func:`show_with_text` makes every figure a notebook displays carry it (``course.setup()`` calls
it): the PNG's ``alt`` in the output's metadata (nbconvert and the site read it), an HTML
``<img alt=...>`` (JupyterLab's image output has no ``alt`` of its own), and the words as
the plain-text version of the output. Where the numbers matter, :func:`data_table` gives the
plotted data itself as a short table: ``print(data_table(fig))``.
"""
from __future__ import annotations

import base64
import html
import re

import numpy as np
from IPython import get_ipython
from matplotlib.figure import Figure

__all__ = ["PLACEHOLDER", "alt_text", "data_table", "describe", "figure_bundle", "show_with_text"]

_ATTRIBUTE = "_descent_alt_text"
#: What a figure with no title, labels or lines says: a test fails on any figure that shows it.
PLACEHOLDER = "A figure with no description."
#: Lines per panel whose numbers are written out (a figure of many runs names the first few).
MAX_LINES = 6


def describe(fig, text: str) -> None:
    """Set ``fig``'s text alternative: what it shows and the point to take, in one or two sentences."""
    if not text or not text.strip():
        raise ValueError("a figure's text alternative must say what it shows")
    setattr(fig, _ATTRIBUTE, text.strip())


def _plain(label: str) -> str:
    """A label as words: TeX's ``$``, backslashes and braces removed."""
    label = label.replace("$", "").replace("\\left", "").replace("\\right", "")
    label = re.sub(r"\\(mathrm|text|mathbf)\{([^}]*)\}", r"\2", label)
    label = re.sub(r"\\([A-Za-z]+)", r"\1", label)
    return re.sub(r"\s+", " ", label.replace("{", "").replace("}", "")).strip()


def _number(value: float) -> str:
    return f"{value:.3g}" if np.isfinite(value) else "infinity" if value > 0 else "minus infinity"


def _line_words(line, name: str = "") -> "str | None":
    """A line from its data: ``"<name>: from y0 at x0 to y1 at x1, lowest ... at ..."``."""
    name = _plain(name or line.get_label())
    x = np.asarray(line.get_xdata(), dtype=float).ravel()
    y = np.asarray(line.get_ydata(), dtype=float).ravel()
    if y.size == 0 or x.size != y.size:
        return name or None
    keep = np.isfinite(x) & np.isfinite(y)
    if not keep.any():
        return f"{name}: no finite values (it diverges)"
    x, y = x[keep], y[keep]
    if y.size == 1:
        return f"{name}: a point at ({_number(x[0])}, {_number(y[0])})"
    words = f"{name}: from {_number(y[0])} at {_number(x[0])} to {_number(y[-1])} at {_number(x[-1])}"
    low = int(np.argmin(y))
    if 0 < low < len(y) - 1:
        words += f", lowest {_number(y[low])} at {_number(x[low])}"
    if not keep.all():
        words += ", then leaves the plot (diverges)"
    return words


def _axes_words(ax) -> str:
    """One panel: its title, what is plotted against what, and its labelled lines."""
    title, xlabel, ylabel = (_plain(t) for t in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()))
    parts = [title.rstrip(".") + "." if title else ""]
    if xlabel or ylabel:
        parts.append(f"{ylabel or 'value'} against {xlabel or 'position'}.")
    if ax.collections and any(type(c).__name__ in ("QuadContourSet", "ContourSet") or hasattr(c, "levels")
                              for c in ax.collections):
        parts.append("Contour lines show the function's height.")
    labelled = [line for line in ax.get_lines() if line.get_label() and not line.get_label().startswith("_")]
    if labelled:
        lines = [_line_words(line) for line in labelled]
    else:  # no legend: the lines in drawing order
        lines = [_line_words(line, f"line {i + 1}") for i, line in enumerate(ax.get_lines())]
    lines = [w for w in lines if w]
    lines += [f"{_plain(c.get_label())}: points" for c in ax.collections
              if c.get_label() and not c.get_label().startswith("_")]
    if lines:
        more = f" and {len(lines) - MAX_LINES} more" if len(lines) > MAX_LINES else ""
        parts.append("Lines: " + "; ".join(lines[:MAX_LINES]) + more + ".")
    return " ".join(p for p in parts if p)


def alt_text(fig) -> str:
    """``fig``'s text alternative: its maker's summary, else one written from its titles, axes and lines."""
    given = getattr(fig, _ATTRIBUTE, None)
    if given:
        return given
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>" and (ax.has_data() or ax.get_title())]
    words = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        words.append(_plain(fig._suptitle.get_text()).rstrip(".") + ".")
    if len(panels) > 1:
        words.append(f"{len(panels)} panels.")
    for i, ax in enumerate(panels):
        text = _axes_words(ax)
        words.append(f"Panel {i + 1}: {text}" if len(panels) > 1 else text)
    return " ".join(w for w in words if w) or PLACEHOLDER


def data_table(fig, rows: int = 8) -> str:
    """The data of ``fig``'s lines as plain-text tables, one per line, at ``rows`` evenly spaced points.

    For a student who cannot see the figure: the numbers of a run or a race, as drawn.
    """
    tables = []
    panels = [ax for ax in fig.axes if ax.get_lines()]
    for p, ax in enumerate(panels):
        xlabel, ylabel = _plain(ax.get_xlabel()) or "x", _plain(ax.get_ylabel()) or "y"
        for i, line in enumerate(ax.get_lines()):
            name = line.get_label()
            name = _plain(name) if name and not name.startswith("_") else f"line {i + 1}"
            x = np.asarray(line.get_xdata(), dtype=float).ravel()
            y = np.asarray(line.get_ydata(), dtype=float).ravel()
            if x.size != y.size or x.size == 0:
                continue
            picked = np.unique(np.linspace(0, x.size - 1, min(rows, x.size)).round().astype(int))
            where = f"panel {p + 1}, " if len(panels) > 1 else ""
            body = "\n".join(f"  {_number(x[k]):>10}  {_number(y[k]):>12}" for k in picked)
            tables.append(f"{where}{name} ({len(picked)} of {x.size} points)\n  {xlabel:>10}  {ylabel:>12}\n{body}")
    return "\n\n".join(tables)


def figure_bundle(png_base64: str, text: str) -> tuple[dict, dict]:
    """A display bundle of one picture and its words: PNG with ``alt``, an ``<img alt>``, plain text."""
    image = f'<img src="data:image/png;base64,{png_base64}" alt="{html.escape(text, quote=True)}">'
    return ({"image/png": png_base64, "text/html": image, "text/plain": text},
            {"image/png": {"alt": text}})


def show_with_text(shell=None) -> None:
    """Make the IPython ``shell`` display every Matplotlib figure with its text alternative.

    The PNG is drawn once, by the formatter the inline backend set up (with its resolution and
    cropping); the bundle adds the words. Outside IPython it does nothing.
    """
    if shell is None:
        shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter
    png = formatters.formatters["image/png"]
    drawn = {"with": None}

    def bundle(fig, include=None, exclude=None):
        # The inline backend re-registers its PNG formatter whenever its settings change: take it
        # over each time, so the figure is drawn once and only here.
        current = png.pop(Figure, None)
        if current is not None:
            drawn["with"] = current
        if drawn["with"] is None:
            return None
        data = drawn["with"](fig)
        if not data:
            return None
        if isinstance(data, bytes):
            data = base64.b64encode(data).decode("ascii")
        return figure_bundle(data, alt_text(fig))

    formatters.mimebundle_formatter.for_type(Figure, bundle)
