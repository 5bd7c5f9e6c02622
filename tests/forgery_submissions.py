"""Submissions of 01_loss_functions that try to forge the grader's verdict or escape through it.

Each attack of issue "The grader's verdict cannot be forged" is its own student. ``base`` says
what the other answer cells hold: ``blank`` (the release stubs: no exercise solved, so the
attack must score 0) or ``answered`` (every exercise right: a correct answer that also
attacks keeps its marks). The attack code goes into the ``mse`` answer cell, or into extra
cells the student added at the ``top`` (after the setup cell) or at the ``end``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

WRONG_MSE = "def mse(p, t):\n    return 0.0\n"


@dataclass
class Attack:
    mse: str = ""                 # the mse answer cell ("" keeps the base's)
    top: list = field(default_factory=list)   # code cells added after the setup cell
    end: list = field(default_factory=list)   # code cells added at the end
    markdown: str = ""            # a markdown cell added at the end
    raw: str = ""                 # a raw cell added at the end
    base: str = "blank"
    total: float = 0.0
    flag: str = ""                # words one of the flags must contain


def attacks(paths: dict) -> dict[str, Attack]:
    """The attacks, given the absolute ``paths`` a determined student would aim at (course files, a secret)."""
    gradebook, source, secret = paths["gradebook"], paths["source"], paths["secret"]
    return {
        "rebinds_names": Attack(
            "class Fake:\n    def __getattr__(self, name):\n        return lambda *a, **k: True\n"
            "    def __call__(self, *a, **k):\n        return True\n"
            "np = Fake()\ncheck = Fake()\n" + WRONG_MSE, flag="rebinds names"),
        "swaps_code": Attack(
            "import numpy, course.check\n_yes = lambda *a, **k: True\n"
            "for _f in (numpy.isclose, numpy.allclose):\n"
            "    try:\n        _f._implementation.__code__ = _yes.__code__\n    except Exception:\n        pass\n"
            "course.check.run.__code__ = (lambda *a, **k: None).__code__\n" + WRONG_MSE,
            flag="rewrites functions"),
        "overwrites_restore_hook": Attack(
            "__descent_restore = lambda: []\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
            + WRONG_MSE),
        "repatching_thread": Attack(
            "import threading, time, numpy\n"
            "def _patch():\n    while True:\n        numpy.allclose = numpy.isclose = lambda *a, **k: True\n"
            "        time.sleep(0.001)\n"
            "threading.Thread(target=_patch, daemon=True).start()\n" + WRONG_MSE, flag="starts threads"),
        "ast_transformer": Attack(
            "import ast\n"
            "class _Forgiving(ast.NodeTransformer):\n"
            "    def visit_Assert(self, node):\n        return ast.Pass()\n"
            "    def visit_Module(self, node):\n        self.generic_visit(node)\n"
            "        catch = ast.ExceptHandler(type=ast.Name('BaseException', ast.Load()), name=None, body=[ast.Pass()])\n"
            "        body = [ast.Try(body=node.body or [ast.Pass()], handlers=[catch], orelse=[], finalbody=[])]\n"
            "        return ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))\n"
            "get_ipython().ast_transformers.append(_Forgiving())\n" + WRONG_MSE,
            flag="installs IPython or tracing hooks"),
        "fake_numpy_then_exit": Attack(
            "import os, pathlib\npathlib.Path('numpy').mkdir(exist_ok=True)\n"
            "pathlib.Path('numpy/__init__.py').write_text('def isclose(*a, **k):\\n    return True\\n"
            "allclose = isclose\\n')\n" + WRONG_MSE + "os._exit(1)\n", flag="kernel died"),
        "array_impostor": Attack(
            "class Liar:\n    def __array_function__(self, *a, **k):\n        return True\n"
            "    def __array_ufunc__(self, *a, **k):\n        return True\n"
            "    def __eq__(self, other):\n        return True\n    def __float__(self):\n        return 0.0\n"
            "    def __lt__(self, other):\n        return True\n    __le__ = __gt__ = __ge__ = __lt__\n"
            "def mse(p, t):\n    return Liar()\nmae = sigmoid = log_loss = lambda *a, **k: Liar()\n"
            "def neuron_mse(w, b, x, t):\n    return Liar()\n", flag="pose as arrays"),
        "links_graded_notebook": Attack(
            "import os, glob\nfor _nb in glob.glob('*.ipynb'):\n    os.remove(_nb)\n"
            f"os.symlink({gradebook!r}, 'loss_functions.ipynb')\n" + WRONG_MSE, flag="makes links"),
        "links_graded_notebook_correct": Attack(
            "import os\n"
            f"os.symlink({gradebook!r}, 'loss_functions.ipynb')\n"
            "def mse(p, t):\n    return float(np.mean((np.asarray(p, float) - np.asarray(t, float)) ** 2))\n",
            base="answered", total=12.0, flag="makes links"),
        "links_for_feedback": Attack(
            "import os\n"
            f"for _target, _name in (({source!r}, 'leak.ipynb'), ({secret!r}, 'secret.txt'), ('/etc/shadow', 'shadow.txt')):\n"
            "    try:\n        os.symlink(_target, _name)\n    except OSError:\n        pass\n"
            "open('notes.html', 'w').write('<script>window.PWNED = 1</script>')\n" + WRONG_MSE,
            flag="makes links"),
        "links_in_socket_folder": Attack(
            "import os, ipykernel\n"
            "_d = os.path.dirname(ipykernel.get_connection_file())\n"
            "for _name in os.listdir(_d):\n    try:\n        os.remove(os.path.join(_d, _name))\n"
            "    except OSError:\n        pass\n"
            f"for _name in ('kernel.json', 'answers', 'x'):\n    os.symlink({secret!r}, os.path.join(_d, _name))\n"
            "os._exit(1)\n",
            end=[f"print(open({secret!r}).read())"], flag="kernel died"),
        "prints_history": Attack(
            WRONG_MSE, end=["print(In)\nprint(_ih)\nprint(Out)\nprint(sorted(globals()))"]),
        "scripts_in_feedback": Attack(
            WRONG_MSE,
            end=["from IPython.display import HTML, Javascript, SVG, display\n"
                 "display(HTML('<script>window.PWNED = 2</script><b onmouseover=\"window.PWNED = 3\">hi</b>'))\n"
                 "display(Javascript('window.PWNED = 4'))\n"
                 "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\"><script>window.PWNED = 5</script></svg>'))\n"
                 "display({'image/png': '\"><script>window.PWNED = 6</script>', 'text/plain': 'x'}, raw=True)\n"],
            markdown="<script>window.PWNED = 7</script><img src=x onerror=\"window.PWNED = 8\">\n"
                     "[click](javascript:window.PWNED=9)",
            raw="<script>window.PWNED = 10</script>"),
        "huge_html_output": Attack(
            WRONG_MSE, end=["from IPython.display import HTML, display\n"
                            "display(HTML('<p>' + 'x' * 30_000_000 + '</p>'))"], base="answered", total=7.0),
        "crashes_and_sleeps": Attack(
            top=["import time\ntime.sleep(1)", "import os\nos._exit(1)"] * 4, base="answered", total=12.0,
            flag="kernel died"),
    }
