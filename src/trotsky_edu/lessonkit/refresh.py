"""Re-run lessons and save their fresh outputs, so nbval compares against the current data.

After an instructor edits a dataset or a plot, the outputs stored in a lesson are stale and
nbval reports the difference. Refreshing executes each lesson top to bottom in a temporary
copy of the lessons folder (nothing is written there while it runs; progress goes to a
temporary file), removes the saved widget state that execution leaves in the metadata, and
writes the notebook back in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trotsky_edu.lessonkit.course import Course
from trotsky_edu.lessonkit.executor import execute, scratch_copy
from trotsky_edu.lessonkit.notebooks import read_notebook, write_notebook


@dataclass(frozen=True)
class RefreshedLesson:
    """One lesson re-executed and saved, and how long it took."""

    slug: str
    path: Path
    seconds: float


def refresh_lessons(course: Course, lessons: list[Path], *, timeout: int = 600) -> Iterator[RefreshedLesson]:
    """Execute each lesson afresh and save it with its new outputs and no widget state.

    A lesson whose cell fails raises a LessonkitError naming the cell and is left unchanged.
    """
    with scratch_copy(course) as (folder, progress):
        for path in lessons:
            notebook = read_notebook(path)
            seconds = execute(notebook, path, folder=folder, progress=progress, timeout=timeout, edition="lesson")
            notebook.metadata.pop("widgets", None)
            write_notebook(notebook, path)
            yield RefreshedLesson(slug=path.stem, path=path, seconds=seconds)
