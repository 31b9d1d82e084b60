"""nbgrader takes every lesson: it releases the student version and autogrades a student's filled-in copy.

One nbgrader course holds every lesson as an assignment of its own (``source/<lesson>/<lesson>.ipynb``),
configured with the ``nbgrader_config.py`` that docs/instructors.md ("Grade with nbgrader") shows, read
from the guide so that the guide shows what is tested. ``generate_assignment`` and ``autograde`` run once
each, for all lessons. ``trotsky-edu check`` holds the same rules for nbgrader cell metadata as nbgrader.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.cells import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    has_solution_region,
    is_answer_key,
    is_instructor,
    is_solution,
)
from trotsky_edu.lessonkit.check import nbgrader_problems
from trotsky_edu.lessonkit.studentcopy import clear_solution_regions, student_version

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "instructors.md"
LESSONS = sorted((REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))
STUDENT = "alice"

needs_nbgrader = pytest.mark.skipif(
    importlib.util.find_spec("nbgrader") is None,
    reason="nbgrader is not installed (the package's [test] extra brings it: run `make setup`)",
)


def guide_config() -> str:
    """The ``nbgrader_config.py`` that the guide's section "Grade with nbgrader" shows."""
    section = GUIDE.read_text(encoding="utf-8").split("\n## Grade with nbgrader\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)


def written_answer(grade_id: str) -> str:
    return f"My answer for {grade_id}: the sources were written for different purposes, so they disagree."


def worked_code(cell) -> str:
    """An instructor's solution cell as a student who got it right would write it: the delimiters gone."""
    return "\n".join(line for line in cell.source.splitlines() if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION))


def fill_in(release, lesson):
    """A student's submission: the release with every written answer written and every code answer done."""
    answers = {cell.metadata["nbgrader"]["grade_id"]: cell for cell in lesson.cells if is_solution(cell)}
    for cell in release.cells:
        if is_solution(cell):
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            cell.source = worked_code(answers[grade_id]) if cell.cell_type == "code" else written_answer(grade_id)
    return release


def written_answers(lesson) -> dict[str, float]:
    """``{grade_id: points}`` of the lesson's written answers (manually graded markdown cells)."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in lesson.cells
        if cell.cell_type == "markdown" and is_solution(cell)
    }


@dataclass
class Run:
    command: str
    returncode: int
    log: str


@dataclass
class Course:
    root: Path
    runs: list[Run]

    def release(self, lesson: Path) -> Path:
        return self.root / "release" / lesson.stem / lesson.name

    def autograded(self, lesson: Path) -> Path:
        return self.root / "autograded" / STUDENT / lesson.stem / lesson.name

    def log(self) -> str:
        return "\n".join(f"$ nbgrader {run.command}  (exit {run.returncode})\n{run.log[-6000:]}" for run in self.runs)


def _nbgrader(root: Path, *args: str) -> Run:
    """Run nbgrader's CLI in the course folder, with this environment's bin first on PATH (nbgrader runs alembic)."""
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(root.parent / "jupyter-config"),  # no nbgrader_config.py from the user's home
    }
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    return Run(" ".join(args), result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """Every lesson released by nbgrader, then one student's filled-in copies submitted and autograded."""
    root = tmp_path_factory.mktemp("nbgrader") / "course"
    for lesson in LESSONS:
        (root / "source" / lesson.stem).mkdir(parents=True)
        shutil.copy(lesson, root / "source" / lesson.stem / lesson.name)
    (root / "nbgrader_config.py").write_text(guide_config(), encoding="utf-8")
    runs = [_nbgrader(root, "generate_assignment", "*")]
    submitted = 0
    for lesson in LESSONS:
        release = root / "release" / lesson.stem / lesson.name
        if release.is_file():
            target = root / "submitted" / STUDENT / lesson.stem / lesson.name
            target.parent.mkdir(parents=True)
            nbformat.write(fill_in(nbformat.read(release, as_version=4), nbformat.read(lesson, as_version=4)), target)
            submitted += 1
    if submitted:
        # A busy CI machine may be slow to run a cell; nbgrader's default is 30 s a cell.
        runs.append(_nbgrader(root, "autograde", "*", "--Execute.timeout=300"))
    return Course(root, runs)


def test_the_lessons_have_written_answers_to_grade():
    assert LESSONS
    for lesson in LESSONS:
        answers = written_answers(nbformat.read(lesson, as_version=4))
        assert answers and all(points > 0 for points in answers.values()), lesson.name


@needs_nbgrader
def test_nbgrader_generates_and_autogrades_without_an_error(course):
    """Both commands succeed, and nbgrader logged no error (it only logs one for a config file it cannot load)."""
    assert [run.command.split()[0] for run in course.runs] == ["generate_assignment", "autograde"], course.log()
    for run in course.runs:
        assert run.returncode == 0, course.log()
        assert "| ERROR]" not in run.log, course.log()


@needs_nbgrader
@pytest.mark.parametrize("lesson", LESSONS, ids=[path.stem for path in LESSONS])
def test_the_release_is_the_student_copy(course, lesson):
    """nbgrader's student version has no solution, model answer, instructor note or answer key: it holds the
    cells of ``trotsky-edu student-copy``, with the same stubs."""
    assert course.release(lesson).is_file(), f"generate_assignment refused {lesson.name}:\n{course.log()}"
    release = nbformat.read(course.release(lesson), as_version=4)
    instructor = nbformat.read(lesson, as_version=4)
    text = "\n".join(cell.source for cell in release.cells)
    assert BEGIN_SOLUTION not in text and END_SOLUTION not in text
    for cell in instructor.cells:
        if is_solution(cell):
            kept = clear_solution_regions(cell.source, "").splitlines() if has_solution_region(cell) else []
            answer = set(worked_code(cell).splitlines()) - set(kept)
            assert answer and not any(line.strip() and line in text for line in answer), cell.source
    assert not any(is_instructor(cell) or is_answer_key(cell) for cell in release.cells)
    assert [(cell.cell_type, cell.source) for cell in release.cells] == [
        (cell.cell_type, cell.source) for cell in student_version(instructor).cells
    ]


@needs_nbgrader
@pytest.mark.parametrize("lesson", LESSONS, ids=[path.stem for path in LESSONS])
def test_autograde_leaves_each_written_answer_for_a_manual_grade_of_its_points(course, lesson):
    """The filled-in copy runs from the top without an error, and the gradebook holds each written answer as
    a manually graded cell worth its points."""
    from nbgrader.api import Gradebook

    assert course.autograded(lesson).is_file(), f"autograde did not grade {lesson.name}:\n{course.log()}"
    autograded = nbformat.read(course.autograded(lesson), as_version=4)
    errors = [
        (number, output.get("ename"), output.get("evalue"))
        for number, cell in enumerate(autograded.cells, start=1)
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    expected = written_answers(nbformat.read(lesson, as_version=4))
    sources = {cell.source for cell in autograded.cells}
    assert all(written_answer(grade_id) in sources for grade_id in expected)

    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}", course_id="trotsky-edu") as gradebook:
        notebook = gradebook.find_submission_notebook(lesson.stem, lesson.stem, STUDENT)
        grades = {grade.name: grade for grade in notebook.grades}
        assert {name: grade.max_score for name, grade in grades.items()} == expected
        assert all(grade.needs_manual_grade and grade.cell_type == "markdown" for grade in grades.values())
        assert all(grade.auto_score is None and grade.manual_score is None for grade in grades.values())
        assert notebook.max_score == sum(expected.values())


# Cell metadata nbgrader accepts or refuses, and whether `trotsky-edu check` agrees.
_BASE = {"grade": False, "solution": False, "locked": False, "schema_version": 3}
METADATA = {
    "code answer": ("code", {**_BASE, "solution": True, "grade_id": "a"}),
    "written answer": ("markdown", {**_BASE, "solution": True, "grade": True, "points": 2, "grade_id": "a"}),
    "written answer not graded": ("markdown", {**_BASE, "solution": True, "grade_id": "a"}),
    "markdown graded but not a solution": ("markdown", {**_BASE, "grade": True, "points": 2, "grade_id": "a"}),
    "test cell": ("code", {**_BASE, "grade": True, "points": 1.5, "grade_id": "a"}),
    "graded without points": ("code", {**_BASE, "grade": True, "grade_id": "a"}),
    "points are text": ("markdown", {**_BASE, "solution": True, "grade": True, "points": "2", "grade_id": "a"}),
    "negative points": ("code", {**_BASE, "points": -1}),
    "read-only cell": ("markdown", {**_BASE, "locked": True, "grade_id": "a"}),
    "not marked": ("code", dict(_BASE)),
    "no grade_id": ("code", {**_BASE, "solution": True}),
    "empty grade_id": ("code", {**_BASE, "solution": True, "grade_id": ""}),
    "grade_id with a space": ("code", {**_BASE, "solution": True, "grade_id": "a b"}),
    "old schema": ("code", {**_BASE, "solution": True, "grade_id": "a", "schema_version": 2}),
    "no schema": ("code", {key: value for key, value in _BASE.items() if key != "schema_version"}),
    "no locked": ("code", {key: value for key, value in _BASE.items() if key != "locked"}),
    "flag as text": ("code", {**_BASE, "solution": "true", "grade_id": "a"}),
    "unknown key": ("code", {**_BASE, "solution": True, "grade_id": "a", "rubric": "x"}),
    "task cell": ("markdown", {**_BASE, "task": True, "points": 3, "grade_id": "a"}),
    "code task cell": ("code", {**_BASE, "task": True, "points": 3, "grade_id": "a"}),
}


@needs_nbgrader
@pytest.mark.parametrize("case", list(METADATA), ids=list(METADATA))
def test_check_refuses_the_cell_metadata_nbgrader_refuses(case):
    from nbgrader.nbgraderformat import (
        MetadataValidator,
        SchemaTooNewError,
        SchemaTooOldError,
        ValidationError,
    )

    cell_type, meta = METADATA[case]
    make = new_code_cell if cell_type == "code" else new_markdown_cell
    ours = nbgrader_problems(make("x = 1", metadata={"nbgrader": dict(meta)}))
    try:
        MetadataValidator().validate_cell(make("x = 1", metadata={"nbgrader": dict(meta)}))
    except (ValidationError, SchemaTooOldError, SchemaTooNewError) as error:
        refused = f"{type(error).__name__}: {error}"
    else:
        refused = ""
    assert bool(ours) == bool(refused), f"check: {ours}\nnbgrader: {refused}"


def test_check_wants_points_above_zero_for_a_graded_cell():
    """Stricter than nbgrader, which takes 0: a graded answer worth nothing is a slip."""
    meta = {**_BASE, "solution": True, "grade": True, "points": 0, "grade_id": "a"}
    assert nbgrader_problems(new_markdown_cell("x", metadata={"nbgrader": meta}))


LESSON = "lessons/01-first-soviet.ipynb"


def _written_answer_cell(notebook):
    return next(cell for cell in notebook.cells if cell.cell_type == "markdown" and is_solution(cell))


def _ungraded(meta):
    meta["grade"] = False
    meta.pop("points")


BROKEN = {
    "written answer not graded": (_ungraded, "must also be a manually graded cell with points"),
    "written answer without points": (lambda meta: meta.pop("points"), "grade cell has points None"),
    "old schema version": (lambda meta: meta.update(schema_version=2), "schema_version is 2 — set it to 3"),
    "grade id nbgrader cannot read": (lambda meta: meta.update(grade_id="fx discuss"), "grade_id is 'fx discuss'"),
}


@pytest.mark.parametrize("broken", list(BROKEN), ids=list(BROKEN))
def test_check_reports_nbgrader_metadata_nbgrader_would_refuse(course_dir, capsys, broken):
    """The fixture lesson's written answer, broken as nbgrader would refuse it, fails `trotsky-edu check`."""
    mutate, expected = BROKEN[broken]
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    cell = _written_answer_cell(notebook)
    mutate(cell.metadata["nbgrader"])
    nbformat.write(notebook, course_dir / LESSON)
    assert main(["check", LESSON]) == 1
    number = notebook.cells.index(cell) + 1
    lines = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{LESSON}: cell {number}: ") and expected in line for line in lines), "\n".join(lines)


def test_a_new_lessons_nbgrader_metadata_is_valid(course_dir):
    """The template's exercise and written answer are cells nbgrader takes, the written answer worth points."""
    main(["new-lesson", "kronstadt", "--title", "Kronstadt", "--period", "1921"])
    notebook = nbformat.read(course_dir / "lessons" / "02-kronstadt.ipynb", as_version=4)
    assert [problem for cell in notebook.cells for problem in nbgrader_problems(cell)] == []
    assert written_answers(notebook) == {"02-kronstadt-discuss": 2}
