"""Saved progress: where it lives, atomic locked writes, corrupt files set aside, CSV export and merge."""

import csv
import io
import json
import multiprocessing
import os
import re
from pathlib import Path

import pytest

from trotsky_edu.cli import main
from trotsky_edu.exercises import progress
from trotsky_edu.exercises.progress import (
    ProgressError,
    ProgressWarning,
    completion,
    progress_path,
    read_progress,
    record_answer,
)

WRITERS, WRITES = 4, 25


@pytest.fixture
def path(tmp_path, monkeypatch):
    target = tmp_path / "store" / "progress.json"
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(target))
    return target


# --- where ---------------------------------------------------------------------------------------


def test_default_location_is_the_per_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("TROTSKY_EDU_PROGRESS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert progress_path() == tmp_path / "share" / "trotsky_edu" / "progress.json"


def test_environment_variable_overrides_the_location_and_expands_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", "~/class/me.json")
    assert progress_path() == tmp_path / "class" / "me.json"


# --- recording ---------------------------------------------------------------------------------


def test_first_answer_creates_the_file_and_its_folder(path):
    record = record_answer("demo", "q1", correct=False, hints_used=1)
    assert path.is_file()
    saved = json.loads(path.read_text())
    assert saved["format"] == 2 and saved["answers"]["demo"]["q1"] == record
    assert (record["attempts"], record["correct"], record["hints_used"], record["revealed"]) == (1, False, 1, False)
    assert record["time"] == record["first_time"]


def test_attempts_add_up_and_a_right_answer_stays_right(path):
    record_answer("demo", "q1", correct=False, hints_used=2)
    record_answer("demo", "q1", correct=True, hints_used=0)
    record = record_answer("demo", "q1", correct=False)
    assert (record["attempts"], record["correct"], record["hints_used"]) == (3, True, 2)


def test_showing_the_answer_is_recorded_without_an_attempt(path):
    record_answer("demo", "q1", correct=False)
    record = record_answer("demo", "q1", "reveal")
    assert (record["attempts"], record["revealed"], record["correct"]) == (1, True, False)


def test_every_event_is_kept_with_what_was_chosen_whether_right_the_hints_and_the_time(path):
    record_answer("demo", "q1", "hint", hints_used=1)
    record_answer("demo", "q1", answer="Lenin's Bolsheviks", correct=False, score=0.0, hints_used=1)
    record_answer("demo", "q1", answer=["Turkey", "France"], correct=True, score=1.0, hints_used=2)
    record = record_answer("demo", "q1", "reveal", hints_used=2)
    events = record["events"]
    assert [e["action"] for e in events] == ["hint", "submit", "submit", "reveal"]
    assert (events[1]["answer"], events[1]["correct"], events[1]["score"], events[1]["hints_used"]) == (
        "Lenin's Bolsheviks", False, 0.0, 1)
    assert events[2]["answer"] == ["Turkey", "France"] and events[2]["hints_used"] == 2
    assert all(re.match(r"\d{4}-\d\d-\d\dT", e["time"]) for e in events)
    assert len({e["id"] for e in events}) == 4  # an id each, so a copy sent twice can be told apart
    assert read_progress()["demo"]["q1"]["events"] == events


def test_answers_of_every_kind_are_stored_as_json_and_long_text_is_capped(path):
    record_answer("demo", "m", answer={"Martov": "Mensheviks", "Lenin": None}, correct=False)
    record_answer("demo", "e", answer=float("nan"), correct=False)
    record_answer("demo", "t", "write", answer="x" * (progress.MAX_ANSWER_CHARS + 10))
    answers = read_progress()["demo"]
    assert answers["m"]["events"][0]["answer"] == {"Martov": "Mensheviks", "Lenin": None}
    assert answers["e"]["events"][0]["answer"] == "nan"
    assert len(answers["t"]["response"]) == progress.MAX_ANSWER_CHARS


def test_a_written_answer_and_its_self_assessment_are_kept_without_counting_an_attempt(path):
    record_answer("demo", "sa", "write", answer="My first draft")
    record = record_answer("demo", "sa", "write", answer="My second, longer draft")
    assert (record["response"], record["attempts"]) == ("My second, longer draft", 0)
    record_answer("demo", "sa", answer="My second, longer draft", correct=None)
    record = record_answer("demo", "sa", "self_assess", answer=[0, 2])
    assert (record["attempts"], record["rubric_met"], record["correct"]) == (1, [0, 2], None)
    assert [e["action"] for e in record["events"]] == ["write", "write", "submit", "self_assess"]


def test_an_unknown_action_is_refused_before_anything_is_written(path):
    with pytest.raises(ValueError, match="unknown progress action 'guess'"):
        record_answer("demo", "q1", "guess")
    assert not path.exists()


def test_a_format_1_file_is_read_and_carried_forward_without_losing_anything(path):
    path.parent.mkdir(parents=True)
    old = {"attempts": 2, "correct": True, "hints_used": 1, "revealed": False, "first_time": "2026-01-01T10:00:00+00:00",
           "time": "2026-01-01T10:05:00+00:00", "teacher_note": "kept"}
    path.write_text(json.dumps({"format": 1, "answers": {"demo": {"q1": old}}, "class": "7B"}))
    assert read_progress()["demo"]["q1"] == {**old, "events": []}
    record = record_answer("demo", "q1", answer="x", correct=False)
    saved = json.loads(path.read_text())
    assert saved["format"] == 2 and saved["class"] == "7B"
    assert {k: record[k] for k in old} == {**old, "attempts": 3, "time": record["time"]}
    assert record["events"][0]["answer"] == "x"


# --- who the student is ------------------------------------------------------------------------


def test_the_student_is_the_hub_user_where_there_is_one(path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    assert progress.student_id() == "hub:alice"
    assert not path.exists()


def test_else_the_login_name(path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(progress.getpass, "getuser", lambda: "boris")
    assert progress.student_id() == "user:boris"


@pytest.mark.parametrize("login", ["jovyan", "root", None])
def test_else_an_id_kept_in_the_progress_file(path, monkeypatch, login):
    """A login many share (Binder's jovyan, root in a container), or none at all, is not an identity."""
    def getuser():
        if login is None:
            raise OSError("no login name")
        return login

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(progress.getpass, "getuser", getuser)
    first = progress.student_id()
    assert re.fullmatch(r"id:[0-9a-f]{16}", first)
    record_answer("demo", "q1", correct=True)
    assert progress.student_id() == first == f"id:{json.loads(path.read_text())['student_id']}"
    path.unlink()
    assert progress.student_id() != first


def test_the_kept_id_is_read_again_only_when_the_file_has_changed(path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(progress.getpass, "getuser", lambda: "jovyan")
    first = progress.student_id()
    reads = []
    real_read = progress._read
    monkeypatch.setattr(progress, "_read", lambda p: reads.append(p) or real_read(p))
    assert [progress.student_id() for _ in range(3)] == [first] * 3
    assert len(reads) == 1  # the file was written when the id was made; it is read once after that
    data = json.loads(path.read_text())
    data["student_id"] = "0123456789abcdef"
    path.write_text(json.dumps(data))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert progress.student_id() == "id:0123456789abcdef"
    assert len(reads) == 2


def test_source_analysis_is_recorded_as_not_graded(path):
    assert record_answer("demo", "q1", correct=None)["correct"] is None


def test_writes_leave_no_temporary_files(path):
    for n in range(5):
        record_answer("demo", f"q{n}", correct=True)
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.json", "progress.json.lock"]


def test_a_failed_write_leaves_the_old_file_whole(path, monkeypatch):
    record_answer("demo", "q1", correct=True)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress.os, "replace", broken_replace)
    with pytest.raises(ProgressError, match="No space left on device.*TROTSKY_EDU_PROGRESS"):
        record_answer("demo", "q2", correct=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.json", "progress.json.lock"]


def test_a_held_lock_becomes_a_clear_error(path, monkeypatch):
    from filelock import FileLock

    record_answer("demo", "q1", correct=True)
    monkeypatch.setattr(progress, "LOCK_TIMEOUT", 0.1)
    held = FileLock(f"{path}.lock")
    with held:
        outcome = multiprocessing.get_context("spawn").Pool(1).apply(_record_quickly, (str(path),))
    assert "stayed locked" in outcome and "progress.json.lock" in outcome


def _record_quickly(target):
    progress.LOCK_TIMEOUT = 0.1
    try:
        record_answer("demo", "q9", correct=True, path=Path(target))
    except ProgressError as err:
        return str(err)
    return "saved"


def _writer(args):
    target, writer = args
    for n in range(WRITES):
        record_answer("demo", f"w{writer}-q{n}", correct=True, path=Path(target))
        record_answer("demo", "shared", correct=False, path=Path(target))
    return writer


def test_concurrent_writers_lose_nothing(path):
    """Several kernels (processes) writing at once: every answer and every attempt is kept."""
    path.parent.mkdir(parents=True)
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        assert sorted(pool.map(_writer, [(str(path), w) for w in range(WRITERS)])) == list(range(WRITERS))
    answers = read_progress()["demo"]
    assert len(answers) == WRITERS * WRITES + 1
    assert answers["shared"]["attempts"] == WRITERS * WRITES


# --- reading, corrupt and missing files ------------------------------------------------------


def test_missing_file_reads_as_no_progress_without_a_warning(path, recwarn):
    assert read_progress() == {}
    assert not recwarn.list


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": 1, "answers": []}', "not a trotsky_edu progress file"),
        (b'["a list"]', "not a trotsky_edu progress file"),
        (b'{"format": 1, "answers": {"demo": {"q": {"attempts": "many"}}}}', "answers of lesson 'demo' are malformed"),
        (b"\xff\xfe\x00garbage", "not text"),
        (b"", "not valid JSON"),
    ],
)
def test_corrupt_file_is_set_aside_with_a_warning_and_a_new_one_started(path, content, reason):
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.warns(ProgressWarning, match=rf"could not be read \(.*{re.escape(reason)}.*set aside as progress\.corrupt-"):
        record_answer("demo", "q1", correct=True)
    aside = list(path.parent.glob("progress.corrupt-*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert read_progress() == {"demo": {"q1": json.loads(path.read_text())["answers"]["demo"]["q1"]}}


def test_two_corrupt_files_in_the_same_second_are_both_kept(path):
    path.parent.mkdir(parents=True)
    for content in ("first", "second"):
        path.write_text(content)
        with pytest.warns(ProgressWarning):
            read_progress()
    assert sorted(p.read_text() for p in path.parent.glob("progress.corrupt-*.json")) == ["first", "second"]


def test_unwritable_location_raises_a_progress_error_naming_the_fix(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ProgressError, match="could not be saved to .*Set the environment variable TROTSKY_EDU_PROGRESS"):
        record_answer("demo", "q", correct=True, path=blocker / "progress.json")


def test_completion_counts_answered_and_correct_questions_of_a_bank(path):
    record_answer("demo", "demo-alma-ata", correct=True)
    record_answer("demo", "demo-soviet-year", correct=False)
    record_answer("demo", "no-longer-in-the-bank", correct=True)
    [demo] = completion(["demo"])
    assert (demo.lesson, demo.total, demo.answered, demo.correct) == ("demo", 8, 2, 1)


def test_course_completion_lists_only_lessons_named_like_lessons(path):
    lessons = [c.lesson for c in completion()]
    assert "demo" not in lessons
    assert all(name[:2].isdigit() and name[2] == "-" for name in lessons)


# --- the command line -------------------------------------------------------------------------


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_export_prints_csv_with_a_student_column(path, capsys):
    record_answer("demo", "q1", correct=True, hints_used=1)
    record_answer("demo", "q2", correct=None)
    assert main(["progress", "export", "--student", "Ann"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert [(r["student"], r["lesson"], r["question_id"], r["attempts"], r["correct"], r["hints_used"]) for r in rows] == [
        ("Ann", "demo", "q1", "1", "true", "1"),
        ("Ann", "demo", "q2", "1", "", "0"),
    ]


def test_export_to_a_file(path, tmp_path, capsys):
    record_answer("demo", "q1", correct=False)
    out = tmp_path / "ann.csv"
    assert main(["progress", "export", "--out", str(out)]) == 0
    assert "wrote 1 row(s)" in capsys.readouterr().err
    assert _rows(out.read_text())[0]["correct"] == "false"


def test_export_without_progress_writes_the_header_and_says_why(path, capsys):
    assert main(["progress", "export"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("student,lesson,question_id,attempts,correct")
    assert "No progress recorded yet" in captured.err


def test_export_to_an_unwritable_file_is_a_clear_error(path, tmp_path, capsys):
    assert main(["progress", "export", "--out", str(tmp_path / "missing-dir" / "x.csv")]) == 1
    assert "cannot write" in capsys.readouterr().err


def _export(tmp_path, monkeypatch, name, answers, *, student=""):
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(tmp_path / f"{name}-progress.json"))
    for question_id, correct in answers:
        record_answer("demo", question_id, correct=correct)
    out = tmp_path / f"{name}.csv"
    assert main(["progress", "export", "--out", str(out), *(["--student", student] if student else [])]) == 0
    return out


def test_merge_takes_the_student_from_the_file_name_or_the_export(tmp_path, monkeypatch, capsys):
    alice = _export(tmp_path, monkeypatch, "alice", [("q1", True), ("q2", False)])
    bob = _export(tmp_path, monkeypatch, "export-3", [("q1", False)], student="Bob")
    merged = tmp_path / "class.csv"
    assert main(["progress", "merge", str(bob), str(alice), "--out", str(merged)]) == 0
    rows = _rows(merged.read_text())
    assert [(r["student"], r["question_id"], r["correct"]) for r in rows] == [
        ("Bob", "q1", "false"), ("alice", "q1", "true"), ("alice", "q2", "false"),
    ]


def test_merge_keeps_the_latest_row_when_an_export_is_handed_in_twice(tmp_path, capsys):
    header = ",".join(progress.EXPORT_COLUMNS)
    old = tmp_path / "a.csv"
    new = tmp_path / "b.csv"
    old.write_text(f"{header}\nann,demo,q1,1,false,0,false,2024-01-01T00:00:00+00:00,2024-01-01T00:00:00+00:00\n")
    new.write_text(f"{header}\nann,demo,q1,3,true,1,false,2024-01-01T00:00:00+00:00,2024-02-01T00:00:00+00:00\n")
    assert main(["progress", "merge", str(old), str(new)]) == 0
    rows = _rows(capsys.readouterr().out)
    assert [(r["student"], r["attempts"]) for r in rows] == [("ann", "3")]


def test_merge_reports_every_bad_file_and_writes_nothing(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(",".join(progress.EXPORT_COLUMNS) + "\n")
    notes = tmp_path / "notes.csv"
    notes.write_text("name,mark\nann,3\n")
    out = tmp_path / "class.csv"
    assert main(["progress", "merge", str(good), str(tmp_path / "absent.csv"), str(notes), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2 file(s) cannot be merged; nothing was written" in err
    assert "absent.csv: no such file" in err
    assert "notes.csv: not a progress export (missing columns: lesson, question_id" in err
    assert not out.exists()


def test_merge_of_a_binary_file_is_a_clear_error(tmp_path, capsys):
    blob = tmp_path / "photo.csv"
    blob.write_bytes(b"\xff\xd8\xff\xe0\x00")
    assert main(["progress", "merge", str(blob)]) == 1
    assert "cannot be read as a CSV text file" in capsys.readouterr().err


def test_progress_without_an_action_prints_help(capsys):
    assert main(["progress"]) == 2
    assert "export" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["progress", "--help"], ["progress", "export", "--help"], ["progress", "merge", "--help"]])
def test_help_works_for_every_progress_command(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    assert "usage: trotsky-edu progress" in capsys.readouterr().out


def test_environment_variable_is_respected_by_the_default_path(path):
    record_answer("demo", "q1", correct=True)
    assert os.environ["TROTSKY_EDU_PROGRESS"] == str(path) and path.is_file()
