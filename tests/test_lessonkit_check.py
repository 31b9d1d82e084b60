"""`trotsky-edu check`: a lesson that meets the standard passes; each way of breaking it is reported clearly."""

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.cells import BEGIN_SOLUTION, END_SOLUTION, is_answer_key, is_solution

FIXTURE = Path(__file__).parent / "fixtures" / "course"
LESSON = "lessons/01-first-soviet.ipynb"
BANK = "data/exercises/01-first-soviet.yaml"
REPO = Path(__file__).resolve().parents[1]
REAL_LESSONS = sorted((REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))


def _cell(notebook, text):
    """The first cell whose source contains ``text``."""
    return next(cell for cell in notebook.cells if text in cell.source)


def _drop(notebook, text):
    notebook.cells.remove(_cell(notebook, text))


def _set_meta(key, value):
    def mutate(notebook):
        notebook.metadata["trotsky_edu"][key] = value
    return mutate


def _del_meta(key):
    def mutate(notebook):
        del notebook.metadata["trotsky_edu"][key]
    return mutate


def _add_output(text, output):
    def mutate(notebook):
        _cell(notebook, text).outputs.append(output)
    return mutate


def _rename_heading(notebook):
    cell = _cell(notebook, "## Glossary")
    cell.source = cell.source.replace("## Glossary", "## Words")


def _objectives(notebook):
    return notebook.metadata["trotsky_edu"]["objectives"]


def _unshown_objective_exercise(notebook):
    _objectives(notebook)[1]["exercises"].append("fx-not-shown")


def _empty_objective(notebook):
    _objectives(notebook)[2]["exercises"] = []


def _rename_objective(notebook):
    _objectives(notebook)[1]["id"] = "O9"


def _typo_in_exercise_id(notebook):
    cell = _cell(notebook, '"fx-escape-year"')
    cell.source = cell.source.replace("fx-escape-year", "fx-escape-yaer")


def _exercise_from_missing_bank(notebook):
    cell = _cell(notebook, '"fx-escape-year"')
    cell.source = cell.source.replace("01-first-soviet", "09-nowhere")


def _keep_two_exercises(notebook):
    for qid in ("fx-match-people", "fx-escape-year", "fx-escape-place", "fx-manifesto", "fx-soviet-facts"):
        _drop(notebook, f'"{qid}")')


def _one_plot(notebook):
    cell = _cell(notebook, "plot_journey(")
    cell.source = "ax = plot_journey(start=1905, end=1907)"


def _set_alt(alt_argument):
    """Replace the journey map's ``show_figure`` call with one whose alt is ``alt_argument`` (Python source)."""
    def mutate(notebook):
        cell = _cell(notebook, "plot_journey(")
        cell.source = cell.source.split("show_figure(")[0] + f"show_figure(ax{alt_argument})"
    return mutate


MAP_DESCRIPTION = ("Map of Trotsky's 9 stays at 7 places, numbered and joined by arrows in order, from October 1904 "
                   "to October 1907. The longest stay is number 9, Vienna.")


def _alt_copied_from_the_output(notebook):
    """The alt repeats the generated description stored as the long description in the cell's output."""
    _set_alt(f", alt={MAP_DESCRIPTION.split('. ')[0]!r}")(notebook)
    markup = ('<div class="trotsky-edu-figure"><figure><img src="x.png" alt="x" aria-describedby="d1"></figure>'
              f'<details><summary>Full description</summary><div id="d1"><p>{MAP_DESCRIPTION}</p></div></details></div>')
    _cell(notebook, "plot_journey(").outputs = [new_output("display_data", data={"text/html": markup})]


def _markdown_image_without_alt(notebook):
    _cell(notebook, "## Key points").source += "\n\n![](poster.png)"


def _html_image_without_alt(notebook):
    _cell(notebook, "## Key points").source += '\n\n<img src="poster.png" alt="">'


def _wrong_navigation(notebook):
    notebook.cells[-1].source = "[Next](02-somewhere.ipynb)"


def _no_navigation(notebook):
    notebook.cells.pop()


def _widget_state(notebook):
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}


def _no_answer_key(notebook):
    notebook.cells = [cell for cell in notebook.cells if not is_answer_key(cell)]


def _answer_key_for_another_lesson(notebook):
    cell = next(cell for cell in notebook.cells if is_answer_key(cell))
    cell.source = cell.source.replace('self_check("01-first-soviet")', 'self_check("02-civil-war")')


def _answer_key_too_early(notebook):
    key = next(cell for cell in notebook.cells if is_answer_key(cell))
    notebook.cells.remove(key)
    notebook.cells.insert(2, key)


def _content_note_not_shown(notebook):
    cell = notebook.cells[0]
    cell.source = cell.source.split("> **Content note:**")[0]


def _unclosed_solution(notebook):
    cell = _cell(notebook, BEGIN_SOLUTION)
    cell.source = cell.source.replace(END_SOLUTION, "")


def _solution_without_metadata(notebook):
    _cell(notebook, BEGIN_SOLUTION).metadata.pop("nbgrader")


def _duplicate_grade_id(notebook):
    cells = [cell for cell in notebook.cells if is_solution(cell)]
    cells[1].metadata["nbgrader"]["grade_id"] = cells[0].metadata["nbgrader"]["grade_id"]


def _later_cell_needs_the_solution(notebook):
    solution = _cell(notebook, BEGIN_SOLUTION)
    solution.source = solution.source.replace('len(events[events["date"].dt.year == 1905])',
                                              'count = len(events[events["date"].dt.year == 1905])\ncount')
    position = notebook.cells.index(solution)
    notebook.cells.insert(position + 1, new_code_cell('print(f"{count} events")'))


BROKEN = {
    "no metadata": (lambda nb: nb.metadata.pop("trotsky_edu"), "notebook metadata has no 'trotsky_edu' section"),
    "metadata key missing": (_del_meta("teaching_minutes"), "metadata 'trotsky_edu' has no 'teaching_minutes'"),
    "lesson does not match file": (_set_meta("lesson", "01-other"), "metadata lesson is '01-other' but the file is"),
    "title differs from course.toml": (_set_meta("title", "The 1905 revolution"), "differs from 'The first soviet"),
    "period empty": (_set_meta("period", ""), "metadata period is empty"),
    "minutes not a number": (_set_meta("exercise_minutes", "fifteen"), "metadata exercise_minutes is 'fifteen'"),
    "unknown prerequisite": (_set_meta("prerequisites", ["00-nowhere"]), "prerequisite '00-nowhere' is not a lesson"),
    "content note not text": (_set_meta("content_note", 3), "content_note must be text"),
    "required heading missing": (_rename_heading, "has no section '## Glossary'"),
    "too few objectives": (lambda nb: _objectives(nb).pop(), "has 2 learning objective(s)"),
    "objective without exercise": (_empty_objective, "objective O3 is assessed by no exercise"),
    "objective lists an exercise not shown": (_unshown_objective_exercise, "lists exercise 'fx-not-shown', which the lesson does not show"),
    "bank objective unknown to the lesson": (_rename_objective, "is for objective 'O2' in its bank"),
    "exercise id not in bank": (_typo_in_exercise_id, f"exercise 'fx-escape-yaer' is not in {BANK} (did you mean 'fx-escape-year'?) — add it or fix the id"),
    "exercise from a lesson without bank": (_exercise_from_missing_bank, "which has no question bank data/exercises/09-nowhere.yaml"),
    "too few exercises and types": (_keep_two_exercises, "shows 2 exercise(s) — a lesson needs at least 6"),
    "too few exercise types": (_keep_two_exercises, "uses 2 exercise type(s)"),
    "too few plots": (_one_plot, "shows 1 plot(s) with show_figure"),
    "figure without alt": (_set_alt(""), 'show_figure has no alt= — add alt="...": one to three sentences'),
    "figure alt None": (_set_alt(", alt=None"), "show_figure has no alt="),
    "figure alt too short": (_set_alt(", alt='Where he lived.'"), "the alt= of show_figure has 3 word(s) — write at least 8"),
    "figure alt from a name": (_set_alt(", alt=ALT"), "show_figure takes its alt= from a name or a call"),
    "figure alt copies the generated description": (_alt_copied_from_the_output, "the alt= of show_figure repeats the generated description"),
    "markdown image without alt": (_markdown_image_without_alt, "an image has no alt text"),
    "html image without alt": (_html_image_without_alt, "an <img> has no alt text"),
    "bare image output": (_add_output("plot_journey(", new_output("display_data", data={"image/png": "iVBOR"})), "a bare image with no alt text"),
    "output img without alt": (_add_output("plot_journey(", new_output("display_data", data={"text/html": "<img src='x.png'>"})), "shows an <img> without alt text"),
    "navigation cell missing": (_no_navigation, "the last cell is not the navigation cell"),
    "navigation links wrong": (_wrong_navigation, "navigation links go to 02-somewhere.ipynb but course.toml gives index.md — run `trotsky-edu index`"),
    "widget state saved": (_widget_state, "saved widget state"),
    "error output stored": (_add_output("format_dual(", new_output("error", ename="NameError", evalue="name 'x' is not defined", traceback=[])), "stored output is an error (NameError"),
    "memory address stored": (_add_output("format_dual(", new_output("execute_result", data={"text/plain": "<Axes at 0x7f3a2b1c9d50>"}, execution_count=1)), "memory address ('at 0x7f3a2b1c9d50')"),
    "answer key missing": (_no_answer_key, "has no answer-key cell"),
    "answer key for another lesson": (_answer_key_for_another_lesson, "should call `self_check('01-first-soviet')`"),
    "answer key not last": (_answer_key_too_early, "should be the last code cell"),
    "content note not shown": (_content_note_not_shown, "metadata has a content note but the first cell does not show it"),
    "solution region not closed": (_unclosed_solution, "close every solution region"),
    "solution region outside a solution cell": (_solution_without_metadata, "is not a solution cell"),
    "grade id used twice": (_duplicate_grade_id, "is also used by cell"),
    "later cell needs the solution": (_later_cell_needs_the_solution, "uses 'count', which only the solution in cell 13 defines"),
}


def test_the_fixture_lesson_meets_the_standard(course_dir, capsys):
    """The fixture lesson passes every check: exit code 0 and a one-line summary."""
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.endswith("\n\n1 lesson(s) checked: no problems found.\n")


def test_check_prints_each_lessons_objectives_by_kind_of_thinking(course_dir, capsys):
    main(["check"])
    table = capsys.readouterr().out.split("\n\n")[0].splitlines()
    assert table[0] == "01-first-soviet: exercises per objective and kind of thinking"
    assert table[1].split() == ["recall", "chronology", "sourcing", "context"]
    assert [line.split() for line in table[2:]] == [["O1", "2", "1", "·", "·"], ["O2", "1", "1", "·", "·"],
                                                    ["O3", "·", "·", "1", "1"]]


def test_an_option_copied_from_the_text_just_above_its_exercise_is_reported(course_dir, capsys):
    option = "It went on meeting freely in the capital until the spring of 1907"
    bank = course_dir / BANK
    bank.write_text(bank.read_text(encoding="utf-8").replace("It went on meeting freely until 1907", option),
                    encoding="utf-8")
    assert main(["check", LESSON]) == 0
    capsys.readouterr()
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    cell = _cell(notebook, '"fx-soviet-facts"')
    notebook.cells.insert(notebook.cells.index(cell), nbformat.v4.new_markdown_cell(f"Remember: *{option.lower()}*."))
    nbformat.write(notebook, course_dir / LESSON)
    assert main(["check", LESSON]) == 1
    number = next(n for n, c in enumerate(notebook.cells, start=1) if c is cell)
    assert (f"{LESSON}: cell {number}: exercise 'fx-soviet-facts': the option {option!r} is copied word for word from "
            "the text just above it") in capsys.readouterr().err


def test_an_objective_assessed_by_recall_alone_is_reported(course_dir, capsys):
    bank = course_dir / BANK
    bank.write_text(bank.read_text(encoding="utf-8").replace("kind: chronology", "kind: recall"), encoding="utf-8")
    assert main(["check", LESSON]) == 1
    err = capsys.readouterr().err
    assert f"{LESSON}: objective O2 is assessed by recall alone in the core of the lesson — add or rewrite" in err
    assert "objective O1" in err and "objective O3" not in err


def test_an_objective_assessed_only_in_an_extension_is_reported(course_dir, capsys):
    """Moving a section to an extension moves its exercises out of the period: each objective keeps one in the core."""
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    cell = _cell(notebook, "## 2. Prison, trial and escape")
    cell.source = cell.source.replace("## 2. Prison, trial and escape", "## Extension: prison, trial and escape")
    nbformat.write(notebook, course_dir / LESSON)
    assert main(["check", LESSON]) == 1
    err = capsys.readouterr().err
    assert (f"{LESSON}: objective O2 is assessed only in extension or homework sections — keep at least one of its "
            "exercises (fx-escape-year, fx-escape-place) in the core") in err
    assert "objective O1" not in err and "objective O3" not in err


@pytest.mark.parametrize("broken", list(BROKEN), ids=list(BROKEN))
def test_check_reports_each_way_a_lesson_can_break(course_dir, capsys, broken):
    """Each mutation of the fixture is reported as one line naming the lesson (and cell), with exit code 1."""
    mutate, expected = BROKEN[broken]
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    mutate(notebook)
    nbformat.write(notebook, course_dir / LESSON)
    assert main(["check", LESSON]) == 1
    lines = capsys.readouterr().err.splitlines()
    matching = [line for line in lines if expected in line]
    assert matching, "\n".join(lines)
    assert matching[0].startswith(f"{LESSON}: ")
    assert lines[-1].endswith("problem(s) in 1 lesson(s) checked.")


def test_the_message_names_the_cell_counted_from_one(course_dir, capsys):
    """A problem in a cell gives its number, counting the title cell as cell 1."""
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    _typo_in_exercise_id(notebook)
    nbformat.write(notebook, course_dir / LESSON)
    number = next(n for n, c in enumerate(notebook.cells, start=1) if "fx-escape-yaer" in c.source)
    main(["check", LESSON])
    assert f"{LESSON}: cell {number}: exercise 'fx-escape-yaer' is not in {BANK}" in capsys.readouterr().err


def test_a_broken_question_bank_is_reported_through_the_lesson(course_dir, capsys):
    """A bank that cannot be read is reported with the bank's own problem, not a traceback."""
    (course_dir / BANK).write_text("lesson: 01-first-soviet\nquestions:\n  - id: [unclosed\n", encoding="utf-8")
    assert main(["check", LESSON]) == 1
    assert "question bank problem" in capsys.readouterr().err


def test_an_unreadable_notebook_is_one_problem(course_dir, capsys):
    """A notebook that is not JSON gives one line, not a traceback."""
    (course_dir / LESSON).write_text("{ not json", encoding="utf-8")
    assert main(["check", LESSON]) == 1
    assert f"{LESSON}: is not a readable notebook" in capsys.readouterr().err


def test_whole_course_check_finds_missing_and_unlisted_notebooks(course_dir, capsys):
    """Without names, check also compares course.toml with the notebooks in the folder."""
    with (course_dir / "lessons" / "course.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[lesson]]\nslug = "02-later"\ntitle = "Later"\nperiod = "1917"\n')
    shutil.copy(course_dir / LESSON, course_dir / "lessons" / "draft.ipynb")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "lessons/course.toml: lists 02-later but lessons/02-later.ipynb does not exist" in err
    assert "lessons/draft.ipynb: is not listed in lessons/course.toml" in err


def test_check_with_an_exercises_folder(course_dir, capsys):
    """--exercises points check at another folder of question banks."""
    shutil.move(course_dir / "data" / "exercises", course_dir / "banks")
    assert main(["check", LESSON]) == 1
    capsys.readouterr()
    assert main(["check", LESSON, "--exercises", "banks"]) == 0


@pytest.mark.skipif(not REAL_LESSONS, reason="no lessons written yet")
def test_shipped_lessons_meet_the_standard(monkeypatch, capsys):
    """`trotsky-edu check` passes on the shipped course."""
    monkeypatch.chdir(REPO)
    status = main(["check"])
    assert status == 0, capsys.readouterr().err


def test_whole_course_check_finds_question_ids_used_in_two_banks(course_dir, capsys):
    """An id used in two banks is reported once, naming both files."""
    text = (course_dir / BANK).read_text(encoding="utf-8").replace("lesson: 01-first-soviet", "lesson: 02-copy")
    (course_dir / "data" / "exercises" / "02-copy.yaml").write_text(text, encoding="utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert ("data/exercises/02-copy.yaml: question id 'fx-soviet-chair' is also used in 01-first-soviet.yaml"
            " — ids must be unique across the course") in err


def test_whole_course_check_reads_banks_no_lesson_shows(course_dir, capsys):
    """A broken bank is reported even when no lesson shows its questions."""
    (course_dir / "data" / "exercises" / "demo.yaml").write_text("lesson: demo\nquestions: 3\n", encoding="utf-8")
    assert main(["check"]) == 1
    assert "data/exercises/demo.yaml: question bank problem: " in capsys.readouterr().err


def test_a_lesson_needs_its_own_bank(course_dir, capsys):
    """A lesson without data/exercises/<slug>.yaml is told to create it."""
    (course_dir / BANK).unlink()
    assert main(["check", LESSON]) == 1
    assert f"{LESSON}: has no question bank {BANK} — create it" in capsys.readouterr().err


def test_an_alt_written_as_an_f_string_in_a_widget_function_passes(course_dir, capsys):
    """A figure redrawn for a year the student picks may build its alt text with an f-string; its fixed words count."""
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    _cell(notebook, "plot_journey(").source = (
        "def show(year):\n"
        "    ax = plot_journey(start=1905, end=year)\n"
        "    show_figure(ax, alt=f'Each stay up to {year} is numbered, and the arrows join them in the order he moved.')\n"
        "\n"
        "show(1907)")
    nbformat.write(notebook, course_dir / LESSON)
    assert main(["check", LESSON]) == 0, capsys.readouterr().err


def test_the_line_of_each_figure_is_named_when_a_cell_shows_several(course_dir, capsys):
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    cell = _cell(notebook, "plot_journey(")
    cell.source += "\n# a second map, not yet described\nshow_figure(plot_journey(start=1917, end=1918))"
    nbformat.write(notebook, course_dir / LESSON)
    assert main(["check", LESSON]) == 1
    err = capsys.readouterr().err
    number = next(n for n, c in enumerate(notebook.cells, start=1) if c is cell)
    last = len(cell.source.splitlines())
    assert f"{LESSON}: cell {number}: show_figure on line {last} has no alt=" in err
    assert "show_figure on line 2" not in err  # the first map's alt is fine
