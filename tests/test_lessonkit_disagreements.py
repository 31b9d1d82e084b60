"""`trotsky-edu check`: a lesson shows every disagreement recorded for its part of the course, by id."""

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from trotsky_edu.cli import main
from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.course import load_course

LESSON = "lessons/01-first-soviet.ipynb"
MINIMAL_DATA = Path(__file__).parent / "fixtures" / "minimal_data"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def course_with_data(course_dir):
    """The fixture course with the minimal data beside it (one disagreement, 'mexico-year', for the exile part)."""
    for item in MINIMAL_DATA.iterdir():
        shutil.copy(item, course_dir / "data" / item.name)
    return course_dir


def _set_topics(course_dir: Path, topics: str) -> None:
    toml = course_dir / "lessons" / "course.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('period = "1905–1907"\n', f'period = "1905–1907"\ntopics = {topics}\n'), encoding="utf-8")


def _add_code_cell(course_dir: Path, source: str) -> None:
    path = course_dir / LESSON
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(3, new_code_cell(source))
    nbformat.write(notebook, path)


def _disagreement_messages(capsys) -> list[str]:
    err = capsys.readouterr().err
    return [line for line in err.splitlines() if "disagreement" in line or "topic" in line]


def test_a_lesson_missing_a_disagreement_of_its_topics_fails(course_with_data, capsys):
    _set_topics(course_with_data, '["exile"]')
    assert main(["check", LESSON]) == 1
    found = _disagreement_messages(capsys)
    assert found == [
        "lessons/01-first-soviet.ipynb: does not show the disagreement 'mexico-year' (Year of arrival in Mexico), which "
        "data/disagreements.csv records for its part of the course (exile) — add a code cell "
        "`show_disagreement('mexico-year')` right after the text that meets it"
    ]


def test_showing_the_disagreement_satisfies_the_rule(course_with_data, capsys):
    _set_topics(course_with_data, '["exile"]')
    _add_code_cell(course_with_data, 'show_disagreement("mexico-year")')
    main(["check", LESSON])
    assert _disagreement_messages(capsys) == []


def test_a_commented_out_call_does_not_count(course_with_data, capsys):
    _set_topics(course_with_data, '["exile"]')
    _add_code_cell(course_with_data, '# show_disagreement("mexico-year")')
    main(["check", LESSON])
    assert any("does not show the disagreement 'mexico-year'" in m for m in _disagreement_messages(capsys))


def test_a_lesson_without_topics_owes_no_disagreement(course_with_data, capsys):
    main(["check", LESSON])
    assert _disagreement_messages(capsys) == []


def test_an_unknown_id_is_reported_with_the_nearest_one(course_with_data, capsys):
    _add_code_cell(course_with_data, 'show_disagreement("mexico-yaer")')
    main(["check", LESSON])
    assert _disagreement_messages(capsys) == [
        "lessons/01-first-soviet.ipynb: cell 4: show_disagreement('mexico-yaer') names no recorded disagreement — "
        "did you mean 'mexico-year'?"
    ]


def test_an_unknown_topic_is_reported(course_with_data, capsys):
    _set_topics(course_with_data, '["exil"]')
    main(["check", LESSON])
    found = _disagreement_messages(capsys)
    assert len(found) == 1 and "the topic 'exil', which is not a part of the course — choose from early, revolution" in found[0]


def test_topics_must_be_a_list_of_strings(course_with_data):
    _set_topics(course_with_data, '"exile"')
    with pytest.raises(LessonkitError, match=r"topics 'exile' — write them as a list of strings"):
        load_course(course_with_data / "lessons")


def test_every_part_of_the_course_with_disagreements_belongs_to_a_lesson():
    """course.toml maps early/revolution → 01, civil_war → 02, succession → 03, exile → 04, memory → 05."""
    from trotsky_edu import load_disagreements

    course = load_course(REPO / "lessons")
    owners = {topic: entry.slug for entry in course.lessons for topic in entry.topics}
    assert owners == {"early": "01-revolution", "revolution": "01-revolution", "civil_war": "02-civil-war",
                      "succession": "03-succession", "exile": "04-exile", "memory": "05-sources-and-memory"}
    assert set(load_disagreements()["lesson"]) <= set(owners)
