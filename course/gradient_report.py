"""The gradient check as a tool while working: which entries of an unfinished gradient disagree.

:func:`course.gradcheck.gradient_check` gives one verdict for a gradient that already runs.
:func:`check_gradient` and :func:`check_gradients` take whatever the student has so far (a stub
that raises, ``None``, a wrong shape, NaN) and always answer in words, without raising: a notebook's
Run All goes on. When the shapes fit, each entry of the analytic gradient is compared with the
centred difference of the loss (float64), and the entries that disagree are named.

An entry's relative error is ``|a - c| / max(|a|, |c|, 1e-3 * scale)``, with ``a`` the analytic
entry, ``c`` the centred difference and ``scale`` the largest magnitude in either gradient: the
floor keeps an entry whose true value is 0 from counting the rounding noise of ``c`` as a mistake.
Entries are listed only when the whole gradient fails :func:`course.gradcheck.relative_error`'s
test, and then the worst entry is always among them.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import gradcheck

#: Entries named at most, the worst first; the count of the others is given.
SHOWN = 6
#: An entry's relative error is measured against at least this share of the gradient's largest entry.
ENTRY_FLOOR = 1e-3

NOT_WRITTEN = ("{what} is not written yet: replace the `raise NotImplementedError(...)` line with your "
               "derivation, run that cell, then run this check again. It will then name, entry by entry, "
               "where your gradient and the centred differences of the loss disagree.")


def _attempt(fn: Callable, arg: Any, what: str) -> tuple[Any, "str | None"]:
    """``(fn(arg), None)``, or ``(None, a sentence saying why it could not run)``."""
    try:
        return fn(arg), None
    except NotImplementedError:
        return None, NOT_WRITTEN.format(what=what)
    except Exception as exc:  # noqa: BLE001 (the student's unfinished code may raise anything)
        return None, f"{what} raised {type(exc).__name__}: {exc}. Try it on a small input in a scratch cell."


def _as_floats(value: Any, what: str) -> tuple["np.ndarray | None", "str | None"]:
    if value is None:
        return None, f"{what} returned None: did you forget `return`?"
    try:
        return np.asarray(value, dtype=np.float64), None
    except (TypeError, ValueError):
        return None, f"{what} returned {type(value).__name__}, not an array of numbers."


def _where(name: str, index: tuple) -> str:
    return f"{name}[{', '.join(str(i) for i in index)}]" if index else name


def _shape_message(name: str, got: tuple, want: tuple) -> str:
    said = (f"{name}: your gradient has shape {got}, the parameter has shape {want}; "
            "a gradient has its parameter's shape.")
    if len(want) == 2 and got == want[::-1] and want[0] != want[1]:
        said += " Yours is the transpose: are the factors of a product in the wrong order?"
    elif int(np.prod(got)) == int(np.prod(want)):
        said += " The sizes match: is a column where a flat array belongs, or the other way round?"
    return said


def _constant_factor(analytic: np.ndarray, numeric: np.ndarray) -> "float | None":
    """The one number ``c`` with ``analytic = c * numeric`` entry by entry, if there is one (and it is not 1)."""
    big = np.abs(numeric) > ENTRY_FLOOR * np.max(np.abs(numeric), initial=0.0)
    if not big.any():
        return None
    ratios = analytic[big] / numeric[big]
    factor = float(np.median(ratios))
    if np.allclose(ratios, factor, rtol=1e-4) and np.allclose(analytic, factor * numeric, rtol=1e-4,
                                                              atol=1e-9 * np.max(np.abs(numeric))):
        return factor
    return None


def entry_errors(analytic, numeric) -> np.ndarray:
    """Relative error of each entry, against a floor of ``ENTRY_FLOOR`` times the largest magnitude."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    scale = max(float(np.max(np.abs(analytic), initial=0.0)), float(np.max(np.abs(numeric), initial=0.0)), 1e-12)
    return np.abs(analytic - numeric) / np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), ENTRY_FLOOR * scale)


def compare(f: Callable[[np.ndarray], float], analytic: Any, x, name: str = "gradient",
            h: float = 1e-5, tolerance: float = gradcheck.AGREEMENT) -> tuple[bool, str]:
    """Compare an analytic gradient (already computed at ``x``) with centred differences of ``f``.

    Returns
    -------
    (bool, str)
        Whether they agree, and a report in words naming the entries that disagree.
    """
    x = np.array(x, dtype=np.float64)
    analytic, problem = _as_floats(analytic, name)
    if problem:
        return False, problem
    if analytic.shape != x.shape:
        return False, _shape_message(name, analytic.shape, x.shape)
    broken = [_where(name, i) for i in np.ndindex(x.shape) if not np.isfinite(analytic[i])]
    if broken:
        return False, (f"{name}: {len(broken)} entries are NaN or infinite ({', '.join(broken[:SHOWN])}): "
                       "a division by zero, or a log or exp of an extreme value?")
    try:
        numeric = gradcheck.numerical_gradient(f, x, h)
    except NotImplementedError:
        return False, f"{name}: the loss the check differentiates is not written yet; finish it first."
    except Exception as exc:  # noqa: BLE001 (the loss may be the student's unfinished code)
        return False, f"{name}: the loss raised {type(exc).__name__} ({exc}), so there is nothing to compare with."
    error = gradcheck.relative_error(analytic, numeric)
    if error < tolerance:
        return True, f"{name}: agrees with centred differences (relative error {error:.1e})."
    return False, _disagreement(name, analytic, numeric, error, tolerance)


def _disagreement(name: str, analytic: np.ndarray, numeric: np.ndarray, error: float, tolerance: float) -> str:
    errors = entry_errors(analytic, numeric)
    wrong = sorted((i for i in np.ndindex(analytic.shape) if errors[i] >= tolerance), key=lambda i: -errors[i])
    lines = [f"{name}: DISAGREES with centred differences (relative error {error:.1e}, tolerance {tolerance:.0e}); "
             f"{len(wrong)} of {analytic.size} entries differ:"]
    lines += [f"  {_where(name, i)}: yours {analytic[i]: .6g}, centred difference {numeric[i]: .6g} "
              f"(relative error {errors[i]:.1e})" for i in wrong[:SHOWN]]
    if len(wrong) > SHOWN:
        lines.append(f"  ... and {len(wrong) - SHOWN} more.")
    factor = _constant_factor(analytic, numeric)
    if factor is not None and len(wrong) > 1:
        lines.append(f"  Every entry is {factor:.4g} times the centred difference: one constant factor "
                     "(or the sign) is off, not the pattern.")
    return "\n".join(lines)


def check_gradient(f: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], Any], x,
                   name: str = "gradient", what: str = "your gradient function") -> bool:
    """Print which entries of ``grad(x)`` disagree with centred differences of ``f``; never raises.

    Parameters
    ----------
    f : callable
        The loss as a function of the parameter alone.
    grad : callable
        The student's gradient as a function of the parameter (it may still be a stub).
    x : array_like
        The point at which to compare.
    name : str
        What to call the parameter in the report (``"W"``, ``"theta"``).
    what : str
        What to call ``grad`` when it cannot run.

    Returns
    -------
    bool
        Whether the gradient agrees.
    """
    value, problem = _attempt(grad, np.array(x, dtype=np.float64), what)
    ok, report = (False, problem) if problem else compare(f, value, x, name)
    print(report)
    return ok


def check_gradients(loss_of: Callable[[dict], float], grads_of: Callable[[dict], Any], params: dict,
                    what: str = "your backward") -> bool:
    """:func:`check_gradient` for a dict of parameters: one report per key; never raises.

    ``loss_of(params)`` is the loss and ``grads_of(params)`` the student's dict of gradients, both at ``params``.
    """
    grads, problem = _attempt(grads_of, params, what)
    if problem is None and not isinstance(grads, dict):
        problem = f"{what} returned {type(grads).__name__}, not a dict with one gradient per parameter."
    if problem:
        print(problem)
        return False
    all_ok = True
    for key, value in params.items():
        if key not in grads:
            print(f"{key}: missing from the dict {what} returned.")
            all_ok = False
            continue
        ok, report = compare(lambda v, key=key: loss_of({**params, key: v}), grads[key], value, key)
        print(report)
        all_ok = all_ok and ok
    return all_ok
