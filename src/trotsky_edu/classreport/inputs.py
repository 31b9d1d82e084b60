"""Reading a class's progress: raw progress files, exports, folders of them, or standard input.

A teacher collects what students hand in, and what they hand in is uneven: an empty file,
one cut short by a full disk, an old file from before the course kept every attempt, a file
from another course, the same student twice. Each file gets one line saying what was done
with it (:attr:`ClassWork.notes`); a file that cannot be used is listed in
:attr:`ClassWork.skipped` and the report is made from the rest. Nothing is left out without
a line saying so.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trotsky_edu.exercises.bank import Bank
from trotsky_edu.exercises.progress import EXPORT_COLUMNS, OPTIONAL_EXPORT_COLUMNS, parse_progress

SUFFIXES = (".json", ".csv")


@dataclass
class StudentWork:
    """One student's answers: ``{lesson: {question_id: record}}`` as the progress file keeps them."""

    student: str
    files: list[str]
    answers: dict[str, dict[str, dict]]


@dataclass
class ClassWork:
    """The students read, one note per file, the notes about anything unusual, and what was left out and why."""

    students: list[StudentWork] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unusual: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file met, read or not

    def note(self, line: str, *, unusual: bool = True) -> None:
        """Say what was done with a file; ``unusual`` lines are also printed by ``trotsky-edu progress report``."""
        self.notes.append(line)
        if unusual:
            self.unusual.append(line)


def read_class(sources: Iterable[str | Path], banks: dict[str, Bank]) -> ClassWork:
    """Every student in ``sources`` (files, folders of ``.json``/``.csv`` files, or ``-`` for standard input).

    Only lessons and questions in ``banks`` are kept; the rest is noted. Two files for one
    student are merged, keeping each question's latest record.
    """
    work = ClassWork()
    found: list[StudentWork] = []
    for name, text in _texts(sources, work):
        found += _read_text(name, text, banks, work)
    by_name: dict[str, StudentWork] = {}
    for student in found:
        if student.student in by_name:
            kept = by_name[student.student]
            _merge(kept, student)
            work.note(f"{student.student}: found in {' and '.join(kept.files)}; merged, keeping the latest answer "
                      "to each question.")
        else:
            by_name[student.student] = student
    work.students = sorted(by_name.values(), key=lambda s: s.student.lower())
    return work


def _texts(sources: Iterable[str | Path], work: ClassWork) -> Iterable[tuple[str, str]]:
    """``(name, text)`` for every file named or found in a folder named; unreadable ones noted and skipped."""
    for source in sources:
        if str(source) == "-":
            work.files.append("standard input")
            yield "standard input", sys.stdin.read()
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
            if not files:
                _skip(work, f"{path}: a folder with no .json or .csv files in it")
        elif path.exists():
            files = [path]
        else:
            work.files.append(str(path))
            _skip(work, f"{path}: no such file or folder")
            continue
        for file in files:
            work.files.append(str(file))
            try:
                yield str(file), file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                _skip(work, f"{file}: not a text file")
            except OSError as err:
                _skip(work, f"{file}: cannot be read ({err.strerror or err})")


def _skip(work: ClassWork, line: str) -> None:
    work.skipped.append(line)
    work.note(f"{line}; skipped.")


def _read_text(name: str, text: str, banks: dict[str, Bank], work: ClassWork) -> list[StudentWork]:
    if not text.strip():
        _skip(work, f"{name}: empty")
        return []
    if text.lstrip().startswith("{"):
        return _read_progress_file(name, text, banks, work)
    return _read_export(name, text, banks, work)


def _stem(name: str) -> str:
    return Path(name).stem if name != "standard input" else "student"


def _read_progress_file(name: str, text: str, banks: dict[str, Bank], work: ClassWork) -> list[StudentWork]:
    try:
        raw_format = json.loads(text).get("format")
        data = parse_progress(text)
    except json.JSONDecodeError as err:
        _skip(work, f"{name}: not valid JSON ({err.msg} at line {err.lineno}; the file may be cut short)")
        return []
    except (ValueError, AttributeError):
        _skip(work, f"{name}: not a trotsky_edu progress file")
        return []
    student = str(data.get("student") or _stem(name))
    answers = _known(name, data["answers"], banks, work)
    if answers is None:
        return []
    if raw_format == 1:
        work.note(f"{name}: an older progress file (format 1) without the answers of each attempt; read for "
                  "the totals, so it adds nothing to the charts of answers chosen.")
    else:
        work.note(f"{name}: {student}, {_count(answers)}.", unusual=False)
    return [StudentWork(student, [name], answers)]


def _read_export(name: str, text: str, banks: dict[str, Bank], work: ClassWork) -> list[StudentWork]:
    try:
        reader = csv.DictReader(io.StringIO(text))
        columns = reader.fieldnames or []
        missing = [c for c in EXPORT_COLUMNS if c != "student" and c not in OPTIONAL_EXPORT_COLUMNS and c not in columns]
        if missing:
            _skip(work, f"{name}: neither a progress file nor a progress export (no columns {', '.join(missing)})")
            return []
        rows = list(reader)
    except csv.Error as err:
        _skip(work, f"{name}: not a readable CSV file ({err})")
        return []
    by_student: dict[str, dict[str, dict[str, dict]]] = {}
    broken = 0
    for row in rows:
        try:
            record = _record(row)
        except (ValueError, TypeError):
            broken += 1
            continue
        student = (row.get("student") or "").strip() or _stem(name)
        by_student.setdefault(student, {}).setdefault(row["lesson"], {})[row["question_id"]] = record
    if broken:
        work.skipped.append(f"{name}: {broken} row(s) with unreadable numbers or events")
        work.note(f"{name}: {broken} row(s) with unreadable numbers or events; those rows skipped.")
    found = []
    for student, answers in by_student.items():
        known = _known(f"{name} ({student})", answers, banks, work)
        if known is not None:
            found.append(StudentWork(student, [name], known))
    if "events" not in columns:
        work.note(f"{name}: an export made before every attempt was kept; read for the totals only.")
    else:
        work.note(f"{name}: an export of {len(found)} student(s).", unusual=False)
    return found


def _record(row: dict[str, str]) -> dict:
    """A progress record from an export row (ValueError if a number or the events cannot be read)."""
    correct = {"true": True, "false": False, "": None}[row.get("correct", "").strip().lower()]
    events = json.loads(row.get("events") or "[]")
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise ValueError("events must be a list of objects")
    record = {
        "attempts": int(row["attempts"]), "correct": correct, "hints_used": int(row.get("hints_used") or 0),
        "revealed": row.get("revealed", "").strip().lower() == "true", "first_time": row.get("first_time", ""),
        "time": row.get("time", ""), "events": events,
    }
    for event in events:
        if event.get("action") == "write" and isinstance(event.get("answer"), str):
            record["response"] = event["answer"]
        if event.get("action") == "self_assess" and isinstance(event.get("answer"), list):
            record["rubric_met"] = event["answer"]
    return record


def _known(name: str, answers: dict[str, dict[str, dict]], banks: dict[str, Bank], work: ClassWork):
    """The answers to lessons and questions this course has; what is left out gets a note (None: nothing known)."""
    foreign = sorted(lesson for lesson in answers if lesson not in banks)
    known = {lesson: questions for lesson, questions in answers.items() if lesson in banks}
    if answers and not known:
        _skip(work, f"{name}: answers to lessons this course does not have ({', '.join(foreign)}), so from another course")
        return None
    if foreign:
        work.skipped.append(f"{name}: answers to lessons this course does not have ({', '.join(foreign)})")
        work.note(f"{name}: answers to lessons this course does not have ({', '.join(foreign)}) left out.")
    gone = 0
    for lesson, questions in known.items():
        ids = set(banks[lesson].ids())
        gone += sum(qid not in ids for qid in questions)
        known[lesson] = {qid: record for qid, record in questions.items() if qid in ids}
    if gone:
        work.skipped.append(f"{name}: {gone} answer(s) to questions no longer in the banks")
        work.note(f"{name}: {gone} answer(s) to questions no longer in the banks left out.")
    return known


def _merge(kept: StudentWork, other: StudentWork) -> None:
    kept.files += other.files
    for lesson, questions in other.answers.items():
        mine = kept.answers.setdefault(lesson, {})
        for qid, record in questions.items():
            if qid not in mine or record.get("time", "") > mine[qid].get("time", ""):
                mine[qid] = record


def _count(answers: dict[str, dict[str, dict]]) -> str:
    questions = sum(len(q) for q in answers.values())
    return f"{questions} question(s) in {len(answers)} lesson(s)"

