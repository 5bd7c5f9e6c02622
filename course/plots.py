"""One look for every figure in the course.

Colours are the Okabe-Ito palette, which stays distinct for the common forms
of colour blindness. Call :func:`use_course_style` once (``course.setup()``
does it) and every later figure shares the style.
"""
from __future__ import annotations

import io
from collections import OrderedDict

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from IPython import get_ipython
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from .grading_state import is_grading

#: Okabe & Ito (2008), "Color Universal Design".
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
CYCLE = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]
#: A line style and a marker for each colour of the cycle, so that lines differ in more than colour
#: (WCAG 1.4.1): lines drawn without a style of their own take the next dash with the next colour.
DASHES = ["-", "--", "-.", ":", (0, (5, 1.5)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2.5))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
#: Sequential colour map for surfaces and contours (perceptually uniform, CVD-safe).
SURFACE_CMAP = "cividis"
#: Figure resolution on screen, and while grading: a graded notebook's figures are only looked at
#: (in the feedback), never read by a test, so they are drawn smaller and cheaper.
SCREEN_DPI = 100
GRADING_DPI = 72


def series_style(i: int, *, marker: bool = True) -> dict:
    """The ``i``-th series' colour, dash and (if ``marker``) marker: told apart without colour too."""
    style = {"color": CYCLE[i % len(CYCLE)], "linestyle": DASHES[i % len(DASHES)]}
    if marker:
        style["marker"] = MARKERS[i % len(MARKERS)]
    return style


def use_course_style() -> None:
    """Set the shared matplotlib style: palette with a dash per colour, readable sizes, light grid."""
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=CYCLE) + mpl.cycler(linestyle=DASHES),
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": GRADING_DPI if is_grading() else SCREEN_DPI,
            "image.cmap": SURFACE_CMAP,
            "lines.linewidth": 2.0,
            "lines.markersize": 5,
        }
    )


def draw_inline_figures_once() -> None:
    """Show inline figures as drawn, without the tight crop (which draws every figure twice).

    Used while grading; outside IPython it does nothing.
    """
    shell = get_ipython()
    if shell is not None:  # (the inline backend reads these when it starts, or re-reads them if it has)
        # lazy: it loads the inline backend, which a kernel template may not preload (KERNEL_ONLY)
        from matplotlib_inline.config import InlineBackend

        InlineBackend.instance(parent=shell).print_figure_kwargs = {"bbox_inches": None}


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 7.0, height: float = 4.0, **kwargs):
    """Return ``(fig, axes)`` in the course style, sized per panel."""
    use_course_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), **kwargs)
    return fig, axes


def label(ax, title: str, xlabel: str, ylabel: str) -> None:
    """Give an axis the three labels every course plot carries."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def curve_with_path(ax, f, path, xlim=None, *, arrows: bool = True, n_grid: int = 400,
                    curve_label: str = "f(x)", path_label: str = "iterates"):
    """Draw a 1-D function and a sequence of iterates on it, with arrows between steps.

    Returns the ``(curve_line, path_line)`` artists so a widget can update them.
    """
    path = np.asarray(path, dtype=float)
    finite = path[np.isfinite(path)]
    if xlim is None:
        lo, hi = (finite.min(), finite.max()) if finite.size else (-1.0, 1.0)
        pad = max(1.0, 0.15 * (hi - lo))
        xlim = (lo - pad, hi + pad)
    xs = np.linspace(xlim[0], xlim[1], n_grid)
    (curve,) = ax.plot(xs, f(xs), color=PALETTE["blue"], label=curve_label)
    (dots,) = ax.plot(path, f(path), "o-", color=PALETTE["vermillion"], alpha=0.8,
                      lw=1, label=path_label)
    if arrows:
        for a, b in zip(path[:-1][:30], path[1:][:30]):
            if np.isfinite(a) and np.isfinite(b):
                ax.annotate("", xy=(b, f(b)), xytext=(a, f(a)),
                            arrowprops=dict(arrowstyle="->", color=PALETTE["vermillion"], lw=1))
    ax.set_xlim(*xlim)
    ax.legend(loc="upper center")
    return curve, dots


def contour_with_paths(ax, f, paths: dict, xlim, ylim, *, levels: int = 30, n_grid: int = 200):
    """Contours of a 2-D function ``f(x, y)`` (vectorised) with labelled optimisation paths."""
    xs = np.linspace(*xlim, n_grid)
    ys = np.linspace(*ylim, n_grid)
    X, Y = np.meshgrid(xs, ys)
    Z = f(X, Y)
    ax.contour(X, Y, Z, levels=levels, cmap=SURFACE_CMAP, linewidths=0.8)
    for i, (name, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=float)
        ax.plot(path[:, 0], path[:, 1], ms=3, lw=1.2, label=name, **series_style(i))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")
    if paths:
        ax.legend(loc="upper right")


def agg_figure(width: float, height: float, dpi: int = 80):
    """A course-styled ``Figure`` on its own Agg canvas, outside pyplot (nothing shows it twice)."""
    use_course_style()
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


class Blitter:
    """Draws a figure to PNG fast, for sliders: the still parts are drawn once per ``key`` and
    cached; the moving artists (lines, texts, legends) are drawn over that picture each time.

    The key names what the still parts look like (e.g. the function shown, the axis limits, a
    title); a key seen before reuses its picture, and the ``keep`` most recent pictures are kept.
    Call :meth:`forget` after changing still parts in place.
    """

    def __init__(self, fig, moving=(), keep: int = 16):
        self.fig = fig
        self.moving: list = []
        self.cache: OrderedDict = OrderedDict()
        self.keep = keep
        self.add(*moving)

    def add(self, *artists) -> None:
        """Draw ``artists`` on every frame (and leave them out of the cached still picture)."""
        for artist in artists:
            artist.set_animated(True)
            self.moving.append(artist)

    def forget(self) -> None:
        """Drop every cached picture of the still parts."""
        self.cache.clear()

    def draw(self, key=None) -> None:
        """Draw the figure on its canvas: still parts from the cache for ``key``, then the moving ones."""
        canvas = self.fig.canvas
        if key not in self.cache:
            canvas.draw()  # everything but the moving artists
            self.cache[key] = canvas.copy_from_bbox(self.fig.bbox)
            while len(self.cache) > self.keep:
                self.cache.popitem(last=False)
        else:
            canvas.restore_region(self.cache[key])
            self.cache.move_to_end(key)
        for artist in self.moving:
            self.fig.draw_artist(artist)

    def png(self, key=None) -> bytes:
        """The figure as a palette PNG, drawn by :meth:`draw`.

        A course figure has few colours: 256 of them (no dithering) look the same as full
        colour, and the PNG is about three times smaller and twice as fast to make.
        """
        self.draw(key)
        width, height = self.fig.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
