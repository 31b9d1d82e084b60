"""Student editions of lessons: solutions replaced, instructor notes and answer keys removed, outputs cleared.

The markings are nbgrader's: a ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region becomes
``# YOUR ANSWER HERE`` in code and ``YOUR ANSWER HERE`` in markdown; an nbgrader solution cell
without a region is replaced whole. Cells tagged ``instructor`` or ``answer-key`` are removed.
Nothing else changes: the other cells, their metadata and the lesson metadata stay as they are.
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

from nbformat import NotebookNode

from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.cells import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    has_solution_region,
    is_answer_key,
    is_instructor,
    is_solution,
)
from trotsky_edu.lessonkit.course import display_path
from trotsky_edu.lessonkit.index import INDEX_FILE
from trotsky_edu.lessonkit.notebooks import read_notebook, write_notebook

CODE_STUB = "# YOUR ANSWER HERE"
MARKDOWN_STUB = "YOUR ANSWER HERE"


def clear_solution_regions(source: str, stub: str) -> str:
    """``source`` with each solution region replaced by ``stub``, indented like its ``### BEGIN SOLUTION`` line."""
    lines, inside = [], False
    for line in source.splitlines():
        marker = line.strip()
        if marker == BEGIN_SOLUTION:
            if inside:
                raise ValueError(f"a second {BEGIN_SOLUTION} before {END_SOLUTION}")
            inside = True
            lines.append(line[: len(line) - len(line.lstrip())] + stub)
        elif marker == END_SOLUTION:
            if not inside:
                raise ValueError(f"{END_SOLUTION} without {BEGIN_SOLUTION}")
            inside = False
        elif not inside:
            lines.append(line)
    if inside:
        raise ValueError(f"{BEGIN_SOLUTION} without {END_SOLUTION}")
    return "\n".join(lines)


def student_cell(cell: NotebookNode) -> NotebookNode:
    """A copy of a kept cell as students get it: no solution, and for code no outputs or execution count."""
    cell = copy.deepcopy(cell)
    stub = CODE_STUB if cell.cell_type == "code" else MARKDOWN_STUB
    if has_solution_region(cell):
        cell.source = clear_solution_regions(cell.source, stub)
    elif is_solution(cell):
        cell.source = stub
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def student_version(notebook: NotebookNode) -> NotebookNode:
    """The student edition of a lesson notebook (the notebook passed in is not changed)."""
    student = copy.deepcopy(notebook)
    student.metadata.pop("widgets", None)
    student.cells = [student_cell(cell) for cell in notebook.cells if not (is_instructor(cell) or is_answer_key(cell))]
    return student


def write_student_copies(lessons: list[Path], out: Path, *, force: bool = False) -> list[Path]:
    """Write the student edition of each lesson into ``out`` (with the course index beside them when there is one).

    Refuses an ``out`` folder inside a lessons folder being copied, and existing files unless ``force``.
    Returns the files written.
    """
    out_abs = Path(os.path.abspath(out))
    sources: dict[Path, Path] = {}
    for lesson in lessons:
        folder = Path(os.path.abspath(lesson)).parent
        if out_abs == folder or folder in out_abs.parents:
            raise LessonkitError(
                f"--out {display_path(out)} is inside {display_path(folder)}, the lessons being copied — "
                f"choose a folder outside it, such as ../student-lessons"
            )
        sources[out_abs / Path(lesson).name] = Path(lesson)
        index = folder / INDEX_FILE
        if index.is_file():
            sources[out_abs / INDEX_FILE] = index
    existing = [target for target in sources if target.exists()]
    if existing and not force:
        names = ", ".join(display_path(target) for target in existing)
        raise LessonkitError(f"{names} already exist(s) — add --force to overwrite, or choose another --out folder")

    editions = {}
    for target, source in sources.items():
        if source.suffix == ".ipynb":
            editions[target] = _student_edition(source)
    out_abs.mkdir(parents=True, exist_ok=True)
    for target, source in sources.items():
        if target in editions:
            write_notebook(editions[target], target)
        else:
            shutil.copyfile(source, target)
    return list(sources)


def _student_edition(path: Path) -> NotebookNode:
    """Read a lesson and make its student edition; a broken solution region names the cell."""
    notebook = read_notebook(path)
    for number, cell in enumerate(notebook.cells, start=1):
        try:
            clear_solution_regions(cell.source, "")
        except ValueError as error:
            raise LessonkitError(
                f"{display_path(path)}: cell {number}: {error} — mark the whole answer, so no solution leaks"
            ) from None
    return student_version(notebook)
