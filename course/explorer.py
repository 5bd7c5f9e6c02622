"""The sliders' one pattern: a model computed once from the slider values, and a view that draws it.

Every slider demo of the lessons (03's learning rate, 07's noise, 08's valleys and race) is an
:class:`Explorer`:

- its *controls* are :class:`Slider` and :class:`Choice` specifications, one per keyword;
- its *model*, :meth:`Explorer.compute`, turns the controls' values into one run (the path,
  the verdict, every number shown), computed once per change;
- its *view* shows that run: :meth:`Explorer.draw` moves the figure's artists and
  :meth:`Explorer.describe` says it in words.

This module does the rest, in one place: the ipywidgets controls and their style, one redraw
per change, the picture as a PNG in an ``ipywidgets.Image`` (the still parts cached by a
:class:`~course.plots.Blitter`), and the picture and the words for pages without a kernel
(a notebook run by nbconvert or nbgrader, a static HTML view). The picture's text
alternative follows the controls: the current settings and the run's words
(:meth:`Explorer.alt_text`), as the live image's title and the static picture's ``alt``.

Every control is reachable with Tab and moved with the arrow keys; a control reports its value
when released (``continuous_update=False``), so a drag costs one redraw.
"""
from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from typing import Any

import IPython.display
import ipywidgets as widgets
import numpy as np
from traitlets import Unicode

from .plots import Blitter

__all__ = ["Slider", "Choice", "Explorer"]

#: ipywidgets gives a slider's handle (noUiSlider's ``role="slider"``) no accessible name, so a screen
#: reader says "slider, 0.3". This hidden image's error handler, run by the browser when the
#: explorer is shown, names each handle after its slider's label ("learning rate, 0.3"), now and
#: whenever the box redraws. A page without a kernel has no widgets and never runs it.
NAME_SLIDERS = """<img src="data:," alt="" onerror="(function (box) {
  function name() {
    box.querySelectorAll('.widget-slider').forEach(function (slider) {
      var label = slider.querySelector('.widget-label'), handle = slider.querySelector('.noUi-handle');
      if (label && handle && handle.getAttribute('aria-label') !== label.textContent.trim()) {
        handle.setAttribute('aria-label', label.textContent.trim());
      }
    });
  }
  name();
  new MutationObserver(name).observe(box, {childList: true, subtree: true});
})(this.closest('.widget-vbox') || document.body)">"""

#: The controls' one style: descriptions in a column of this width, controls of this width.
DESCRIPTION_WIDTH, CONTROL_WIDTH = "110px", "360px"


class _DescribedImage(widgets.Image):
    """``ipywidgets.Image`` whose ``tooltip`` becomes its ``title`` (its accessible name).

    ipywidgets writes the tooltip as the title only for a widget whose ``description`` is
    empty, and its Image has no description at all; this one has an empty one.
    """

    description = Unicode("").tag(sync=True)


def _picture_widget(**kwargs):
    return _DescribedImage(**kwargs)


def _style() -> tuple:
    return {"description_width": DESCRIPTION_WIDTH}, widgets.Layout(width=CONTROL_WIDTH)


@dataclass
class Slider:
    """One slider: the keyword it sets, its range and starting value.

    ``log`` spaces the values evenly in their logarithm; ``integer`` allows whole numbers only;
    ``step`` is one arrow-key move (by default a 200th of the range, or 0.02 in ``log10``);
    ``fmt`` formats the readout.
    """

    name: str
    low: float
    high: float
    value: float
    log: bool = False
    description: str = ""
    step: "float | None" = None
    fmt: str = ".3g"
    integer: bool = False

    def widget(self):
        """The ipywidgets slider, in the course's style."""
        style, layout = _style()
        common = dict(description=self.description or self.name, style=style, layout=layout,
                      continuous_update=False)
        if self.integer:
            return widgets.IntSlider(value=int(self.value), min=int(self.low), max=int(self.high),
                                     step=int(self.step or 1), **common)
        if self.log:
            return widgets.FloatLogSlider(value=self.value, base=10, min=np.log10(self.low), max=np.log10(self.high),
                                          step=self.step or 0.02, readout_format=self.fmt, **common)
        return widgets.FloatSlider(value=self.value, min=self.low, max=self.high,
                                   step=self.step or (self.high - self.low) / 200, readout_format=self.fmt, **common)


@dataclass
class Choice:
    """A dropdown: the keyword it sets, the options (strings) and the one chosen first."""

    name: str
    options: tuple
    value: str
    description: str = ""

    def widget(self):
        """The ipywidgets dropdown, in the course's style."""
        style, layout = _style()
        return widgets.Dropdown(options=list(self.options), value=self.value, description=self.description or self.name,
                                style=style, layout=layout)


def _shown(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value).strip()


class Explorer:
    """A figure and its numbers, redrawn from a model whenever a control moves.

    A subclass builds its figure (the still parts drawn, the moving artists empty), calls
    ``super().__init__(controls, fig, moving)`` and then :meth:`update`; it defines
    :meth:`compute` (the model), :meth:`draw` and :meth:`describe` (the view), and may define
    :meth:`still_key` (what the still parts look like, for the picture cache) and
    :meth:`numbers_html`.

    After every change, ``model`` is the model (the run shown), ``readout`` its words, ``image.value`` the PNG.
    """

    def __init__(self, controls: list, fig, moving=()):
        self.controls = list(controls)
        self.fig = fig
        self.picture = Blitter(fig, moving)
        self.model: Any = None
        self.readout = ""
        self.widgets = [control.widget() for control in self.controls]
        width, _ = fig.canvas.get_width_height()
        # The image keeps its aspect ratio: its own width, height from the picture, and no
        # stretching to the height of the numbers beside it (a flex row stretches by default).
        self.image = _picture_widget(format="png", layout=widgets.Layout(
            width=f"{width}px", height="auto", align_self="flex-start", object_fit="contain"))
        self.numbers = widgets.HTML()
        wrap = widgets.Layout(flex_flow="row wrap")
        self.box = widgets.VBox([widgets.HBox(self.widgets, layout=wrap),
                                 widgets.HBox([self.image, self.numbers], layout=wrap),
                                 widgets.HTML(NAME_SLIDERS, layout=widgets.Layout(display="none"))])
        self._holding = False
        for widget in self.widgets:
            widget.observe(self._on_change, names="value")

    # --- what a subclass defines -------------------------------------------------------

    def compute(self, **values):  # pragma: no cover - each explorer defines it
        """The model: everything shown, computed from the controls' values."""
        raise NotImplementedError

    def draw(self, run) -> None:  # pragma: no cover - each explorer defines it
        """The view: move the figure's artists to show ``run``."""
        raise NotImplementedError

    def describe(self, run) -> str:  # pragma: no cover - each explorer defines it
        """The view in words: the numbers of ``run`` as plain text."""
        raise NotImplementedError

    def still_key(self):
        """What the still parts of the figure look like now (one cached picture per key)."""
        return None

    def alt_text(self) -> str:
        """The picture in words: the controls' settings, then the run's numbers."""
        settings = ", ".join(f"{control.description or control.name} {_shown(widget.value)}"
                             for control, widget in zip(self.controls, self.widgets))
        words = "; ".join(line.strip() for line in self.readout.splitlines() if line.strip())
        return " ".join(f"The run for {settings}: {words}.".split())

    def numbers_html(self) -> str:
        """The words beside the picture, as HTML."""
        return f"<pre style='margin: 0'>{html.escape(self.readout)}</pre>"

    # --- one redraw per change ---------------------------------------------------------

    def values(self) -> dict:
        """The controls' current values, by keyword."""
        return {control.name: widget.value for control, widget in zip(self.controls, self.widgets)}

    def update(self, **values) -> str:
        """Set any controls to new values (as the sliders do), redraw once, return the words.

        A value outside a slider's range is clamped to it, as the slider itself would.
        """
        unknown = set(values) - {control.name for control in self.controls}
        if unknown:
            raise TypeError(f"no control named {', '.join(sorted(unknown))}")
        self._holding = True
        try:
            for control, widget in zip(self.controls, self.widgets):
                if values.get(control.name) is not None:
                    widget.value = values[control.name]
        finally:
            self._holding = False
        self._redraw()
        return self.readout

    def _on_change(self, _change) -> None:
        if not self._holding:
            self._redraw()

    def _redraw(self) -> None:
        self.model = self.compute(**self.values())
        self.draw(self.model)
        self.readout = self.describe(self.model)
        self.image.value = self.png()
        self.image.tooltip = self.alt_text()
        self.numbers.value = self.numbers_html()

    # --- pictures and display ----------------------------------------------------------

    def render(self) -> None:
        """Draw the figure on its canvas: the still parts from cache when drawn before."""
        self.picture.draw(self.still_key())

    def png(self) -> bytes:
        """The figure as PNG bytes: the cached still parts with the moving artists over them."""
        return self.picture.png(self.still_key())

    def show(self) -> None:
        """Display the controls, the figure and the numbers."""
        IPython.display.display(self)

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The live widget where a kernel is running, and the picture and the words anywhere else."""
        bundle = dict(self.box._repr_mimebundle_(**kwargs) or {})
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = self.readout
        return bundle, {"image/png": {"alt": self.alt_text()}}
