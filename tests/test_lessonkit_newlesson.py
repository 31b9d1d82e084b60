"""New lessons from the template: the notebook, its course entry and an empty question bank."""

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.cells import is_answer_key, is_instructor, is_navigation, is_solution, shows_figure
from trotsky_edu.lessonkit.check import REQUIRED_HEADINGS, check_lesson
from trotsky_edu.lessonkit.course import load_course
from trotsky_edu.lessonkit.newlesson import template

FIXTURE = Path(__file__).parent / "fixtures" / "course"


def test_template_has_every_part_a_lesson_needs():
    """The template shows each required section, an exercise, a plot, instructor notes, a solution, the answer key, navigation."""
    notebook = template()
    headings = {line[3:] for c in notebook.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")}
    assert set(REQUIRED_HEADINGS) <= headings
    assert any("exercise(" in c.source for c in notebook.cells if c.cell_type == "code")
    assert any(shows_figure(c) for c in notebook.cells)
    assert any(is_instructor(c) for c in notebook.cells)
    assert any(is_solution(c) and c.cell_type == "code" for c in notebook.cells)
    assert any(is_solution(c) and c.cell_type == "markdown" for c in notebook.cells)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert is_answer_key(code_cells[-1]) and "self_check(" in code_cells[-1].source
    assert is_navigation(notebook.cells[-1])
    meta = notebook.metadata["trotsky_edu"]
    assert set(meta) == {"lesson", "title", "period", "teaching_minutes", "exercise_minutes", "prerequisites",
                         "content_note", "objectives"}
    assert len(meta["objectives"]) >= 3


def test_new_lesson_creates_notebook_course_entry_and_empty_bank(course_dir, capsys):
    """`trotsky-edu new-lesson kronstadt --title ...` numbers the lesson, fills its metadata and adds it last."""
    assert main(["new-lesson", "kronstadt", "--title", "Kronstadt (March 1921)", "--period", "March 1921"]) == 0
    assert "02-kronstadt" in capsys.readouterr().out
    path = course_dir / "lessons" / "02-kronstadt.ipynb"
    text = path.read_text(encoding="utf-8")
    assert "{{" not in text, "every placeholder is filled"
    notebook = nbformat.read(path, as_version=4)
    sources = "\n".join(cell.source for cell in notebook.cells)
    meta = notebook.metadata["trotsky_edu"]
    assert (meta["lesson"], meta["title"], meta["period"]) == ("02-kronstadt", "Kronstadt (March 1921)", "March 1921")
    assert meta["prerequisites"] == ["01-first-soviet"]
    assert 'exercise("02-kronstadt", "02-kronstadt-first-question")' in sources
    assert "**Before this lesson:** [The first soviet (1905–1907)](01-first-soviet.ipynb)" in sources
    assert notebook.cells[-1].source == "---\n\n[← Previous: The first soviet (1905–1907)](01-first-soviet.ipynb) | [Course index](index.md)"
    assert [e.slug for e in load_course(course_dir / "lessons").lessons] == ["01-first-soviet", "02-kronstadt"]
    bank = course_dir / "data" / "exercises" / "02-kronstadt.yaml"
    assert yaml.safe_load(bank.read_text(encoding="utf-8")) == {"lesson": "02-kronstadt", "questions": []}


def test_a_new_lesson_has_the_structure_check_wants(course_dir):
    """`check` finds no missing metadata, section, navigation or answer key in a fresh lesson: only content to write."""
    main(["new-lesson", "kronstadt", "--title", "Kronstadt", "--period", "1921"])
    course = load_course(course_dir / "lessons")
    problems = [p.message for p in check_lesson(course.path("02-kronstadt"), course=course,
                                                exercises_folder=course.exercises_folder)]
    structural = ("metadata", "section", "navigation", "answer-key", "widget", "content note", "solution")
    assert not [m for m in problems if any(word in m for word in structural)]
    assert any("is not in data/exercises/02-kronstadt.yaml" in m for m in problems), "the example ids are flagged"
    assert not [m for m in problems if "alt=" in m], "the template's figure has alt text written for it"


def test_new_lesson_keeps_a_given_number(course_dir):
    """A slug that already starts with two digits is used as it is."""
    assert main(["new-lesson", "07-kronstadt", "--title", "Kronstadt"]) == 0
    assert (course_dir / "lessons" / "07-kronstadt.ipynb").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new-lesson", "Kronstadt Revolt", "--title", "K"], "not a usable slug"),
        (["new-lesson", "first-soviet", "--title", "   "], "title is empty"),
        (["new-lesson", "01-first-soviet", "--title", "Again"], "already exists"),
    ],
)
def test_new_lesson_refuses_bad_input_and_changes_nothing(course_dir, capsys, argv, message):
    """A bad slug, an empty title or an existing lesson is refused with a message; course.toml is unchanged."""
    before = (course_dir / "lessons" / "course.toml").read_text(encoding="utf-8")
    assert main(argv) == 1
    assert message in capsys.readouterr().err
    assert (course_dir / "lessons" / "course.toml").read_text(encoding="utf-8") == before


def test_new_lesson_outside_a_checkout_says_where_it_looked(tmp_path, monkeypatch, capsys):
    """Run outside a course, new-lesson explains that no lessons/course.toml was found."""
    monkeypatch.chdir(tmp_path)
    assert main(["new-lesson", "kronstadt", "--title", "K"]) == 1
    assert "no lessons/course.toml found" in capsys.readouterr().err


def test_new_lesson_folders_can_be_chosen(tmp_path, monkeypatch):
    """--lessons and --exercises put the notebook and the bank where they are asked to go."""
    shutil.copytree(FIXTURE / "lessons", tmp_path / "my-lessons")
    monkeypatch.chdir(tmp_path)
    assert main(["new-lesson", "kronstadt", "--title", "K", "--lessons", "my-lessons", "--exercises", "banks"]) == 0
    assert (tmp_path / "my-lessons" / "02-kronstadt.ipynb").is_file()
    assert (tmp_path / "banks" / "02-kronstadt.yaml").is_file()
