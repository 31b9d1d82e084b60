"""Dates in a lesson's text agree with data/: each full date is found in every way the course writes it, looked up
among the records, and one that no record gives is reported with the record it most likely means and the fix."""

import datetime as dt
import shutil
from pathlib import Path

import nbformat
import pytest

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.cells import is_answer_key, is_instructor, is_navigation
from trotsky_edu.lessonkit.dates_in_text import date_problems, find_dates, load_records
from trotsky_edu.lessonkit.prose import paragraphs

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
LESSON = "lessons/01-first-soviet.ipynb"
D = dt.date


@pytest.mark.parametrize("text, days, old_style, old_half", [
    ("He reached Constantinople on 12 February 1929.", (D(1929, 2, 12),), False, ()),
    ("the rising of 25 October 1917 (O.S.) began", (D(1917, 11, 7),), True, ()),
    ("on 25 October 1917 O.S. the", (D(1917, 11, 7),), True, ()),
    ("Born **26 October [O.S.] / 7 November 1879** at Yanovka", (D(1879, 11, 7),), False, (D(1879, 11, 7),)),
    ("from 19 December [O.S.] / 1 January 1906 on", (D(1906, 1, 1),), False, (D(1906, 1, 1),)),
    ("the night of 24–25 October 1917", (D(1917, 10, 24), D(1917, 10, 25)), False, ()),
    ("from 30 June – 2 July 1934", (D(1934, 6, 30), D(1934, 7, 2)), False, ()),
    ("on February 12, 1929, he", (D(1929, 2, 12),), False, ()),
    ("on 7 November 1917 (N.S.)", (D(1917, 11, 7),), False, ()),
    ("born 7 November [O.S. 26 October] 1879 at", (D(1879, 11, 7),), False, (D(1879, 11, 7),)),
])
def test_full_dates_are_found_in_every_form_the_course_writes(text, days, old_style, old_half):
    [date] = find_dates(text)
    assert (date.days, date.old_style, date.old_half) == (days, old_style, old_half)


@pytest.mark.parametrize("text", ["He sailed on 27 March.", "In May 1939 they moved.", "In 1929", "on 31 February 1920"])
def test_a_date_without_a_day_or_a_year_or_that_does_not_exist_is_not_a_full_date(text):
    assert find_dates(text) == []


@pytest.fixture
def records(tmp_path):
    """The minimal data, with a month-precision record, a date in a record's note and a year stored as 1 January."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal_data", data)
    with (data / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("1939-viena,1939-05-01,,month,Moves to Avenida Viena,The household moves to a larger house.,"
                     "exile,yanovka,trotsky,wp-lead\n")
    trials = data / "trials.csv"
    trials.write_text(trials.read_text(encoding="utf-8").replace(
        "death in absentia,,", "death in absentia,Sentenced again on 25 August 1936 in a note.,"), encoding="utf-8")
    with (data / "people.csv").open("a", encoding="utf-8") as handle:
        handle.write("bronstein_anna,Anna Bronstein,,1850-01-01,1910-07-20,family,mother,,natural death,wp-lead\n")
    return load_records(data)


def _problems(markdown: str, records) -> list[str]:
    return list(date_problems(paragraphs(markdown), records))


@pytest.mark.parametrize("text", [
    "The insurrection came on 7 November 1917.",
    "The insurrection came on 25 October 1917 (O.S.).",
    "The insurrection came on 25 October [O.S.] / 7 November 1917.",
    "The night of 6–7 November 1917.",
    "Lenin died on 21 January 1924.",
    "In a note, 25 August 1936.",
    "Anna Bronstein died on 20 July 1910.",
])
def test_a_date_a_record_gives_passes(records, text):
    assert _problems(text, records) == []


def test_a_mistyped_day_names_the_nearest_record_and_the_fix(records):
    [message] = _problems("The Bolsheviks take power in Petrograd on 6 November 1917.", records)
    assert message.startswith("'6 November 1917' matches no record in data/ — the nearest record is "
                              "events/1917-october date “October insurrection”, 7 November 1917 — correct the date")
    assert message.endswith("[from: ...] or [outside the four documents: ...]")


def test_an_old_style_date_written_as_gregorian_is_named_as_such(records):
    [message] = _problems("The insurrection began on 25 October 1917.", records)
    assert "it is the Old Style date of events/1917-october date “October insurrection”, 7 November 1917" in message
    assert "'25 October [O.S.] / 7 November 1917'" in message


def test_a_gregorian_date_marked_old_style_is_named_as_such(records):
    [message] = _problems("The insurrection began on 7 November 1917 (O.S.).", records)
    assert "it is marked Old Style, but events/1917-october date “October insurrection”, 7 November 1917 gives it" in message


def test_the_two_halves_of_a_double_date_must_be_the_same_day(records):
    [message] = _problems("The insurrection began on 24 October [O.S.] / 7 November 1917.", records)
    assert message.startswith("'24 October [O.S.] / 7 November 1917': the Old Style half is 6 November 1917 in the "
                              "Gregorian calendar, not 7 November 1917")


def test_a_day_given_to_a_fact_known_only_to_the_month_is_reported(records):
    [message] = _problems("On 5 May 1939 the household moved to Avenida Viena.", records)
    assert "data/ knows this only to the month: events/1939-viena date “Moves to Avenida Viena”, May 1939" in message


def test_the_first_of_january_stands_for_a_year_in_a_table_without_precision(records):
    [message] = _problems("Anna Bronstein was born on 1 January 1850.", records)
    assert "data/ knows this only to the year: people/bronstein_anna born “Anna Bronstein”, 1850" in message


def test_a_note_in_the_paragraph_says_where_a_date_comes_from(records):
    assert _problems("A decree took effect on 14 February 1918 [from: Wikipedia \"Leon Trotsky\", section \"Notes\"].",
                     records) == []
    assert _problems("He wrote on 3 May 1928. It was a long letter [outside the four documents: Deutscher, "
                     "*The Prophet Unarmed*].", records) == []
    assert len(_problems("He wrote on 3 May 1928.\n\n[from: a letter]", records)) == 1


def test_dates_in_quotations_are_the_speakers_but_an_attribution_is_the_courses(records):
    assert _problems('He said that "on 3 May 1928 nothing happened".', records) == []
    quote = "> On 3 May 1928 nothing happened.\n\n— *Leon Trotsky*, 4 May 1928, letter"
    [message] = _problems(quote, records)
    assert message.startswith("'4 May 1928' matches no record")


@pytest.fixture
def course_with_data(course_dir):
    """The fixture course, with a data folder of its own beside the lessons (the minimal data and its dates)."""
    for path in (FIXTURES / "minimal_data").iterdir():
        shutil.copy(path, course_dir / "data" / path.name)
    with (course_dir / "data" / "events.csv").open("a", encoding="utf-8") as handle:
        for row in ("1905-bloody-sunday,1905-01-22,1905-01-09,day,Bloody Sunday,Troops fire on a procession.",
                    "1905-manifesto,1905-12-15,1905-12-02,day,The financial manifesto,The Soviet calls for a boycott.",
                    "1905-arrest,1905-12-16,1905-12-03,day,The Soviet is arrested,Troops arrest the deputies."):
            handle.write(f"{row},revolution,st_petersburg,trotsky,wp-lead\n")
    return course_dir


def _edit_cell(course_dir: Path, old: str, new: str) -> int:
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    number, cell = next((n, c) for n, c in enumerate(notebook.cells, start=1) if old in c.source)
    cell.source = cell.source.replace(old, new)
    nbformat.write(notebook, course_dir / LESSON)
    return number


def test_check_passes_the_fixture_lesson_against_its_own_data(course_with_data, capsys):
    assert main(["check", LESSON]) == 0


def test_check_reports_a_wrong_date_in_the_lesson_text(course_with_data, capsys):
    number = _edit_cell(course_with_data, "3 December [O.S.] / 16 December 1905", "6 December 1905")
    assert main(["check", LESSON]) == 1
    assert (f"{LESSON}: cell {number}: '6 December 1905' matches no record in data/ — the nearest record is "
            "events/1905-arrest date “The Soviet is arrested”, 16 December 1905") in capsys.readouterr().err


def test_check_leaves_instructor_notes_to_the_instructor(course_with_data, capsys):
    _edit_cell(course_with_data, "**Common misconceptions.**", "On 6 December 1905 nothing happened. **Common misconceptions.**")
    assert main(["check", LESSON]) == 0


def test_without_a_data_folder_beside_the_lessons_the_bundled_data_is_used(course_dir, capsys):
    number = _edit_cell(course_dir, "9 January [O.S.] / 22 January 1905", "9 January [O.S.] / 21 January 1905")
    assert main(["check", LESSON]) == 1
    assert (f"{LESSON}: cell {number}: '9 January [O.S.] / 21 January 1905': the Old Style half is 22 January 1905"
            in capsys.readouterr().err)


def test_the_shipped_lessons_dates_agree_with_the_data():
    records = load_records(REPO / "data")
    problems = [
        f"{path.name}: cell {number}: {message}"
        for path in sorted((REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1)
        if cell.cell_type == "markdown" and not (is_instructor(cell) or is_navigation(cell) or is_answer_key(cell))
        for message in date_problems(paragraphs(cell.source), records)
    ]
    assert problems == []


def test_after_russia_changed_calendar_no_date_is_taken_for_an_old_style_one(records):
    [message] = _problems("Lenin died on 8 January 1924.", records)
    assert "Old Style" not in message and "the nearest record is people/lenin died" in message
