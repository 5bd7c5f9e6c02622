"""How long does one redraw of the learning-rate explorer take? (a script, not a test)

    python tests/benchmarks/bench_widget_redraw.py

Prints, from one run on this machine, for each function of the dropdown and 200 iterations:

- the time to compute the path alone (``course.descent.path``);
- one redraw after a learning-rate or start change (the common case: path, regime, moving
  artists over the cached axes, PNG);
- one full redraw, as on axes not drawn before (a new function, or a number of iterations past
  the step axis's width): axes and ticks are drawn too. Axes drawn once are cached, so moving the
  iterations slider within a step axis (10, 25, 50, 100, 200) costs a plain redraw;

and their ratios. Target: a redraw under 100 ms, so a slider feels immediate.
"""
from __future__ import annotations

import itertools
import os
import statistics
import time

from course import descent
from course.learning_rate_widget import FUNCTIONS, LearningRateDemo

TARGET_MS = 100.0
ITERATIONS = 200
REPEATS = 15


def _median_ms(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    demo = LearningRateDemo(iterations=ITERATIONS)
    print(f"learning-rate explorer, {ITERATIONS} iterations, median of {REPEATS} "
          f"(load average now {os.getloadavg()[0]:.1f}):")
    worst = 0.0
    for name in FUNCTIONS:
        demo.update(function=name, learning_rate=0.05, start=1.0, iterations=ITERATIONS)
        grad = FUNCTIONS[name].objective.grad
        rates = itertools.cycle([0.05, 0.3, 0.1, 0.2, 0.75])
        counts = itertools.cycle([ITERATIONS - 1, ITERATIONS])
        path_ms = _median_ms(lambda: descent.path(grad, 1.0, 0.3, ITERATIONS))
        redraw_ms = _median_ms(lambda: demo.update(learning_rate=next(rates)))
        # a full redraw: the axes as never drawn before (a new function, or a new step axis)
        full_ms = _median_ms(lambda: (demo._backgrounds.clear(), demo.update(iterations=next(counts))))
        worst = max(worst, redraw_ms)
        print(f"  {' '.join(name.split()):31s} path alone {path_ms:6.2f} ms | redraw {redraw_ms:6.1f} ms "
              f"({redraw_ms / path_ms:4.0f}x the path) | full redraw {full_ms:6.1f} ms "
              f"({full_ms / path_ms:4.0f}x the path)")
    png_ms = _median_ms(demo.png)
    print(f"  drawing + PNG encoding alone, after a rate change: {png_ms:.1f} ms")
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"slowest redraw {worst:.1f} ms = {worst / TARGET_MS:.2f} x the {TARGET_MS:.0f} ms target: {verdict} it")


if __name__ == "__main__":
    main()
