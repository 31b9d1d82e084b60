"""What a notebook cell is: small predicates over cell metadata and source.

The markings follow nbgrader where nbgrader has one (``metadata.nbgrader.solution`` and the
``### BEGIN SOLUTION`` / ``### END SOLUTION`` delimiters), and cell tags otherwise
(``instructor``, ``answer-key``, ``navigation``).
"""

from __future__ import annotations

import re

from nbformat import NotebookNode

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"

INSTRUCTOR_TAG = "instructor"
ANSWER_KEY_TAG = "answer-key"
NAVIGATION_TAG = "navigation"

_EXERCISE_CALL = re.compile(r"""\bexercise\(\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']""")


def tags(cell: NotebookNode) -> list[str]:
    """The cell's tags (an empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def is_solution(cell: NotebookNode) -> bool:
    """Is this an nbgrader solution cell (``metadata.nbgrader.solution`` true)?"""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution", False))


def is_written_answer(cell: NotebookNode) -> bool:
    """Is this a written answer: a markdown solution cell the instructor grades by hand (nbgrader ``grade`` true)?"""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "markdown" and bool(meta.get("solution")) and bool(meta.get("grade"))


def has_solution_region(cell: NotebookNode) -> bool:
    """Does the cell's source hold a ``### BEGIN SOLUTION`` line (not merely mention it in a sentence)?"""
    return any(line.strip() == BEGIN_SOLUTION for line in cell.source.splitlines())


def is_instructor(cell: NotebookNode) -> bool:
    """Is this instructor material (tagged ``instructor``), left out of student copies?"""
    return INSTRUCTOR_TAG in tags(cell)


def is_answer_key(cell: NotebookNode) -> bool:
    """Is this the answer-key cell (tagged ``answer-key``) that answers every exercise in code?"""
    return ANSWER_KEY_TAG in tags(cell)


def is_navigation(cell: NotebookNode) -> bool:
    """Is this the navigation cell (tagged ``navigation``) with previous/index/next links?"""
    return cell.cell_type == "markdown" and NAVIGATION_TAG in tags(cell)


def exercise_calls(cell: NotebookNode) -> list[tuple[str, str]]:
    """The ``(lesson, question_id)`` of every ``exercise("lesson", "id")`` call in a code cell.

    Commented-out lines do not count: they show nothing to the student.
    """
    if cell.cell_type != "code":
        return []
    code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("#"))
    return _EXERCISE_CALL.findall(code)


def shows_figure(cell: NotebookNode) -> bool:
    """Does this code cell display a plot with ``show_figure(...)``?"""
    if cell.cell_type != "code":
        return False
    return any("show_figure(" in line and not line.lstrip().startswith("#") for line in cell.source.splitlines())
