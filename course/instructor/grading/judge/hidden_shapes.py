"""Keep hidden inputs' shapes out of feedback: a shape error may say that shapes disagree, not which.

An answer that fails inside NumPy (``operands could not be broadcast together with shapes (3,2)
(2,3)``) would tell the student the shapes of the hidden test's inputs. :func:`hide_shapes` keeps
the message's head (``train raised ValueError``) and says only that the shapes disagree.
"""
from __future__ import annotations

import re

__all__ = ["hide_shapes", "SHAPES_DISAGREE"]

#: What the student reads in place of a shape error's details.
SHAPES_DISAGREE = ("the shapes of two arrays disagree (which shapes is not shown: they come from the hidden "
                   "test's inputs); check the shape each step of your code gives")

# words of NumPy's shape errors, which are followed by sizes: broadcast, matmul, reshape, index, concatenate
_SHAPE_WORDS = re.compile(r"broadcast|shape|dimension|aligned|axis|size \d|mismatch|inhomogeneous", re.IGNORECASE)


def hide_shapes(message: str) -> str:
    """``message`` with the details of a shape error (sizes, shapes) replaced by :data:`SHAPES_DISAGREE`."""
    head, sep, detail = message.partition(": ")
    if not sep:
        head, detail = "", message
    if not (_SHAPE_WORDS.search(detail) and re.search(r"\d", detail)):
        return message
    return f"{head}: {SHAPES_DISAGREE}" if head else SHAPES_DISAGREE
