"""The order a student sees options in: shuffled per student and question, the same on every run.

Options written in a bank carry their author's habits (the right one first, the true
statements before the false). Shown in that order, a class learns "it's always the first".
Here each student gets an order of their own for each question, drawn from a random
generator seeded with the student and the question: a student who re-runs a lesson sees
the same order again, and two students mostly see different ones, so the position of an
answer carries no information. The student comes from
:func:`trotsky_edu.exercises.progress.student_id`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def _generator(student: str, key: str) -> random.Random:
    digest = hashlib.sha256(f"{student}\x00{key}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def shuffled(items: Sequence[T], *, student: str, key: str, unlike_given: bool = False) -> list[T]:
    """``items`` in the order ``student`` sees them for ``key`` (a question id, or id and part).

    With ``unlike_given`` the result is never the given order (for ordering questions, whose
    given order is the answer), as long as there are two or more different items.
    """
    order = list(items)
    generator = _generator(student, key)
    generator.shuffle(order)
    while unlike_given and len(set(order)) > 1 and order == list(items):
        generator.shuffle(order)
    return order
