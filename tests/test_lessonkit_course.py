"""The course order in lessons/course.toml: reading it, finding it, adding to it, naming lessons."""

from pathlib import Path

import pytest

from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.course import (
    LessonEntry,
    append_lesson,
    find_lessons_folder,
    load_course,
    resolve_lessons,
)

REPO_LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def _course_toml(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.toml").write_text(text, encoding="utf-8")
    return folder


def test_shipped_course_lists_the_six_lessons_in_order():
    """The course order is the six lessons, from Start here to Sources and memory."""
    course = load_course(REPO_LESSONS)
    assert [entry.slug for entry in course.lessons] == [
        "00-start-here", "01-revolution", "02-civil-war", "03-succession", "04-exile", "05-sources-and-memory",
    ]
    assert course.entry("02-civil-war").title == "Civil war (1918–1921)"
    assert course.entry("01-revolution").period == "1879–March 1918"


def test_neighbours_are_none_at_the_ends():
    """The first lesson has no previous lesson and the last no next one."""
    course = load_course(REPO_LESSONS)
    assert course.neighbours("00-start-here")[0] is None
    assert course.neighbours("05-sources-and-memory")[1] is None
    previous, following = course.neighbours("02-civil-war")
    assert (previous.slug, following.slug) == ("01-revolution", "03-succession")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "lists no lessons"),
        ("[[lesson]]\nslug = 'x'", "not valid TOML"),
        ('[[lesson]]\nslug = "01-a"\ntitle = "A"', "has no period"),
        ('[[lesson]]\nslug = "One"\ntitle = "A"\nperiod = "p"', "slugs are two digits"),
        ('[[lesson]]\nslug = "01-a"\ntitle = "A"\nperiod = "p"\n[[lesson]]\nslug = "01-a"\ntitle = "B"\nperiod = "p"',
         "more than once"),
    ],
)
def test_a_broken_course_file_gives_a_clear_message(tmp_path, text, message):
    """Each way course.toml can be wrong is reported with the file name and the fix."""
    folder = _course_toml(tmp_path / "lessons", text if "TOML" not in message else "[[lesson]\n")
    with pytest.raises(LessonkitError, match=message) as error:
        load_course(folder)
    assert "course.toml" in str(error.value)


def test_missing_course_file_is_reported(tmp_path):
    """A lessons folder without course.toml says so."""
    with pytest.raises(LessonkitError, match="does not exist"):
        load_course(tmp_path)


def test_find_lessons_folder_looks_upward(tmp_path):
    """From anywhere inside a checkout, the lessons folder is found."""
    folder = _course_toml(tmp_path / "lessons", '[[lesson]]\nslug = "01-a"\ntitle = "A"\nperiod = "p"\n')
    deep = tmp_path / "data" / "exercises"
    deep.mkdir(parents=True)
    assert find_lessons_folder(deep) == folder
    assert find_lessons_folder(folder) == folder


def test_find_lessons_folder_outside_a_checkout_names_the_option(tmp_path):
    """Outside a checkout the message says how to name the folder."""
    with pytest.raises(LessonkitError, match="--lessons DIR"):
        find_lessons_folder(tmp_path)


def test_append_lesson_keeps_comments_and_adds_at_the_end(tmp_path):
    """A new lesson goes last; the file's comments survive; quotes in a title are escaped."""
    folder = _course_toml(tmp_path / "lessons", '# keep me\n[[lesson]]\nslug = "01-a"\ntitle = "A"\nperiod = "p"\n')
    course = append_lesson(load_course(folder), LessonEntry("02-b", 'The "B" lesson', "1921"))
    assert [entry.slug for entry in course.lessons] == ["01-a", "02-b"]
    assert course.entry("02-b").title == 'The "B" lesson'
    assert (folder / "course.toml").read_text(encoding="utf-8").startswith("# keep me\n")


def test_resolve_lessons_accepts_slugs_and_paths(tmp_path):
    """Lessons can be named by slug or by path; none named means every lesson of the course."""
    folder = _course_toml(tmp_path / "lessons", '[[lesson]]\nslug = "01-a"\ntitle = "A"\nperiod = "p"\n')
    (folder / "01-a.ipynb").write_text("{}", encoding="utf-8")
    course = load_course(folder)
    assert resolve_lessons(["01-a"], course) == [folder / "01-a.ipynb"]
    assert resolve_lessons([str(folder / "01-a.ipynb")], None) == [folder / "01-a.ipynb"]
    assert resolve_lessons([], course) == [folder / "01-a.ipynb"]


def test_resolve_lessons_names_the_known_lessons_for_a_typo(tmp_path):
    """An unknown lesson name lists the ones that exist."""
    folder = _course_toml(tmp_path / "lessons", '[[lesson]]\nslug = "01-a"\ntitle = "A"\nperiod = "p"\n')
    with pytest.raises(LessonkitError, match="01-a"):
        resolve_lessons(["01-b"], load_course(folder))
