"""Does `trotsky-edu refresh` replace stale outputs with fresh ones, and leave no widget state?"""

import nbformat
from nbformat.v4 import new_code_cell

from trotsky_edu.cli import main

LESSON = "lessons/01-first-soviet.ipynb"


def _stored_text(notebook) -> list[str]:
    return [
        output.get("text", "")
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs if output.get("output_type") == "stream"
    ]


def test_refresh_replaces_stale_outputs_and_strips_widget_state(course_dir, fixture_kernels, capsys):
    path = course_dir / LESSON
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(2, new_code_cell("print(6 * 7)"))
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nbformat.write(notebook, path)

    assert main(["refresh", "01-first-soviet"]) == 0
    assert "01-first-soviet: executed in " in capsys.readouterr().out
    refreshed = nbformat.read(path, as_version=4)
    assert "42\n" in _stored_text(refreshed)
    assert "widgets" not in refreshed.metadata
    assert refreshed.cells[2].execution_count is not None
    assert not list((course_dir / "lessons").glob("*.json")), "no progress written beside the lessons"


def test_refresh_leaves_a_failing_lesson_unchanged(course_dir, fixture_kernels, capsys):
    path = course_dir / LESSON
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(2, new_code_cell("undefined_name"))
    nbformat.write(notebook, path)
    before = path.read_bytes()
    assert main(["refresh", "01-first-soviet"]) == 1
    err = capsys.readouterr().err
    assert "cell 3 of the lesson: NameError" in err and "Traceback" not in err
    assert path.read_bytes() == before
