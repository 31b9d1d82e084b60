"""Student editions: solutions replaced, instructor notes and answer keys removed, outputs cleared, nothing else changed."""

import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.cells import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    has_solution_region,
    is_answer_key,
    is_instructor,
    is_solution,
)
from trotsky_edu.lessonkit.studentcopy import CODE_STUB, MARKDOWN_STUB, clear_solution_regions, student_version

FIXTURE = Path(__file__).parent / "fixtures" / "course"
REPO_LESSONS = Path(__file__).resolve().parents[1] / "lessons"
REAL_LESSONS = sorted(REPO_LESSONS.glob("[0-9][0-9]-*.ipynb"))


def _solution(source: str, cell=new_code_cell):
    return cell(source, metadata={"nbgrader": {"solution": True, "grade": False, "locked": False,
                                               "grade_id": "g", "schema_version": 3}})


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_clear_solution_regions_keeps_code_around_and_indentation():
    """Only the region is replaced, by the stub indented like the BEGIN line; several regions each get one."""
    source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\nx = 2\n### BEGIN SOLUTION\ny = 3\n### END SOLUTION"
    assert clear_solution_regions(source, CODE_STUB) == f"def f():\n    {CODE_STUB}\nx = 2\n{CODE_STUB}"


@pytest.mark.parametrize(
    "source",
    [f"{BEGIN_SOLUTION}\nx = 1", f"x = 1\n{END_SOLUTION}", f"{BEGIN_SOLUTION}\n{BEGIN_SOLUTION}\n{END_SOLUTION}"],
)
def test_unbalanced_solution_regions_are_refused(source):
    """A region that is not closed (or closed twice) is an error, so no solution can leak."""
    with pytest.raises(ValueError):
        clear_solution_regions(source, CODE_STUB)


def test_student_version_removes_and_replaces_exactly_what_it_should():
    """Instructor and answer-key cells go; solutions become stubs; outputs, counts and widget state are cleared."""
    kept_markdown = new_markdown_cell("## Questions", metadata={"custom": 1})
    code = new_code_cell("x = 1", execution_count=3, outputs=[new_output("stream", text="hi")], metadata={"tags": ["keep"]})
    notebook = new_notebook(cells=[
        kept_markdown,
        new_markdown_cell("secret notes", metadata={"tags": ["instructor"]}),
        code,
        _solution(f"a = 1\n{BEGIN_SOLUTION}\nb = 2\n{END_SOLUTION}"),
        _solution("The model answer.", cell=new_markdown_cell),
        _solution("answer = 42"),
        new_code_cell('self_check("x")', metadata={"tags": ["answer-key"]}),
    ])
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    notebook.metadata["trotsky_edu"] = {"lesson": "x"}

    student = student_version(notebook)

    assert [cell.source for cell in student.cells] == [
        "## Questions", "x = 1", f"a = 1\n{CODE_STUB}", MARKDOWN_STUB, CODE_STUB,
    ]
    assert student.cells[0].metadata == {"custom": 1}
    assert student.cells[1].outputs == [] and student.cells[1].execution_count is None
    assert student.cells[1].metadata == {"tags": ["keep"]}
    assert student.cells[2].metadata["nbgrader"]["grade_id"] == "g"
    assert "widgets" not in student.metadata
    assert student.metadata["trotsky_edu"] == {"lesson": "x"}
    assert len(notebook.cells) == 7 and "widgets" in notebook.metadata, "the original is untouched"


def test_student_copy_of_the_whole_course(course_dir):
    """`trotsky-edu student-copy --out ../student-lessons` writes every lesson and the index; sources stay as they were."""
    main(["index"])
    before = _digest(course_dir / "lessons")
    assert main(["student-copy", "--out", "../student-lessons"]) == 0
    out = course_dir.parent / "student-lessons"
    assert sorted(p.name for p in out.iterdir()) == ["01-first-soviet.ipynb", "index.md"]
    assert _digest(course_dir / "lessons") == before
    student = nbformat.read(out / "01-first-soviet.ipynb", as_version=4)
    text = (out / "01-first-soviet.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "A model answer" not in text and "self_check" not in text
    assert not any(is_instructor(cell) or is_answer_key(cell) for cell in student.cells)
    assert all(cell.outputs == [] for cell in student.cells if cell.cell_type == "code")


def test_student_copy_refuses_to_overwrite_without_force(course_dir, capsys):
    """An existing student copy is kept unless --force is given."""
    out = course_dir.parent / "student-lessons"
    assert main(["student-copy", "--out", str(out)]) == 0
    (out / "01-first-soviet.ipynb").write_text("edited by hand", encoding="utf-8")
    assert main(["student-copy", "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert (out / "01-first-soviet.ipynb").read_text(encoding="utf-8") == "edited by hand"
    assert main(["student-copy", "lessons/01-first-soviet.ipynb", "--out", str(out), "--force"]) == 0
    assert nbformat.read(out / "01-first-soviet.ipynb", as_version=4).cells


@pytest.mark.parametrize("out", ["lessons", "lessons/student"])
def test_student_copy_refuses_an_out_folder_inside_the_lessons(course_dir, capsys, out):
    """The student copy is never written over or inside the lessons it copies."""
    before = _digest(course_dir / "lessons")
    assert main(["student-copy", "--out", out]) == 1
    assert "inside" in capsys.readouterr().err
    assert _digest(course_dir / "lessons") == before
    assert not (course_dir / "lessons" / "student").exists()


def test_student_copy_names_the_cell_with_an_unclosed_solution(course_dir, capsys):
    """A solution region without its END line stops the copy and names the cell."""
    path = course_dir / "lessons" / "01-first-soviet.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if BEGIN_SOLUTION in c.source)
    cell.source = cell.source.replace(END_SOLUTION, "")
    nbformat.write(notebook, path)
    assert main(["student-copy", "--out", "../out"]) == 1
    err = capsys.readouterr().err
    assert f"cell {notebook.cells.index(cell) + 1}:" in err and "without ### END SOLUTION" in err
    assert not (course_dir.parent / "out").exists()


@pytest.mark.skipif(not REAL_LESSONS, reason="no lessons written yet")
def test_student_copies_of_the_shipped_lessons_hold_no_solutions_or_notes(tmp_path):
    """Every shipped lesson's student copy has no solution, instructor note or answer key left."""
    out = tmp_path / "student"
    assert main(["student-copy", *map(str, REAL_LESSONS), "--out", str(out)]) == 0
    for path in REAL_LESSONS:
        student = nbformat.read(out / path.name, as_version=4)
        assert not any(is_instructor(cell) or is_answer_key(cell) for cell in student.cells), path.name
        assert not any(has_solution_region(cell) for cell in student.cells), path.name
        assert "widgets" not in student.metadata


def _restore_outputs(student_path: Path, instructor_path: Path) -> None:
    """Put the instructor edition's stored outputs and execution counts back into every non-solution code cell.

    Student copies have no outputs; nbval compares against stored ones, and needs an
    execution count to treat a cell as run. Cells are matched by id.
    """
    runs = {cell.id: cell for cell in nbformat.read(instructor_path, as_version=4).cells if cell.cell_type == "code"}
    student = nbformat.read(student_path, as_version=4)
    for cell in student.cells:
        if cell.cell_type == "code" and not is_solution(cell):
            cell.outputs, cell.execution_count = runs[cell.id].outputs, runs[cell.id].execution_count
    nbformat.write(student, student_path)


def _nbval(paths: list[Path], folder: Path) -> subprocess.CompletedProcess:
    """Strict nbval (with the course's sanitize file) over ``paths``, run apart from the project's pytest settings."""
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    sanitize = Path(__file__).parent / "nbval_sanitize.cfg"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(folder / "pytest.ini"), "-p", "no:cacheprovider", "-q",
         "--nbval", "--nbval-sanitize-with", str(sanitize), *map(str, paths)],
        capture_output=True, text=True, cwd=folder, timeout=1200,
    )


def test_student_copy_passes_nbval_on_every_cell_but_the_solutions(course_dir, tmp_path, fixture_kernels):
    """Under strict nbval the student copy's cells give the instructor edition's outputs; solution stubs run cleanly."""
    out = tmp_path / "student"
    assert main(["student-copy", "--out", str(out)]) == 0
    _restore_outputs(out / "01-first-soviet.ipynb", course_dir / "lessons" / "01-first-soviet.ipynb")
    result = _nbval([out / "01-first-soviet.ipynb"], tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in result.stdout


@pytest.mark.skipif(not REAL_LESSONS, reason="no lessons written yet")
def test_student_copies_of_the_shipped_lessons_pass_nbval_except_solutions(tmp_path):
    """Each shipped lesson's student copy passes strict nbval on its non-solution cells, solution stubs included."""
    out = tmp_path / "student"
    assert main(["student-copy", *map(str, REAL_LESSONS), "--out", str(out)]) == 0
    for path in REAL_LESSONS:
        _restore_outputs(out / path.name, path)
    result = _nbval([out / path.name for path in REAL_LESSONS], tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
