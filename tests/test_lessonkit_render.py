"""`trotsky-edu render`: every lesson executed afresh and written as a static HTML course."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.course import load_course
from trotsky_edu.lessonkit.render import (
    KERNEL_NOTE,
    PAGE_STYLE,
    WIDGET_VIEW,
    export_page,
    fill_corner_cells,
    index_page,
    link_pages,
    replace_widget_outputs,
)

FIXTURE = Path(__file__).parent / "fixtures" / "course"


def test_widget_outputs_become_the_kernel_note():
    """Each widget output is replaced by the note; other outputs and saved widget state are handled too."""
    widget = new_output("execute_result", data={WIDGET_VIEW: {"model_id": "abc"}, "text/plain": "W"}, execution_count=1)
    text = new_output("stream", text="kept")
    notebook = new_notebook(cells=[new_code_cell("exercise('a', 'b')", outputs=[widget, text])])
    notebook.metadata["widgets"] = {}
    assert replace_widget_outputs(notebook) == 1
    note, kept = notebook.cells[0].outputs
    assert KERNEL_NOTE in note.data["text/html"] and WIDGET_VIEW not in note.data
    assert kept.text == "kept"
    assert "widgets" not in notebook.metadata


def test_what_an_output_widget_showed_is_kept_after_the_note():
    """An explorer's Output area (inside a box) still shows its picture on the page, after the note."""
    picture = {"output_type": "display_data", "metadata": {}, "data": {"text/html": '<img alt="chart" src="c.png">'}}
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_out"]}},
        "slider": {"model_name": "IntSliderModel", "state": {}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [picture]}},
    }
    widget = new_output("display_data", data={WIDGET_VIEW: {"model_id": "box"}, "text/plain": "VBox()"})
    notebook = new_notebook(cells=[new_code_cell("explorer", outputs=[widget])])
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    replace_widget_outputs(notebook)
    note, shown = notebook.cells[0].outputs
    assert KERNEL_NOTE in note.data["text/plain"]
    assert shown.data["text/html"] == '<img alt="chart" src="c.png">'


def test_the_empty_corner_of_a_pandas_table_becomes_a_plain_cell():
    """A header cell must have text; the blank corner pandas draws above the index is no header at all."""
    table = '<table><thead><tr style="text-align: right;"><th></th><th>year</th></tr></thead>' \
            "<tbody><tr><th>0</th><td>1905</td></tr></tbody></table>"
    output = new_output("execute_result", data={"text/html": table, "text/plain": "year"}, execution_count=1)
    notebook = new_notebook(cells=[new_code_cell("events", outputs=[output])])
    assert fill_corner_cells(notebook) == 1
    shown = notebook.cells[0].outputs[0].data["text/html"]
    assert "<th></th>" not in shown and "<td></td><th>year</th>" in shown and "<th>0</th>" in shown


def test_pages_get_the_contrast_style_after_the_template_and_the_index_has_landmarks():
    """Prompts, syntax colours and links are mended after nbconvert's own style sheet (so they win)."""
    page = export_page(new_notebook(cells=[new_markdown_cell("[Back](index.html)")]), "A lesson")
    head = page[: page.index("</head>")]
    assert head.endswith(PAGE_STYLE) and "--jp-cell-prompt-not-active-opacity: 1" in PAGE_STYLE
    assert "text-decoration: underline" in PAGE_STYLE
    index = index_page(load_course(FIXTURE / "lessons"), {})
    assert "<header><h1>" in index and "<main>" in index and index.index("<main>") < index.index('class="lessons"')


def test_links_to_lessons_and_the_index_point_at_pages():
    """Navigation links to notebooks and index.md become links to the HTML pages; other links stay."""
    course = load_course(FIXTURE / "lessons")
    notebook = new_notebook(cells=[new_markdown_cell(
        "[Course index](index.md) | [Back](01-first-soviet.ipynb#top) | [Elsewhere](notes.ipynb)")])
    link_pages(notebook, course)
    assert notebook.cells[0].source == "[Course index](index.html) | [Back](01-first-soviet.html#top) | [Elsewhere](notes.ipynb)"


def test_render_writes_the_course_as_html(course_dir, fixture_kernels, capsys):
    """`trotsky-edu render --out site` writes index.html and a page per lesson with its plots and the kernel note."""
    before = {p.name: p.read_bytes() for p in (course_dir / "lessons").iterdir()}
    assert main(["render", "--out", "site"]) == 0
    out = capsys.readouterr().out
    assert "01-first-soviet: executed in " in out and " s → site/01-first-soviet.html" in out
    index = (course_dir / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="01-first-soviet.html">The first soviet (1905–1907)</a>' in index
    page = (course_dir / "site" / "01-first-soviet.html").read_text(encoding="utf-8")
    assert page.count("<img alt=") >= 2, "both plots, with alt text"
    assert page.count(KERNEL_NOTE) == 7, "one note per exercise"
    assert "Instructor notes" not in page and "BEGIN SOLUTION" not in page, "the student edition by default"
    assert 'href="index.html"' in page
    assert {p.name: p.read_bytes() for p in (course_dir / "lessons").iterdir()} == before, "nothing written in lessons/"


def test_render_instructor_edition_keeps_notes_and_answer_key(course_dir, fixture_kernels):
    """--instructor keeps the instructor notes, the solution and the answer key's summary."""
    assert main(["render", "--out", "site-instructor", "--instructor"]) == 0
    page = (course_dir / "site-instructor" / "01-first-soviet.html").read_text(encoding="utf-8")
    assert "Instructor notes" in page and "BEGIN SOLUTION" in page and "7 questions checked" in page


def test_render_names_the_failing_cell(course_dir, fixture_kernels, capsys):
    """A lesson that fails to run stops the render with the lesson, cell and error, not a traceback."""
    path = course_dir / "lessons" / "01-first-soviet.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(2, new_code_cell("undefined_name"))
    nbformat.write(notebook, path)
    assert main(["render", "01-first-soviet", "--out", "site"]) == 1
    err = capsys.readouterr().err
    assert "lessons/01-first-soviet.ipynb: cell 3 of the student edition: NameError" in err
    assert "Traceback" not in err
