"""Own words: a run of 12 words shared with the source documents is reported, in lessons, data and question banks,
unless it is quoted; the shipped course has none; without the documents the check says so and is skipped."""

import shutil
from pathlib import Path

import nbformat
import pytest

from trotsky_edu.cli import main
from trotsky_edu.lessonkit.own_words import RUN_WORDS, data_findings, markdown_runs, read_sources, shared_runs

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_SOURCES = FIXTURES / "shared" / "sources"
REPO = Path(__file__).resolve().parents[1]
# Where the course's source documents are: beside the checkout, as in CI and in the course's working copy.
SHARED_SOURCES = REPO.parent / "shared" / "sources"
LESSON = "lessons/01-first-soviet.ipynb"

# In 003_encyclopedia.txt the words run through a link, a footnote mark and an &nbsp;.
COPIED = "gathered in the hall of the Free Economic Society on the evening when the troops surrounded the building"
COPIED_WORDS = len(COPIED.split())


@pytest.fixture(scope="module")
def sources():
    return read_sources(FIXTURE_SOURCES)


def test_a_copied_run_is_found_through_the_articles_markup(sources):
    runs = markdown_runs(f"Then the deputies {COPIED}; nobody escaped.", sources)
    assert [(run.text, run.words, run.document) for run in runs] == [(COPIED, COPIED_WORDS, "003_encyclopedia.txt")]


def test_twelve_words_are_a_run_and_eleven_are_not(sources):
    words = "the old farmhouse at the edge of the steppe is now a small museum".split()
    assert [run.words for run in shared_runs(" ".join(words[:RUN_WORDS]), sources)] == [RUN_WORDS]
    assert shared_runs(" ".join(words[1:RUN_WORDS]), sources) == []


def test_case_punctuation_emphasis_and_apostrophes_do_not_hide_a_run(sources):
    text = "THE OLD FARMHOUSE, at the edge of the *steppe*, is now a small — museum that few visitors ever find"
    assert [run.document for run in markdown_runs(text, sources)] == ["000_blog.txt"]
    curly = "had spoken for the whole working class of the capital’s while holding no mandate"
    assert markdown_runs(curly.replace("capital’s", "capital"), sources)


@pytest.mark.parametrize("text", [
    f'The report said the deputies had "{COPIED}".',
    f"The report said the deputies had “{COPIED}”.",
    f"> {COPIED}\n\n— *A witness*, 16 December 1905, letter",
    f"> {COPIED}\n> — *A witness*, 16 December 1905, letter",
    f"Run `{COPIED}` as code.",
], ids=["straight quotes", "curly quotes", "blockquote then attribution", "attribution inside the blockquote", "code"])
def test_quotations_attributed_excerpts_and_code_are_not_the_courses_words(sources, text):
    assert markdown_runs(text, sources) == []


def test_an_unattributed_blockquote_is_the_courses_own_words(sources):
    assert markdown_runs(f"> **Note:** the deputies {COPIED}.", sources)


def test_a_run_does_not_reach_across_a_quotation(sources):
    words = COPIED.split()
    text = " ".join(words[:8]) + ' "quoted words" ' + " ".join(words[8:])
    assert markdown_runs(text, sources) == []


def _data_folder(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal_data", data)
    shutil.copytree(FIXTURES / "course" / "data" / "exercises", data / "exercises")
    return data, data / "exercises"


def test_data_text_columns_and_question_fields_are_checked(tmp_path, sources):
    data, banks = _data_folder(tmp_path)
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "The Bolsheviks take power in Petrograd.", f"The deputies {COPIED}."), encoding="utf-8")
    bank = banks / "01-first-soviet.yaml"
    text = bank.read_text(encoding="utf-8")
    assert "    prompt: " in text
    bank.write_text(text.replace("    prompt: ", f"    prompt: The deputies {COPIED}. ", 1), encoding="utf-8")
    findings = [(f.path.name, f.where, f.run.text) for f in data_findings(data, banks, sources)]
    assert findings[0] == ("events.csv", "line 3 (event_id 1917-october), column 'summary'", COPIED)
    assert findings[1][0] == "01-first-soviet.yaml" and findings[1][1].endswith(", prompt")
    assert len(findings) == 2


def test_a_questions_excerpt_and_quoted_data_text_are_quotations(tmp_path, sources):
    data, banks = _data_folder(tmp_path)
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "The Bolsheviks take power in Petrograd.", f"\"A witness wrote that the deputies \"\"{COPIED}\"\".\""),
        encoding="utf-8")
    (banks / "02-excerpt.yaml").write_text(
        "lesson: 02-excerpt\nquestions:\n  - id: ex-1\n    type: source_analysis\n"
        f"    excerpt: \"The deputies {COPIED}.\"\n    speaker: A witness\n", encoding="utf-8")
    assert list(data_findings(data, banks, sources)) == []


def _append_markdown(course_dir: Path, text: str, tags: list[str] | None = None) -> int:
    """Add a markdown cell before the navigation cell; return its number, counted from 1."""
    notebook = nbformat.read(course_dir / LESSON, as_version=4)
    cell = nbformat.v4.new_markdown_cell(text)
    if tags:
        cell.metadata["tags"] = tags
    notebook.cells.insert(len(notebook.cells) - 1, cell)
    nbformat.write(notebook, course_dir / LESSON)
    return len(notebook.cells) - 1


@pytest.mark.parametrize("tags", [None, ["instructor"]], ids=["student text", "instructor notes"])
def test_check_reports_a_copied_run_in_a_lesson_cell(course_dir, capsys, tags):
    number = _append_markdown(course_dir, f"That night the deputies {COPIED}.", tags)
    assert main(["check", LESSON]) == 1
    assert (f"{LESSON}: cell {number}: shares {COPIED_WORDS} words in a row with 003_encyclopedia.txt: “{COPIED}” — "
            "rewrite it in your own words") in capsys.readouterr().err


def test_whole_course_check_reports_a_copied_run_in_a_question_bank(course_dir, capsys):
    bank = course_dir / "data" / "exercises" / "01-first-soviet.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("    prompt: ", f"    prompt: The deputies {COPIED}. ", 1),
                    encoding="utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "data/exercises/01-first-soviet.yaml: question " in err
    assert f"prompt: shares {COPIED_WORDS} words in a row with 003_encyclopedia.txt" in err


def test_sources_given_with_an_option(course_dir, capsys, tmp_path):
    shutil.move(tmp_path / "shared", tmp_path / "elsewhere")
    _append_markdown(course_dir, f"That night the deputies {COPIED}.")
    assert main(["check", LESSON]) == 0
    assert main(["check", LESSON, "--sources", str(tmp_path / "elsewhere" / "sources")]) == 1
    assert f"shares {COPIED_WORDS} words in a row" in capsys.readouterr().err


def test_without_the_source_documents_the_check_says_so_and_is_skipped(course_dir, capsys, tmp_path):
    shutil.rmtree(tmp_path / "shared")
    _append_markdown(course_dir, f"That night the deputies {COPIED}.")
    assert main(["check", LESSON]) == 0
    assert capsys.readouterr().err == (
        "Own words not checked: no source documents in ../shared/sources beside the course — "
        "give their folder with --sources DIR.\n"
    )


def test_a_sources_option_naming_no_folder_is_one_line(course_dir, capsys):
    assert main(["check", LESSON, "--sources", "nowhere"]) == 1
    assert capsys.readouterr().err == (
        "trotsky-edu check: --sources nowhere: no such folder — give the folder that holds the source documents\n"
    )


needs_sources = pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason=f"no source documents at {SHARED_SOURCES}")


@pytest.fixture(scope="module")
def course_sources():
    return read_sources(SHARED_SOURCES)


@needs_sources
def test_the_shipped_data_and_question_banks_are_in_the_courses_own_words(course_sources):
    findings = [f"{f.path.name}: {f.where}: {f.run.text}" for f in data_findings(REPO / "data", REPO / "data" / "exercises",
                                                                                   course_sources)]
    assert findings == []


@needs_sources
def test_the_shipped_lessons_are_in_the_courses_own_words(course_sources):
    findings = [
        f"{path.name}: cell {number}: {run.text}"
        for path in sorted((REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1)
        if cell.cell_type == "markdown"
        for run in markdown_runs(cell.source, course_sources)
    ]
    assert findings == []


def test_a_sources_folder_without_documents_is_one_line(course_dir, capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    assert main(["check", LESSON, "--sources", str(tmp_path / "empty")]) == 1
    assert capsys.readouterr().err.endswith("holds no source documents (*.txt) — give their folder with --sources DIR\n")
