"""What a cell is: nbgrader solution cells, instructor notes, the answer key, navigation, exercises, plots."""

from nbformat.v4 import new_code_cell, new_markdown_cell

from trotsky_edu.lessonkit.cells import (
    exercise_calls,
    has_solution_region,
    is_answer_key,
    is_instructor,
    is_navigation,
    is_solution,
    is_written_answer,
    shows_figure,
)


def _solution_metadata() -> dict:
    return {"nbgrader": {"solution": True, "grade": False, "locked": False, "grade_id": "x", "schema_version": 3}}


def test_is_solution_reads_nbgrader_metadata():
    """A cell is a solution cell exactly when its nbgrader metadata says so."""
    assert is_solution(new_code_cell("x = 1", metadata=_solution_metadata()))
    assert not is_solution(new_code_cell("x = 1"))
    assert not is_solution(new_code_cell("x = 1", metadata={"nbgrader": {"solution": False}}))


def test_a_written_answer_is_a_markdown_cell_graded_by_hand():
    """A markdown solution cell with ``grade`` true is a written answer; a code solution or an ungraded one is not."""
    graded = {"nbgrader": {**_solution_metadata()["nbgrader"], "grade": True, "points": 2}}
    assert is_written_answer(new_markdown_cell("A model answer", metadata=graded))
    assert not is_written_answer(new_code_cell("x = 1", metadata=graded))
    assert not is_written_answer(new_markdown_cell("Read this", metadata=_solution_metadata()))
    assert not is_written_answer(new_markdown_cell("Read this"))


def test_has_solution_region_finds_the_begin_delimiter():
    """The nbgrader delimiter marks a solution region, in code or markdown."""
    assert has_solution_region(new_code_cell("a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION"))
    assert not has_solution_region(new_markdown_cell("No answer here"))
    assert not has_solution_region(new_markdown_cell("Replace the lines after `### BEGIN SOLUTION` with your code."))


def test_tags_mark_instructor_answer_key_and_navigation_cells():
    """Instructor notes, the answer key and navigation are recognised by their tags."""
    assert is_instructor(new_markdown_cell("notes", metadata={"tags": ["instructor"]}))
    assert is_answer_key(new_code_cell('self_check("x")', metadata={"tags": ["answer-key"]}))
    assert is_navigation(new_markdown_cell("[Course index](index.md)", metadata={"tags": ["navigation"]}))
    plain = new_markdown_cell("text")
    assert not (is_instructor(plain) or is_answer_key(plain) or is_navigation(plain))


def test_navigation_must_be_markdown():
    """A code cell tagged 'navigation' is not a navigation cell."""
    assert not is_navigation(new_code_cell("1", metadata={"tags": ["navigation"]}))


def test_exercise_calls_finds_lesson_and_id_with_either_quote():
    """Each exercise("lesson", "id") call is found; commented-out calls and markdown are not."""
    cell = new_code_cell("exercise('01-revolution', 'rev-a')\n# exercise(\"01-revolution\", \"rev-b\")\nexercise(\"02-civil-war\", \"cw-c\")")
    assert exercise_calls(cell) == [("01-revolution", "rev-a"), ("02-civil-war", "cw-c")]
    assert exercise_calls(new_markdown_cell('exercise("01-revolution", "rev-a")')) == []


def test_shows_figure_ignores_comments_and_markdown():
    """A plot cell calls show_figure in code that runs."""
    assert shows_figure(new_code_cell("ax = plot_timeline()\nshow_figure(ax)"))
    assert not shows_figure(new_code_cell("ax = plot_timeline()\n# show_figure(ax)"))
    assert not shows_figure(new_markdown_cell("show_figure(ax)"))
