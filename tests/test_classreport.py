"""The class report: its numbers agree with the files, student text is escaped, and bad files are named, not lost.

The expected figures are counted here straight from the progress files, in the plainest
way, so a wrong count in the report fails.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from trotsky_edu import report
from trotsky_edu.classreport.bars import RIGHT_COLOUR, WRONG_COLOUR, choices_html
from trotsky_edu.classreport.sample import PASTED, make_sample_class
from trotsky_edu.cli import main
from trotsky_edu.exercises.bank import SourceAnalysis, load_bank
from trotsky_edu.exercises.progress import course_lessons, progress_rows, write_rows
from trotsky_edu.plots import describe_figure


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A class of 12 with none of the awkward files, and the files' contents."""
    folder = tmp_path_factory.mktemp("class")
    make_sample_class(folder, students=12, extras=False)
    return folder, {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def made(sample):
    return report(sample[0])


def _submits(record):
    return [e for e in record["events"] if e["action"] == "submit"]


def test_every_question_count_agrees_with_the_files(sample, made):
    _, files = sample
    for row in made.questions.to_dict("records"):
        records = [f["answers"].get(row["lesson"], {}).get(row["question_id"]) for f in files.values()]
        records = [r for r in records if r]
        answered = [r for r in records if _submits(r)]
        assert row["answered"] == len(answered), row["question_id"]
        assert row["used_hints"] == sum(any(e["action"] == "hint" for e in r["events"]) for r in records)
        assert row["answers_shown"] == sum(any(e["action"] == "reveal" for e in r["events"]) for r in records)
        if row["type"] != "source_analysis":
            assert row["right_first_try"] == sum(_submits(r)[0]["correct"] is True for r in answered)
            assert row["right_in_end"] == sum(any(e["correct"] is True for e in _submits(r)) for r in answered)


def test_options_chosen_first_agree_with_the_files(sample, made):
    _, files = sample
    for (qid, option), count in made.options.set_index(["question_id", "option"])["chosen_first_try"].items():
        lesson = next(lesson for lesson in course_lessons() if qid in load_bank(lesson).ids())
        expected = 0
        for data in files.values():
            record = data["answers"].get(lesson, {}).get(qid)
            if record and _submits(record):
                first = _submits(record)[0]["answer"]
                expected += option in (first if isinstance(first, list) else [first])
        assert count == expected, (qid, option)
    assert made.options["chosen_first_try"].sum() > 0


def test_lessons_opened_finished_and_minutes_agree_with_the_files(sample, made):
    _, files = sample
    for row in made.lessons.to_dict("records"):
        ids = load_bank(row["lesson"]).ids()
        opened = [f["answers"][row["lesson"]] for f in files.values() if f["answers"].get(row["lesson"])]
        assert row["opened"] == len(opened)
        assert row["finished"] == sum(all(a.get(q, {}).get("attempts", 0) > 0 for q in ids) for a in opened)
        assert row["median_minutes"] > 0
    assert made.lessons["finished"].sum() < made.lessons["opened"].sum()  # the sample has stragglers


def test_objectives_met_agree_with_the_files_and_come_lowest_first(sample, made):
    _, files = sample
    for row in made.objectives.to_dict("records"):
        graded = [q.id for q in load_bank(row["lesson"]) if q.objective == row["objective"]
                  and not isinstance(q, SourceAnalysis)]
        assert row["exercises"] == ", ".join(graded)
        opened = [f["answers"][row["lesson"]] for f in files.values() if f["answers"].get(row["lesson"])]
        met = sum(all(a.get(q, {}).get("correct") is True and not a.get(q, {}).get("revealed") for q in graded)
                  for a in opened)
        assert (row["met"], row["students"]) == (met, len(opened))
    shares = list(made.objectives["share"])
    assert shares == sorted(shares)
    assert made.objectives["text"].str.len().min() > 10  # the objectives' wording, from the lesson notebooks


def test_the_commonest_wrong_answer_is_named_with_its_misconception(sample, made):
    _, files = sample
    question = load_bank("00-start-here").question("start-calendar-which")
    firsts = [_submits(f["answers"]["00-start-here"][question.id])[0]["answer"] for f in files.values()
              if question.id in f["answers"].get("00-start-here", {}) and _submits(f["answers"]["00-start-here"][question.id])]
    wrong = [a for a in firsts if a != next(o.text for o in question.options if o.correct)]
    row = made.questions.set_index("question_id").loc[question.id]
    assert wrong.count(row["commonest_wrong"]) == max(wrong.count(a) for a in wrong)
    assert row["misconception"] == next(o.feedback for o in question.options if o.text == row["commonest_wrong"])


def test_typed_answers_and_written_answers_come_with_their_counts_and_ticks(sample, made):
    _, files = sample
    typed = made.typed_answers[made.typed_answers["question_id"] == "start-birth-name"]
    firsts = [_submits(f["answers"]["00-start-here"]["start-birth-name"])[0]["answer"] for f in files.values()
              if _submits(f["answers"].get("00-start-here", {}).get("start-birth-name", {"events": []}))]
    assert typed["students"].sum() == len(firsts)
    assert dict(zip(typed["answer"], typed["students"])) == {a: firsts.count(a) for a in set(firsts)}
    writings = made.writings[made.writings["question_id"] == "start-source-surname"]
    question = load_bank("00-start-here").question("start-source-surname")
    for row in writings.to_dict("records"):
        record = files[row["student"]]["answers"]["00-start-here"]["start-source-surname"]
        assert row["text"] == record["response"]
        assert row["points_made"] == [question.rubric[n] for n in record.get("rubric_met", [])]


def test_students_who_may_need_help_are_listed_with_their_reasons(sample, made):
    _, files = sample
    for row in made.help.to_dict("records"):
        records = [r for lesson in files[row["student"]]["answers"].values() for r in lesson.values()]
        assert row["answers_shown"] == sum(r["revealed"] for r in records)
        assert row["many_tries"] == sum(r["attempts"] >= 3 for r in records)
    assert set(made.help["student"]) <= set(files)


def test_student_text_is_escaped_and_the_page_is_self_contained(sample, made):
    page = made.html()
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;copied from a web page&#x27;)&lt;/script&gt;" in page  # hana's pasted text
    assert PASTED in set(made.writings["text"])
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page)  # nothing fetched from outside the file
    for landmark in ("<header>", '<nav aria-label="Contents">', "<main>", '<html lang="en">'):
        assert landmark in page


def test_every_chart_states_its_point_in_its_caption(made):
    page = made.html()
    captions = re.findall(r'<table class="bars"><caption>(.*?)</caption>', page)
    assert len(captions) == len(made.options["question_id"].unique()) > 20
    assert all("chosen on the first try" in caption and "The right answer" in caption for caption in captions)
    ax = made.plot_choices("start-calendar-which")
    assert "The right answer (option) was chosen: " in describe_figure(ax)


def test_a_charts_bars_are_as_long_as_their_counts_and_the_right_answer_is_marked_in_words():
    options = pd.DataFrame({"option": ["1905", "1917 <b>", "1921"], "correct": [False, True, False],
                            "chosen_first_try": [3, 12, 0]})
    chart = choices_html(options, "rev-year")
    rows = re.findall(r'<tr class="(\w+)"><th scope="row">(.*?)</th><td><span class="bar (\w+)" '
                      r'style="width:([\d.]+)%"></span>(\d+)</td></tr>', chart)
    assert [(kind, bar, float(width), int(count)) for kind, _, bar, width, count in rows] == [
        ("wrong", "wrong", 21.2, 3), ("right", "right", 85.0, 12), ("wrong", "none", 0.0, 0)]
    assert rows[1][1] == "1917 &lt;b&gt; <strong>(right answer)</strong>"
    assert "The right answer (option) was chosen: &#x27;1917 &lt;b&gt;&#x27; by 12" in chart
    assert "The commonest wrong choice was &#x27;1905&#x27;, by 3" in chart


def test_a_report_is_made_from_the_rest_when_files_are_bad_and_each_is_named(tmp_path):
    folder = tmp_path / "class"
    make_sample_class(folder, students=4, extras=True)
    (folder / "notes.csv").write_text("name,mark\nann,3\n", encoding="utf-8")
    made = report([folder, tmp_path / "missing.json"])
    lines = "\n".join(made.unusual)
    for expected in (
        "empty.json: empty; skipped.",
        "cut-short.json: not valid JSON",
        "pierre-other-course.json: answers to lessons this course does not have (01-french-revolution), so from another "
        "course; skipped.",
        "yusuf-2025.json: an older progress file (format 1)",
        "aisha: found in",
        "notes.csv: neither a progress file nor a progress export",
        "missing.json: no such file or folder; skipped.",
    ):
        assert expected in lines
    assert len(made.skipped) == 5
    assert {s.student for s in made.students} == {"aisha", "ben", "carmen", "dmitri", "yusuf-2025"}
    page = made.html()
    assert "Skipped (5)" in page and "cut-short.json: not valid JSON" in page
    old = made.questions[(made.questions["lesson"] == "00-start-here") & (made.questions["type"] != "source_analysis")]
    assert (old["right_first_try"] >= 1).all()  # the format-1 file counts in the totals


def test_an_export_gives_the_same_report_as_the_progress_file(tmp_path, monkeypatch):
    folder = tmp_path / "class"
    [source] = [p for p in make_sample_class(folder, students=1, extras=False)]
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        write_rows(progress_rows(student="aisha", path=source), handle)
    from_file, from_export = report(source), report(export)
    for table in ("questions", "options", "typed_answers", "lessons"):
        assert getattr(from_file, table).equals(getattr(from_export, table)), table
    assert from_file.writings["text"].tolist() == from_export.writings["text"].tolist()
    monkeypatch.setattr("sys.stdin", io.StringIO(source.read_text()))
    assert report("-").questions.equals(from_file.questions)


def test_anonymous_reports_name_nobody(tmp_path):
    folder = tmp_path / "class"
    make_sample_class(folder, students=5, extras=True)
    made = report(folder, anonymous=True)
    names = {"aisha", "ben", "carmen", "dmitri", "elif", "yusuf", "pierre", "sasha"}
    text = re.sub(r"data:image/png;base64,[^\"]*", "", made.html()).lower()  # a chart's bytes may spell anything
    assert not [name for name in names if re.search(rf"\b{name}\b", text)]
    assert set(made.writings["student"]) <= {f"Student {n:02d}" for n in range(1, 10)}


def test_the_command_writes_the_page_and_names_each_bad_file(tmp_path, capsys):
    folder = tmp_path / "class"
    assert main(["progress", "sample", str(folder), "--students", "3"]) == 0
    out = tmp_path / "report.html"
    assert main(["progress", "report", str(folder), "--out", str(out), "--anonymous"]) == 0
    err = capsys.readouterr().err
    assert "empty.json: empty; skipped." in err  # the terminal names the file, even for an anonymous report
    assert f"wrote {out}: 4 student(s), 3 file(s) or part(s) skipped" in err
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["progress", "report", str(folder), "--out", str(tmp_path / "no" / "such" / "r.html")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_the_sample_class_is_the_same_for_the_same_seed(tmp_path):
    def contents(folder):
        files = make_sample_class(folder, students=3, seed=7)
        return [re.sub(r'"id": "[0-9a-f]+"', "", Path(f).read_text()) for f in files]

    assert contents(tmp_path / "a") == contents(tmp_path / "b")


def test_the_bars_use_the_course_palette_and_the_page_loads_no_plotting_library():
    """The page's colours are the drawn chart's; building the page (as the class service does) never imports matplotlib."""
    import subprocess
    import sys

    from trotsky_edu.plots.style import OKABE_ITO

    assert (RIGHT_COLOUR, WRONG_COLOUR) == (OKABE_ITO["blue"], OKABE_ITO["orange"])
    code = ("import sys, tempfile; from trotsky_edu import report; from trotsky_edu.classreport.sample import "
            "make_sample_class; d = tempfile.mkdtemp(); make_sample_class(d, students=3); report(d).html(); "
            "print('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
