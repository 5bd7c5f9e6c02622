"""The gradients the student derives (04, 05, 06), as the text could state them, for the release scans.

The student derives ``loss_gradient`` (04), ``logistic_gradients`` (05) and the hidden layer of
``backward`` (06); their final formulas may appear only where the student sees them after grading
(hidden tests, the grader's feedback). :func:`stated` finds them in any text after
:func:`normalised` has removed the differences of notation (spaces, LaTeX spacing, ``ᵀ`` and
``\\top``, the minus sign ``−``, ``**`` and ``^``, case).
"""
from __future__ import annotations

import re

#: Each exercise's final formula, in the forms a text or a code cell writes it (already normalised).
DERIVED = {
    "loss_gradient (04)": ["outer(x,", "\\frac{2}{k}", "2/k", "2/len(", "2.0/residual.size", "x_a(p_b-t_b)",
                           "\\frac{2}{nk}x^t"],
    "logistic_gradients (05)": ["x^t(p-y)", "x.t@(p-y)", "x.t@error", "mean(p-y)", "(p_i-y_i)x_i",
                                "\\sum_i(p_i-y_i)"],
    "backward (06)": ["\\deltaz_2w_2^t", "dz2@w2.t", "dz2@params[\"w2\"].t", "\\odot(1-h^2)", "*(1-h^2)",
                      "dh*(1-h", "x^t\\deltaz_1", "x.t@dz1"],
}

_SPELLINGS = [("\u2212", "-"), ("\u1d40", "^t"), ("^\\top", "^t"), ("\\top", "^t"), ("**", "^"),
              ("\\mathrm{outer}", "outer"), ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"), ("1.0-", "1-"),
              ("\\left", ""), ("\\right", ""), ("\\big", "")]


def normalised(text: str) -> str:
    """``text`` lower-cased, without whitespace or LaTeX spacing, one spelling per symbol."""
    text = re.sub(r"\\[,;:! ]|\s+", "", text)
    for old, new in _SPELLINGS:
        text = text.replace(old, new)
    return text.lower()


def stated(text: str) -> list[str]:
    """The exercises whose derived formula ``text`` states, each with the form found."""
    flat = normalised(text)
    return [f"{exercise}: {form}" for exercise, forms in DERIVED.items() for form in forms if form in flat]
