"""The course index and navigation links, rebuilt from course.toml."""

import shutil
from pathlib import Path

import nbformat

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.cells import is_navigation
from trotsky_edu.lessonkit.course import load_course
from trotsky_edu.lessonkit.index import navigation_links

FIXTURE = Path(__file__).parent / "fixtures" / "course"
REPO_LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def _navigation(path: Path) -> str:
    cell = nbformat.read(path, as_version=4).cells[-1]
    assert is_navigation(cell)
    return cell.source


def _add_lesson(course_dir: Path, slug: str, title: str) -> None:
    """List a lesson in course.toml and give it a notebook (a copy of the fixture's)."""
    with (course_dir / "lessons" / "course.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[[lesson]]\nslug = "{slug}"\ntitle = "{title}"\nperiod = "1921"\n')
    shutil.copy(course_dir / "lessons" / "01-first-soviet.ipynb", course_dir / "lessons" / f"{slug}.ipynb")


def test_navigation_links_follow_the_course_order():
    """Previous, index, next — with no previous link on the first lesson and no next link on the last."""
    course = load_course(REPO_LESSONS)
    assert [target for _, target in navigation_links(course, "00-start-here")] == ["index.md", "01-revolution.ipynb"]
    assert [target for _, target in navigation_links(course, "03-succession")] == [
        "02-civil-war.ipynb", "index.md", "04-exile.ipynb"]
    assert [target for _, target in navigation_links(course, "05-sources-and-memory")] == ["04-exile.ipynb", "index.md"]


def test_index_regenerates_navigation_after_a_lesson_is_added(course_dir, capsys):
    """`trotsky-edu index` gives the old last lesson a Next link and the new one a Previous link."""
    _add_lesson(course_dir, "02-kronstadt", "Kronstadt")
    assert main(["index"]) == 0
    first = _navigation(course_dir / "lessons" / "01-first-soviet.ipynb")
    second = _navigation(course_dir / "lessons" / "02-kronstadt.ipynb")
    assert "[Next: Kronstadt →](02-kronstadt.ipynb)" in first
    assert "[← Previous: The first soviet (1905–1907)](01-first-soviet.ipynb)" in second
    assert "updated the navigation of lessons/01-first-soviet.ipynb" in capsys.readouterr().out


def test_index_follows_a_reordering(course_dir):
    """Moving a lesson in course.toml moves its links."""
    _add_lesson(course_dir, "02-kronstadt", "Kronstadt")
    toml = course_dir / "lessons" / "course.toml"
    text = toml.read_text(encoding="utf-8")
    first, second = text.split("[[lesson]]")[1:]
    toml.write_text("[[lesson]]" + second.rstrip() + "\n\n[[lesson]]" + first, encoding="utf-8")
    main(["index"])
    assert "(02-kronstadt.ipynb)" in _navigation(course_dir / "lessons" / "01-first-soviet.ipynb").split("index.md")[0]


def test_index_appends_a_missing_navigation_cell(course_dir):
    """A lesson that lost its navigation cell gets a new one at the end."""
    path = course_dir / "lessons" / "01-first-soviet.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.pop()
    nbformat.write(notebook, path)
    main(["index"])
    assert _navigation(path) == "---\n\n[Course index](index.md)"


def test_index_writes_the_course_map(course_dir):
    """index.md lists each lesson with its title, period, minutes and objectives; unwritten lessons say so."""
    with (course_dir / "lessons" / "course.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[lesson]]\nslug = "02-later"\ntitle = "Later"\nperiod = "1917"\n')
    assert main(["index"]) == 0
    text = (course_dir / "lessons" / "index.md").read_text(encoding="utf-8")
    assert "## [The first soviet (1905–1907)](01-first-soviet.ipynb)" in text
    assert "*Period:* 1905–1907 · *Time:* 40 minutes (25 teaching, 15 exercises)" in text
    assert "- Trace Trotsky's route from the Soviet to prison, trial and escape." in text
    assert "## [Later](02-later.ipynb)" in text and "not written yet" in text


def test_index_changes_nothing_the_second_time(course_dir, capsys):
    """Running index twice leaves every file as the first run wrote it."""
    main(["index"])
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in (course_dir / "lessons").iterdir()}
    assert main(["index"]) == 0
    assert {p.name: p.read_bytes() for p in (course_dir / "lessons").iterdir()} == before
    assert "unchanged: lessons/index.md" in capsys.readouterr().out
