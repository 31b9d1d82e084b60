"""A static HTML course: every lesson executed afresh and exported, with an index page.

Lessons run in a temporary copy of the lessons folder (so nothing is written inside
``lessons/``), with ``TROTSKY_EDU_PROGRESS`` pointed at a temporary file (so rendering
records no student progress). Plots are already HTML ``<img>`` outputs with alt text and
pass through unchanged; widgets need a live kernel, so each widget output is replaced by a
note saying so (followed by whatever the widget's ``Output`` areas showed when it ran). By default the pages are the student edition (no solutions, instructor
notes or answer key), safe for a course website.

The pages meet WCAG 2.2 AA (the browser tests run axe-core on every one). nbconvert's lab
template falls short in three places, which :data:`PAGE_STYLE` and :func:`fill_corner_cells`
mend: its prompts are pale grey at half opacity (2.2:1 on white), several syntax colours are
just under 4.5:1 on the code cells' grey, and links differ from the text around them by colour
alone (now underlined); and a pandas table's top-left corner is an empty header cell. The
index page has its landmarks (``header``, ``main``).
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
EMPTY_HEADER = "<th></th>"
# Contrast of at least 4.5:1 for the prompts and for the syntax colours on the code cells' grey (#f5f5f5), and
# links told apart from text by more than colour. Set after the template's own style sheet, so these win.
PAGE_STYLE = """<style>
:root {
  --jp-cell-prompt-not-active-opacity: 1;
  --jp-cell-prompt-not-active-font-color: #595959;
  --jp-cell-inprompt-font-color: #235d8c;
  --jp-cell-outprompt-font-color: #9c4127;
  --jp-mirror-editor-atom-color: #5555ff;
  --jp-mirror-editor-bracket-color: #707054;
  --jp-mirror-editor-comment-color: #3b7676;
  --jp-mirror-editor-error-color: #e00000;
  --jp-mirror-editor-hr-color: #6e6e6e;
  --jp-mirror-editor-meta-color: #a413ff;
  --jp-mirror-editor-number-color: #007e00;
  --jp-mirror-editor-operator-color: #a413ff;
  --jp-mirror-editor-quote-color: #007f00;
  --jp-mirror-editor-variable-3-color: #007e4f;
}
a, .jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }
</style>
"""


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


def fill_corner_cells(notebook: NotebookNode) -> int:
    """Make the empty top-left header cell of each HTML table output (pandas draws one) a plain cell.

    A header cell with no text names no row or column, and screen readers announce it as an
    empty header. Returns how many were changed.
    """
    changed = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            shown = output.get("data", {}).get("text/html")
            if shown is None:
                continue
            text = "".join(shown) if isinstance(shown, list) else shown
            changed += text.count(EMPTY_HEADER)
            output.data["text/html"] = text.replace(EMPTY_HEADER, "<td></td>")
    return changed


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
    return body.replace("</head>", PAGE_STYLE + "</head>", 1)


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
        f"</head>\n<body>\n<header><h1>{INDEX_TITLE}</h1></header>\n<main>\n<ul class=\"lessons\">\n"
        + "\n".join(items) + "\n</ul>\n</main>\n</body>\n</html>\n"
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
            fill_corner_cells(notebook)
            link_pages(notebook, course)
            entry = course.entry(path.stem)
            page = out / f"{path.stem}.html"
            page.write_text(export_page(notebook, entry.title if entry else path.stem), encoding="utf-8")
            rendered[path.stem] = notebook
            yield RenderedLesson(slug=path.stem, page=page, seconds=seconds)
    (out / INDEX_PAGE).write_text(index_page(course, rendered), encoding="utf-8")
