"""How long a lesson takes: the estimate per section, the settings in course.toml, and the rules `check` applies."""

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from trotsky_edu.cli import main
from trotsky_edu.exercises.bank import read_bank
from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.course import load_course
from trotsky_edu.lessonkit.timing import DEFAULT_EXERCISE_MINUTES, TimingSettings, count_words, estimate

FIXTURE = Path(__file__).parent / "fixtures" / "course"
LESSON = "lessons/01-first-soviet.ipynb"
REPO = Path(__file__).resolve().parents[1]
REAL_LESSONS = sorted((REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))
WRITTEN_ANSWER = {"nbgrader": {"solution": True, "grade": True, "points": 2, "locked": False, "grade_id": "w",
                               "schema_version": 3}}
CODE_ANSWER = {"nbgrader": {"solution": True, "grade": False, "locked": False, "grade_id": "c", "schema_version": 3}}


def _words(count: int) -> str:
    return " ".join(["word"] * count)


def _question_types(folder: Path):
    """``question_type(lesson, id)`` over the banks in ``folder``, as `check` gives it."""
    banks = {path.stem: read_bank(path) for path in folder.glob("*.yaml")}

    def question_type(lesson, qid):
        bank = banks.get(lesson)
        return bank.question(qid).type if bank is not None and qid in bank.ids() else None
    return question_type


def _small_lesson():
    """A lesson whose estimate is worked out by hand in the test below."""
    ex = 'exercise("01-first-soviet", "{}")'.format
    return new_notebook(cells=[
        new_markdown_cell("# A lesson\n\n" + _words(28)),                                   # 2 + 28 = 30 words
        new_markdown_cell("## 1. First\n\n" + _words(148)),                                 # 2 + 148 = 150 words
        new_markdown_cell(_words(300), metadata={"tags": ["instructor"]}),                  # not read by students
        new_code_cell(ex("fx-soviet-chair") + "\n" + ex("fx-order-1905")),                  # single 1.5 + ordering 2
        new_code_cell("ax = plot_timeline()\nshow_figure(ax)  # or show_figure(ax, alt=...)"),  # one figure
        new_code_cell("# show_figure(ax)\n" + ex("fx-no-such-question")),                   # nothing counted
        new_code_cell("x = 1\n### BEGIN SOLUTION\nx + 1\n### END SOLUTION", metadata=CODE_ANSWER),  # code 4
        new_markdown_cell("## Primary sources\n\nRead [the soviet's words](https://example.org/a/long/path) "
                          '<span class="note">then</span> answer <img src="x.png" alt="a picture"> it '
                          + _words(6)),                                                     # 2 + 13 = 15 words
        new_code_cell(ex("fx-manifesto")),                                                  # source analysis 6
        new_markdown_cell(_words(100), metadata=WRITTEN_ANSWER),                            # written answer 8
        new_markdown_cell("## Extension: the Kronstadt demands\n\n" + _words(71)),          # 4 + 71 = 75 words
        new_code_cell(ex("fx-escape-year")),                                                # estimate 3
        new_code_cell("%matplotlib inline\nshow_figure(ax)  # not show_figure(ax, alt=...)"),   # not Python: one figure
        new_markdown_cell("## Further reading\n\n" + _words(500)),                          # not counted
        new_code_cell(ex("fx-soviet-facts"), metadata={"tags": ["answer-key"]}),            # not counted
        new_markdown_cell(_words(50), metadata={"tags": ["navigation"]}),                   # not counted
    ])


def test_the_estimate_of_a_small_lesson_worked_out_by_hand():
    """Reading at 150 words a minute, exercises by type, code, writing, figures; extensions apart; rounded up."""
    result = estimate(_small_lesson(), TimingSettings(), _question_types(FIXTURE / "data" / "exercises"))
    sections = {section.heading: section for section in result.sections}
    assert list(sections) == ["Opening", "1. First", "Primary sources", "Extension: the Kronstadt demands",
                              "Further reading"]
    opening, first, sources, extension, further = sections.values()
    assert (opening.words, opening.minutes) == (30, pytest.approx(0.2))
    assert (first.words, first.exercises, first.code_exercises, first.figures) == (
        150, {"single_choice": 1, "ordering": 1}, 1, 1)
    assert (first.reading_minutes, first.exercise_minutes, first.code_minutes, first.figure_minutes) == (
        pytest.approx(1.0), 3.5, 4, 1)
    assert first.minutes == pytest.approx(9.5)
    assert (sources.words, sources.written_answers, sources.minutes) == (15, 1, pytest.approx(0.1 + 6 + 8))
    assert (extension.is_extra, extension.words, extension.figures) == (True, 75, 1)
    assert extension.minutes == pytest.approx(0.5 + 3 + 1)
    assert (further.words, further.minutes) == (0, 0)
    assert result.core == 24  # 0.2 + 9.5 + 14.1 = 23.8, rounded up
    assert result.extra == 5  # 4.5, rounded up
    assert [section.heading for section in result.biggest(2)] == ["Primary sources", "1. First"]


def test_words_are_what_the_reader_sees():
    """Link targets and HTML tags are not words; hyphenated words and contractions are one word each."""
    assert count_words("[Trotsky's *Iskra*](https://example.org/one/two) and <b>twenty-one</b>") == 4


def test_the_numbers_can_be_changed_in_course_toml(tmp_path):
    """A [timing] table changes the settings it names; the others keep the conventions' defaults."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "course.toml").write_text(
        '[timing]\nreading_words_per_minute = 75\nperiod_minutes = 45\n'
        '[timing.exercise_minutes]\nsource_analysis = 10\n\n'
        '[[lesson]]\nslug = "01-a"\ntitle = "A"\nperiod = "1905"\n', encoding="utf-8")
    settings = load_course(folder).timing
    assert (settings.reading_words_per_minute, settings.period_minutes, settings.figure_minutes) == (75, 45, 1)
    assert settings.exercise_minutes == {**DEFAULT_EXERCISE_MINUTES, "source_analysis": 10}
    result = estimate(_small_lesson(), settings, _question_types(FIXTURE / "data" / "exercises"))
    assert result.sections[0].reading_minutes == pytest.approx(0.4)  # 30 words at 75 a minute
    assert result.sections[2].exercise_minutes == 10


def test_the_shipped_course_toml_gives_the_conventions():
    """lessons/course.toml writes out every default, so an instructor sees what to change."""
    assert load_course(REPO / "lessons").timing == TimingSettings()
    text = (REPO / "lessons" / "course.toml").read_text(encoding="utf-8")
    assert "[timing]" in text and "[timing.exercise_minutes]" in text


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[timing]\nfigures_minutes = 2", "[timing] has no setting 'figures_minutes' (did you mean 'figure_minutes'?)"),
        ("[timing.exercise_minutes]\nsingle = 1", "[timing.exercise_minutes] has no exercise type 'single'"),
        ("[timing]\nfigure_minutes = 'one'", "[timing] figure_minutes is 'one' — write a number above 0"),
        ("[timing]\nperiod_minutes = 0", "[timing] period_minutes is 0 — write a number above 0"),
        ("[timing.exercise_minutes]\nestimate = true", "[timing.exercise_minutes] estimate is True"),
        ("timing = 3", "[timing] must be a table of settings"),
        ("[timing]\nexercise_minutes = 3", "[timing.exercise_minutes] must be a table"),
    ],
)
def test_a_wrong_timing_setting_is_one_clear_line(course_dir, capsys, table, message):
    """An unknown setting or a value that is not a positive number is named, with the file, and check stops."""
    toml = course_dir / "lessons" / "course.toml"
    toml.write_text(table + "\n\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(LessonkitError, match=re.escape(message)):
        load_course(course_dir / "lessons")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and f"lessons/course.toml: {message}" in err and "Traceback" not in err


def _mutate(course_dir, mutate):
    path = course_dir / LESSON
    notebook = nbformat.read(path, as_version=4)
    mutate(notebook)
    nbformat.write(notebook, path)


def _cell(notebook, text):
    return next(cell for cell in notebook.cells if text in cell.source)


def _set_minutes(teaching):
    def mutate(notebook):
        notebook.metadata["trotsky_edu"]["teaching_minutes"] = teaching
    return mutate


def _replace(old, new):
    def mutate(notebook):
        cell = _cell(notebook, old)
        cell.source = cell.source.replace(old, new)
    return mutate


def _keep_in_core(text):
    """Move the code cell holding ``text`` to just before the homework section."""
    def mutate(notebook):
        cell = _cell(notebook, text)
        notebook.cells.remove(cell)
        notebook.cells.insert(notebook.cells.index(_cell(notebook, "## Homework:")), cell)
    return mutate


def _add_extension(line=None, heading="## Extension: the October Manifesto"):
    """An extension section before Key points (with an exercise), and optionally an instructor-notes line for it."""
    def mutate(notebook):
        position = notebook.cells.index(_cell(notebook, "## Key points"))
        notebook.cells[position:position] = [
            new_markdown_cell(f"{heading}\n\n" + _words(296)),  # 4 + 296 = 300 words: 2 min
            new_code_cell('exercise("01-first-soviet", "fx-soviet-facts")'),  # multiple choice: 2 min
        ]
        if line:
            notes = _cell(notebook, "### Instructor notes")
            notes.source += "\n\n" + line
    return mutate


PLAN = "**Timing (40 min).**"
PARTS = "Questions 3 min · 1905 and the plot 12 min · exercises 10 min · the manifesto 8 min · discussion 7 min."
BROKEN = {
    "stated minutes below the estimate": (
        _set_minutes(5),
        "states 20 minutes (teaching_minutes 5 + exercise_minutes 15) but its core is estimated at 36 (longest: "
        "'1905: a revolution nobody planned' 11.6 min, 'Historians disagree' 10.4 min, '2. Prison, trial and escape' "
        "6.3 min) — trim the core or move material into a section headed '## Extension: ...' or '## Homework: ...', "
        "or state 36 minutes"),
    "more than one period": (
        _set_minutes(50),
        "states 65 minutes (teaching_minutes 50 + exercise_minutes 15), more than one 60-minute class period — move "
        "material into a section headed '## Extension: ...' or '## Homework: ...', and state the core's minutes"),
    "no timing plan": (
        _replace(PLAN, "**Timing.**"),
        "cell 5: the instructor notes have no timing plan — add a line '**Timing (40 min).** opening 5 min · "
        "section 1 10 min · ...' whose parts add up to 40"),
    "plan total differs from the stated minutes": (
        _replace(PLAN, "**Timing (45 min).**"),
        "cell 5: the timing plan says 45 min but the lesson states 40 (teaching_minutes + exercise_minutes) — make "
        "them the same"),
    "plan parts do not add up": (
        _replace("discussion 7 min", "discussion 9 min"),
        "cell 5: the timing plan's parts add up to 42 min, not 40 — make them add up to 40"),
    "plan part without minutes": (
        _replace("discussion 7 min", "discussion"),
        "cell 5: the timing plan's part 'discussion' has no minutes — end each part with its minutes"),
    "plan without parts": (
        _replace(PARTS, "See the plan in the staff handbook."),
        "cell 5: the timing plan's part 'See the plan in the staff handbook' has no minutes"),
    "plan with nothing after it": (
        _replace(PARTS, ""),
        "cell 5: the timing plan lists no parts — write them after '**Timing (40 min).**'"),
    "extension without its line": (
        _add_extension(),
        "cell 5: has '## Extension: the October Manifesto' but the instructor notes have no line "
        "'**Extension and homework (M min).**' — add one naming each, with M at least their estimate, 4"),
    "extension line gives too few minutes": (
        _add_extension("**Extension and homework (3 min).** Extension: the October Manifesto."),
        "cell 5: the extension and homework line gives 3 min but those sections are estimated at 4 — give at least 4"),
    "extension line does not name the section": (
        _add_extension("**Extension and homework (5 min).** The manifesto, at home.", heading="## Homework: the strike"),
        "cell 5: the extension and homework line does not name '## Homework: the strike' — name each"),
}


@pytest.mark.parametrize("broken", list(BROKEN), ids=list(BROKEN))
def test_each_timing_rule_fails_a_lesson_that_breaks_it(course_dir, capsys, broken):
    """Each mutation of the fixture lesson is reported as one line naming the lesson (and cell), with exit code 1."""
    mutate, expected = BROKEN[broken]
    _mutate(course_dir, mutate)
    assert main(["check", LESSON]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{LESSON}: {expected}") for line in lines), "\n".join(lines)


def test_an_extension_with_its_line_passes_and_stays_out_of_the_core(course_dir, capsys):
    """A named, long-enough extension line passes; the extension is shown apart and the core keeps its estimate."""
    _mutate(course_dir, _add_extension("**Extension and homework (6 min).** *Extension: the October Manifesto*, "
                                       "for those who finish early."))
    assert main(["check", LESSON]) == 0, capsys.readouterr().err
    table = capsys.readouterr().out.split("\n\n")[1].splitlines()
    assert table[0] == "01-first-soviet: estimated minutes per section (+ extension or homework)"
    assert table[1].split() == ["reading", "exercises", "writing", "code", "figures", "total"]
    extension = [line for line in table if line.startswith("+ Extension: the October Manifesto")]
    assert len(extension) == 1 and extension[0].split()[-6:] == ["2.0", "2.0", "·", "·", "·", "4.0"]
    assert table[-2].split() == ["core", "36", "(stated", "40)"]
    assert table[-1].split() == ["+", "extension", "and", "homework", "4"]


def test_moving_a_section_to_homework_makes_a_lesson_fit(course_dir, capsys):
    """A lesson stated at 33 minutes fails; with its second section made homework (but for one exercise, which keeps
    its objective assessed in the period, and the notes to match) it passes."""
    _mutate(course_dir, _set_minutes(18))
    _mutate(course_dir, _replace(PLAN, "**Timing (33 min).**"))
    _mutate(course_dir, _replace("discussion 7 min", "discussion 8 min"))
    _mutate(course_dir, _replace("the manifesto 8 min", "the manifesto 0 min"))
    assert main(["check", LESSON]) == 1
    assert "states 33 minutes" in capsys.readouterr().err
    _mutate(course_dir, _replace("## 2. Prison, trial and escape", "## Homework: prison, trial and escape"))
    _mutate(course_dir, _keep_in_core('"fx-escape-year"'))  # objective O2 stays assessed in the period
    _mutate(course_dir, _replace(
        "**Timing (33 min).**", "**Extension and homework (7 min).** Homework: prison, trial and escape.\n\n"
                                "**Timing (33 min).**"))
    assert main(["check", LESSON]) == 0, capsys.readouterr().err
    assert re.search(r"^core +33  \(stated 33\)$", capsys.readouterr().out, flags=re.MULTILINE)


def test_a_shorter_period_in_course_toml_is_applied_by_check(course_dir, capsys):
    """period_minutes in course.toml is the limit the stated minutes must fit in."""
    toml = course_dir / "lessons" / "course.toml"
    toml.write_text("[timing]\nperiod_minutes = 30\n\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["check", LESSON]) == 1
    assert "states 40 minutes (teaching_minutes 25 + exercise_minutes 15), more than one 30-minute class period" in (
        capsys.readouterr().err)


def test_check_prints_the_fixture_lessons_estimate(course_dir, capsys):
    """The table after the objectives table: one line per section, then the core against the stated minutes."""
    assert main(["check"]) == 0
    table = capsys.readouterr().out.split("\n\n")[1].splitlines()
    rows = {line[:40].strip(): line[40:].split() for line in table[2:]}
    assert list(rows) == ["Opening", "Questions", "Learning objectives", "1905: a revolution nobody planned",
                          "2. Prison, trial and escape", "Primary sources", "Historians disagree", "Key points",
                          "Glossary", "Further reading", "core"]
    assert rows["1905: a revolution nobody planned"][1:] == ["6.0", "·", "4.0", "1.0", "11.6"]
    assert rows["Historians disagree"][1:] == ["2.0", "8.0", "·", "·", "10.4"]
    assert rows["core"] == ["36", "(stated", "40)"]


@pytest.mark.skipif(not REAL_LESSONS, reason="no lessons written yet")
def test_check_prints_the_estimate_of_every_shipped_lesson(monkeypatch, capsys):
    """`trotsky-edu check` on the course prints each lesson's sections and its core, as the estimate computes it."""
    monkeypatch.chdir(REPO)
    main(["check"])
    out = capsys.readouterr().out
    course = load_course(REPO / "lessons")
    types = _question_types(REPO / "data" / "exercises")
    for path in REAL_LESSONS:
        notebook = nbformat.read(path, as_version=4)
        result = estimate(notebook, course.timing, types)
        meta = notebook.metadata["trotsky_edu"]
        table = out.split(f"{path.stem}: estimated minutes per section (+ extension or homework)\n")[1].split("\n\n")[0]
        stated = meta["teaching_minutes"] + meta["exercise_minutes"]
        assert re.search(rf"^core +{result.core}  \(stated {stated}\)$", table, flags=re.MULTILINE), table
        assert len(table.splitlines()) == 1 + len(result.sections) + 1 + bool(result.extra_sections)


def test_a_disagreement_block_is_read_where_it_is_shown():
    """The words of a "sources disagree" block count as reading in its section; an unknown id counts nothing."""
    from trotsky_edu.disagreement_view import reading_text

    lesson = new_notebook(cells=[
        new_markdown_cell("## 1. Mexico\n\n" + _words(10)),
        new_code_cell('show_disagreement("mexico-arrival-year")\nshow_disagreement("no-such-disagreement")'),
        new_markdown_cell("## Homework: the date of the murder"),
        new_code_cell('show_disagreement("assassination-date")'),
    ])
    result = estimate(lesson, TimingSettings(), _question_types(FIXTURE / "data" / "exercises"))
    first, homework = result.sections
    assert first.words == 2 + 10 + count_words(reading_text("mexico-arrival-year"))
    assert (homework.is_extra, homework.words) == (True, 6 + count_words(reading_text("assassination-date")))
