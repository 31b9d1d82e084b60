"""The course index (``lessons/index.md``) and every lesson's navigation cell, built from ``course.toml``.

Nothing here is edited by hand: change the order in ``course.toml`` (or a lesson's metadata) and
run ``trotsky-edu index`` again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell

from trotsky_edu.lessonkit.cells import NAVIGATION_TAG, is_navigation
from trotsky_edu.lessonkit.course import Course
from trotsky_edu.lessonkit.notebooks import read_notebook, write_notebook

INDEX_FILE = "index.md"
INDEX_TITLE = "Course index"


@dataclass(frozen=True)
class IndexResult:
    """What ``rebuild_index`` changed, and the lessons it could not find."""

    index_written: bool
    notebooks_written: list[Path]
    missing: list[Path]


def navigation_links(course: Course, slug: str) -> list[tuple[str, str]]:
    """The ``(label, target)`` links of a lesson's navigation cell: previous, index, next."""
    previous, following = course.neighbours(slug)
    links = []
    if previous is not None:
        links.append((f"← Previous: {previous.title}", previous.filename))
    links.append((INDEX_TITLE, INDEX_FILE))
    if following is not None:
        links.append((f"Next: {following.title} →", following.filename))
    return links


def navigation_markdown(course: Course, slug: str) -> str:
    """The source of a lesson's navigation cell."""
    return "---\n\n" + " | ".join(f"[{label}]({target})" for label, target in navigation_links(course, slug))


def set_navigation(notebook: NotebookNode, source: str) -> bool:
    """Make the last cell the navigation cell with this source (replacing an old one, or appending).

    Returns whether the notebook changed.
    """
    if notebook.cells and is_navigation(notebook.cells[-1]):
        if notebook.cells[-1].source == source:
            return False
        notebook.cells[-1].source = source
    else:
        notebook.cells.append(new_markdown_cell(source, metadata={"tags": [NAVIGATION_TAG]}))
    return True


def index_markdown(course: Course, lessons: dict[str, NotebookNode]) -> str:
    """The course map: every lesson in order with its title, period, minutes and objectives.

    ``lessons`` maps slugs to notebooks; a lesson without a notebook is listed as not written yet.
    """
    lines = [
        f"# {INDEX_TITLE}",
        "",
        "<!-- Built by `trotsky-edu index` from course.toml and the lessons' metadata: edit those, not this file. -->",
        "",
    ]
    for entry in course.lessons:
        lines.append(f"## [{entry.title}]({entry.filename})")
        lines.append("")
        notebook = lessons.get(entry.slug)
        if notebook is None:
            lines += [f"*Period:* {entry.period} · *not written yet*", ""]
            continue
        meta = notebook.metadata.get("trotsky_edu", {})
        teaching, exercises = _minutes(meta, "teaching_minutes"), _minutes(meta, "exercise_minutes")
        lines.append(
            f"*Period:* {entry.period} · *Time:* {teaching + exercises} minutes "
            f"({teaching} teaching, {exercises} exercises)"
        )
        lines.append("")
        objectives = meta.get("objectives", [])
        if objectives:
            lines.append("By the end you can:")
            lines.append("")
            lines += [f"- {objective.get('text', '')}" for objective in objectives]
            lines.append("")
    return "\n".join(lines)


def rebuild_index(course: Course) -> IndexResult:
    """Write ``index.md`` and every existing lesson's navigation cell; report what changed."""
    lessons, missing, written = {}, [], []
    for entry in course.lessons:
        path = course.path(entry.slug)
        if path.is_file():
            lessons[entry.slug] = read_notebook(path)
        else:
            missing.append(path)
    for slug, notebook in lessons.items():
        if set_navigation(notebook, navigation_markdown(course, slug)):
            write_notebook(notebook, course.path(slug))
            written.append(course.path(slug))
    index_path = course.folder / INDEX_FILE
    text = index_markdown(course, lessons) + "\n"
    index_written = not index_path.is_file() or index_path.read_text(encoding="utf-8") != text
    if index_written:
        index_path.write_text(text, encoding="utf-8")
    return IndexResult(index_written=index_written, notebooks_written=written, missing=missing)


def _minutes(meta: dict, key: str) -> int:
    """A minutes field of the lesson metadata, 0 when it is missing or not a whole number."""
    value = meta.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
