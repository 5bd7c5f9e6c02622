"""Descent's helper package: the code the notebooks share (the lessons' wing).

The instructor's tools (the ``descent`` command, release, grading, the site) live in
:mod:`course.instructor`; nothing here imports them. Modules, one idea each:

- :mod:`course.functions` -- objective functions with their gradients and curvatures
- :mod:`course.data` -- seeded synthetic data sets
- :mod:`course.plots` -- the one plot style, and drawing helpers
- :mod:`course.figure_text` -- every figure's text alternative, and showing it with the figure
- :mod:`course.gradcheck` -- central-difference gradient checking
- :mod:`course.gradient_report` -- the check on an unfinished gradient: which entries disagree, in words
- :mod:`course.loss_curves` -- loss-per-step plots for runs that converge or diverge
- :mod:`course.boundary_plots` -- two classes in the plane and a linear decision boundary
- :mod:`course.optim_demos`, :mod:`course.optimizer_widget` -- valleys, optimiser races and their sliders (08)
- :mod:`course.network_init`, :mod:`course.network_plots` -- the two-layer network's start and decision regions (06)
- :mod:`course.newton_plots` -- Newton's local quadratic model, drawn (03)
- :mod:`course.downhill_arrows`, :mod:`course.downhill_widget` -- -grad f as arrows across the contours of a
  bowl, and its condition-number slider (03)
- :mod:`course.saddle_plots`, :mod:`course.momentum_map` -- a saddle point, and momentum's convergence
  map per eigen-direction (08)
- :mod:`course.graph_plots` -- the two-layer network as a computation graph, and the symmetry of equal starts (06)
- :mod:`course.momentum_errors`, :mod:`course.momentum_explorer` -- the error per eigen-direction against
  the step, plain descent against momentum, and its (rate, beta) slider beside the map (08)
- :mod:`course.hidden_space` -- the data in a two-unit hidden layer's space, where XOR becomes linearly separable (06)
- :mod:`course.stochastic_demos`, :mod:`course.sgd_widget` -- mini-batch paths, gradient noise, a batch-size
  race and its slider (07)
- :mod:`course.descent` -- the demos' one descent engine, the divergence rule, step-size regimes
- :mod:`course.explorer` -- the sliders' one pattern (a model computed once, a view drawn from it)
- :mod:`course.learning_rate_widget` -- the learning-rate explorer (03)
- :mod:`course.check` -- visible self-checks and hints for the exercises
- :mod:`course.plaindata`, :mod:`course.answering` -- the kernel's side of grading: plain data only crosses

The exercises' solutions are not here: students write them.
"""
from __future__ import annotations

import warnings

from .grading_state import is_grading

__version__ = "0.1.0"
__all__ = ["is_grading", "setup"]


def setup() -> None:
    """Prepare a notebook: the course's plot style, figures shown with their text alternative;
    quiet numerical warnings while grading.

    A correct answer may warn (``np.exp`` overflowing to ``inf`` in a sigmoid still gives
    the right 0.0). nbgrader scores a test cell 0 on any stderr output, so while grading,
    warnings are silenced; students still see them when they run the notebook. While
    grading, figures are also drawn once, at a lower resolution (no test reads them; the
    feedback still shows them).
    """
    # Imported here, not at the top: they import Matplotlib's pyplot and NumPy (seconds on a cold start),
    # which `import course` alone (`descent --help`, the bundle, the kernel's answer loop) never needs.
    import numpy as np

    from .figure_text import show_with_text
    from .plots import draw_inline_figures_once, use_course_style

    use_course_style()
    show_with_text()
    if is_grading():
        draw_inline_figures_once()
        warnings.simplefilter("ignore")
        np.seterr(all="ignore")
