"""A static HTML course: every lesson executed afresh and exported, with an index page.

Lessons run in a temporary copy of the lessons folder (so nothing is written inside
``lessons/``), with ``TROTSKY_EDU_PROGRESS`` pointed at a temporary file (so rendering
records no student progress). Plots are already HTML ``<img>`` outputs with alt text and
pass through unchanged; widgets need a live kernel, so each widget output is replaced by a
note saying so (followed by whatever the widget's ``Output`` areas showed when it ran). By default the pages are the student edition (no solutions, instructor
notes or answer key), safe for a course website.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_output

from trotsky_edu.lessonkit.course import Course
from trotsky_edu.lessonkit.executor import execute, scratch_copy
from trotsky_edu.lessonkit.index import INDEX_FILE, INDEX_TITLE
from trotsky_edu.lessonkit.notebooks import read_notebook
from trotsky_edu.lessonkit.studentcopy import student_version

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
KERNEL_NOTE = "This exercise needs a running kernel: open the notebook in JupyterLab."
INDEX_PAGE = "index.html"


@dataclass(frozen=True)
class RenderedLesson:
    """One lesson page written, and how long the lesson took to execute."""

    slug: str
    page: Path
    seconds: float


def replace_widget_outputs(notebook: NotebookNode) -> int:
    """Replace every widget output with the kernel note, followed by what the widget's Output areas showed.

    An explorer that draws its plots into an ``Output`` widget keeps its first picture this
    way; the saved widget state it came from is then removed. Returns how many widget
    outputs were replaced.
    """
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    replaced = 0
    for cell in notebook.cells:
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            outputs.append(new_output(
                "display_data",
                data={
                    "text/html": f'<p class="trotsky-edu-kernel-note"><em>{html.escape(KERNEL_NOTE)}</em></p>',
                    "text/plain": KERNEL_NOTE,
                },
            ))
            outputs += [nbformat.from_dict(shown) for shown in _shown_by_widget(view.get("model_id", ""), state)]
            replaced += 1
        if cell.cell_type == "code":
            cell.outputs = outputs
    notebook.metadata.pop("widgets", None)
    return replaced


def _shown_by_widget(model_id: str, state: dict, seen: set[str] | None = None) -> list[dict]:
    """The outputs held by the ``Output`` widgets inside a widget, in the order they appear."""
    seen = set() if seen is None else seen
    model = state.get(model_id)
    if model is None or model_id in seen:
        return []
    seen.add(model_id)
    shown = list(model.get("state", {}).get("outputs", []))
    for child in model.get("state", {}).get("children", []):
        shown += _shown_by_widget(str(child).removeprefix("IPY_MODEL_"), state, seen)
    return shown


def link_pages(notebook: NotebookNode, course: Course) -> None:
    """Point markdown links to lesson notebooks and the index at their HTML pages instead."""
    targets = {entry.filename: f"{entry.slug}.html" for entry in course.lessons}
    targets[INDEX_FILE] = INDEX_PAGE
    pattern = re.compile(r"\]\((" + "|".join(re.escape(name) for name in targets) + r")([#)])")
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = pattern.sub(lambda match: f"]({targets[match.group(1)]}{match.group(2)}", cell.source)


def export_page(notebook: NotebookNode, title: str) -> str:
    """The lesson as one standalone HTML page (nbconvert's lab template)."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


def index_page(course: Course, lessons: dict[str, NotebookNode]) -> str:
    """The course's front page: every lesson in order, linked when it was rendered, with period, time and objectives."""
    items = []
    for entry in course.lessons:
        title = html.escape(entry.title)
        notebook = lessons.get(entry.slug)
        if notebook is None:
            items.append(f"<li><h2>{title}</h2><p>{html.escape(entry.period)} · not available yet</p></li>")
            continue
        meta = notebook.metadata.get("trotsky_edu", {})
        minutes = sum(value for value in (meta.get("teaching_minutes"), meta.get("exercise_minutes")) if isinstance(value, int))
        objectives = "".join(f"<li>{html.escape(str(o.get('text', '')))}</li>" for o in meta.get("objectives", []))
        items.append(
            f'<li><h2><a href="{entry.slug}.html">{title}</a></h2>'
            f"<p>{html.escape(entry.period)} · {minutes} minutes</p>"
            + (f"<p>By the end you can:</p><ul>{objectives}</ul>" if objectives else "")
            + "</li>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>trotsky_edu: {INDEX_TITLE}</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5}ul.lessons{padding-left:0;list-style:none}h2{margin-bottom:.2rem}</style>\n"
        f"</head>\n<body>\n<h1>{INDEX_TITLE}</h1>\n<ul class=\"lessons\">\n" + "\n".join(items) + "\n</ul>\n</body>\n</html>\n"
    )


def render_course(
    course: Course, lessons: list[Path], out: Path, *, instructor: bool = False, timeout: int = 600
) -> Iterator[RenderedLesson]:
    """Execute and export each lesson into ``out``, yielding each page as it is written; then write the index page.

    With ``instructor``, pages keep solutions, instructor notes and the answer key.
    """
    out.mkdir(parents=True, exist_ok=True)
    rendered: dict[str, NotebookNode] = {}
    with scratch_copy(course) as (folder, progress):
        for path in lessons:
            notebook = read_notebook(path)
            if not instructor:
                notebook = student_version(notebook)
            edition = "instructor edition" if instructor else "student edition"
            seconds = execute(notebook, path, folder=folder, progress=progress, timeout=timeout, edition=edition)
            replace_widget_outputs(notebook)
            link_pages(notebook, course)
            entry = course.entry(path.stem)
            page = out / f"{path.stem}.html"
            page.write_text(export_page(notebook, entry.title if entry else path.stem), encoding="utf-8")
            rendered[path.stem] = notebook
            yield RenderedLesson(slug=path.stem, page=page, seconds=seconds)
    (out / INDEX_PAGE).write_text(index_page(course, rendered), encoding="utf-8")
