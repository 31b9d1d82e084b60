"""A student's progress: one JSON file per user, kept outside the lessons folder.

The file lives at ``~/.local/share/trotsky_edu/progress.json`` (the per-user data folder
of the operating system, found with platformdirs), or wherever the environment
variable ``TROTSKY_EDU_PROGRESS`` points. It holds, per lesson and question, a summary
(the number of attempts, whether it was answered correctly, how many hints were used,
whether the answer was shown, when) and every event behind it: each attempt with what was
chosen or typed, whether it was right and the hints used by then; each hint, each answer
shown; a written answer as it was saved, and the rubric points its writer ticked.

The file has a format number. Format 1 (summaries only) is read and carried forward into
format 2 on the next write, keeping every field it held; fields this version does not
know are kept as they are.

Two lessons open at once are two kernels writing the same file, so every change is a
read-modify-write under a file lock, and the new content replaces the old in one step
(written to a temporary file, then ``os.replace``): nothing is lost, and a crash never
leaves half a file. A file that cannot be read is set aside as
``progress.corrupt-<timestamp>.json`` with a :class:`ProgressWarning`, and a new one is
started, so a broken file never stops a lesson.
"""

from __future__ import annotations

import csv
import getpass
import json
import os
import tempfile
import uuid
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, TextIO

from filelock import FileLock, Timeout

from trotsky_edu.file_stamp import file_stamp

ENV_VAR = "TROTSKY_EDU_PROGRESS"
FORMAT = 2
READABLE_FORMATS = (1, 2)
ACTIONS = ("submit", "hint", "reveal", "write", "self_assess")
MAX_ANSWER_CHARS = 100_000
# Login names that many people share (a Binder or Docker image's user): not an identity.
SHARED_ACCOUNTS = frozenset({"jovyan", "root", "user", "student", "nobody", "admin", "ubuntu", "vscode", "runner"})
LOCK_TIMEOUT = 30
EXPORT_COLUMNS = (
    "student", "lesson", "question_id", "attempts", "correct", "hints_used", "revealed", "first_time", "time", "events",
)
OPTIONAL_EXPORT_COLUMNS = ("events",)  # exports made before events were kept lack it


class ProgressError(RuntimeError):
    """Progress cannot be saved or read; the message says what to do."""


class ProgressWarning(UserWarning):
    """The progress file could not be read and was set aside; a new one was started."""


class ClassServiceWarning(ProgressWarning):
    """An answer was saved here but the class service refused it; the student is told calmly."""


def progress_path() -> Path:
    """Where progress is kept: ``$TROTSKY_EDU_PROGRESS`` if set, else the per-user data folder."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("trotsky_edu", appauthor=False) / "progress.json"


def _lock(path: Path) -> FileLock:
    return FileLock(f"{path}.lock", timeout=LOCK_TIMEOUT)


def _valid_record(record: object) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("attempts"), int)
        and record.get("correct") in (True, False, None)
        and isinstance(record.get("hints_used"), int)
        and isinstance(record.get("revealed"), bool)
        and isinstance(record.get("time"), str)
        and isinstance(record.get("events", []), list)
        and all(isinstance(e, dict) and e.get("action") in ACTIONS for e in record.get("events", []))
        and isinstance(record.get("response", ""), str)
        and isinstance(record.get("rubric_met", []), list)
    )


def parse_progress(text: str) -> dict:
    """A progress file's content, in the current format; ValueError says why it is unusable.

    A format-1 file gains an empty event list per question; everything else in it is kept.
    """
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS or not isinstance(data.get("answers"), dict):
        raise ValueError(f"it is not a trotsky_edu progress file (format {' or '.join(map(str, READABLE_FORMATS))})")
    for lesson, questions in data["answers"].items():
        if not isinstance(questions, dict) or not all(_valid_record(r) for r in questions.values()):
            raise ValueError(f"the answers of lesson {lesson!r} are malformed")
        for record in questions.values():
            record.setdefault("events", [])
    data["format"] = FORMAT
    return data


def _set_aside(path: Path, reason: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.corrupt-{stamp}.json")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.corrupt-{stamp}-{n}.json")
        n += 1
    os.replace(path, target)
    warnings.warn(
        f"Your progress file {path} could not be read ({reason}). It was set aside as {target.name} "
        "and a new one was started; your answers from now on are saved.",
        ProgressWarning,
        stacklevel=4,
    )
    return target


def empty_progress() -> dict:
    """The content of a progress file with nothing recorded yet."""
    return {"format": FORMAT, "answers": {}}


def _load_locked(path: Path) -> dict:
    """The content of ``path`` (the caller holds the lock); a missing file is empty, a broken one set aside."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty_progress()
    except UnicodeDecodeError:
        _set_aside(path, "it is not text")
        return empty_progress()
    try:
        return parse_progress(text)
    except json.JSONDecodeError as err:
        _set_aside(path, f"it is not valid JSON: {err.msg} at line {err.lineno}")
        return empty_progress()
    except ValueError as err:
        _set_aside(path, str(err))
        return empty_progress()


def _write_locked(path: Path, data: dict, *, sync: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step: write a temporary file beside it, then rename.

    ``sync`` waits for the disk before the rename, so a power cut keeps the old file or the
    new one whole; the rename alone already protects against a crash of the kernel.

    The JSON is compact and written in one piece: ``json.dump`` with an indent encodes in
    Python and writes piece by piece, which made saving most of a Submit click's time (and,
    with thirty kernels on one hub, most of the class's wait).
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _unusable(path: Path, err: Exception, *, saving: bool) -> ProgressError:
    doing = "saved to" if saving else "read from"
    if isinstance(err, Timeout):
        return ProgressError(
            f"Progress could not be {doing} {path}: the file stayed locked for {LOCK_TIMEOUT} s. "
            f"If no other lesson is running, delete {path}.lock and try again."
        )
    reason = getattr(err, "strerror", None) or str(err)
    return ProgressError(
        f"Progress could not be {doing} {path}: {reason}. Set the environment variable {ENV_VAR} "
        "to a file you can write, for example in your home folder."
    )


def _read(path: Path | None) -> dict:
    """The file's content, read under its lock (empty when there is no file yet)."""
    path = progress_path() if path is None else Path(path)
    if not path.exists():
        return empty_progress()
    try:
        with _lock(path):
            return _load_locked(path)
    except (OSError, Timeout) as err:
        raise _unusable(path, err, saving=False) from None


def read_progress(*, path: Path | None = None) -> dict[str, dict[str, dict]]:
    """Every recorded answer: ``{lesson: {question_id: record}}`` (empty if nothing is recorded yet)."""
    return _read(path)["answers"]


def _update(path: Path | None, change, *, sync: bool = True) -> object:
    """Apply ``change`` to the file's content under its lock and write it back; return what ``change`` returns."""
    path = progress_path() if path is None else Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock(path):
            data = _load_locked(path)
            result = change(data)
            _write_locked(path, data, sync=sync)
    except (OSError, Timeout) as err:
        raise _unusable(path, err, saving=True) from None
    return result


def _kept(answer: object) -> object:
    """An answer as it is stored: JSON values as they are, long text cut at :data:`MAX_ANSWER_CHARS`."""
    if isinstance(answer, str):
        return answer[:MAX_ANSWER_CHARS]
    if isinstance(answer, (list, tuple, set, frozenset)):
        return [_kept(item) for item in answer]
    if isinstance(answer, dict):
        return {str(key): _kept(value) for key, value in answer.items()}
    if answer is None or isinstance(answer, (bool, int)) or (isinstance(answer, float) and answer == answer and abs(answer) != float("inf")):
        return answer
    return str(answer)[:MAX_ANSWER_CHARS]


def record_answer(
    lesson: str,
    question_id: str,
    action: str = "submit",
    *,
    answer: object = None,
    correct: bool | None = None,
    score: float | None = None,
    hints_used: int = 0,
    path: Path | None = None,
) -> dict:
    """Add one event for a question to the progress file and return its updated record.

    ``action`` is what the student did: ``submit`` an answer (an attempt: ``answer`` is what
    was chosen or typed, ``correct`` and ``score`` its grade), ask for a ``hint``, ``reveal``
    the answer, ``write`` a written answer (saved without submitting; ``answer`` is the
    text), or ``self_assess`` it (``answer`` lists the rubric points ticked, by number).
    See :func:`add_event` for what the record keeps. Raises :class:`ProgressError` if the
    file cannot be written.
    """
    from trotsky_edu.hub import outbox

    event = new_event(action, answer=answer, correct=correct, score=score, hints_used=hints_used)
    named = _named_student()
    sending = outbox.configured()

    def change(data: dict) -> tuple[dict, list[dict]]:
        """The event added, and the outbox as written (handed to the delivery, which need not read it again)."""
        record = add_event(data, lesson, question_id, event, student=named)
        if not sending:
            return record, []
        data.setdefault("outbox", []).append([lesson, question_id, event["id"]])
        return record, _outbox_events(data)

    path = progress_path() if path is None else Path(path)
    record, queued = _update(path, change)
    if sending:
        delivery = outbox.deliver(path, pending=queued)
        if delivery is not None and delivery.refused:
            warnings.warn(
                f"Your answer is saved on this computer. The class service did not take it ({delivery.message}); "
                "your teacher can still collect it from your progress file.",
                ClassServiceWarning, stacklevel=2,
            )
    return record


def pending_events(*, path: Path | None = None) -> list[dict]:
    """The events in the file's outbox, oldest first, each with its ``lesson`` and ``question_id``."""
    return _outbox_events(_read(path))


def _outbox_events(data: dict) -> list[dict]:
    """The events in the outbox of ``data`` (a progress file's content), as :func:`pending_events` gives them."""
    found = []
    for lesson, question_id, event_id in data.get("outbox", []):
        record = data["answers"].get(lesson, {}).get(question_id, {})
        event = next((e for e in record.get("events", []) if e.get("id") == event_id), None)
        if event is not None:
            found.append({**event, "lesson": lesson, "question_id": question_id})
    return found


def settle_outbox(event_ids: list[str], *, refused: str = "", path: Path | None = None) -> list[dict]:
    """Take ``event_ids`` out of the outbox: delivered, or ``refused`` by the service (kept with its reason).

    Returns the events still in the outbox (as :func:`pending_events` would), so a delivery
    sees answers given meanwhile without reading the file once more. Written without
    waiting for the disk: if a power cut undid it, the events would be sent again and the
    service, which stores each id once, would ignore them.
    """
    done = set(event_ids)

    def change(data: dict) -> list[dict]:
        taken = [entry for entry in data.get("outbox", []) if entry[2] in done]
        data["outbox"] = [entry for entry in data.get("outbox", []) if entry[2] not in done]
        if refused:
            data.setdefault("refused", []).extend([*entry, refused] for entry in taken)
        return _outbox_events(data)

    return _update(path, change, sync=False)


def new_event(action: str, *, answer: object = None, correct: bool | None = None, score: float | None = None,
              hints_used: int = 0, at: datetime | None = None) -> dict:
    """One event as the progress file keeps it, with an ``id`` so a copy sent twice is recognised."""
    if action not in ACTIONS:
        raise ValueError(f"unknown progress action {action!r}; use one of {', '.join(ACTIONS)}")
    when = (at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    event = {"id": uuid.uuid4().hex, "action": action, "time": when, "hints_used": hints_used}
    if action in ("submit", "write", "self_assess"):
        event["answer"] = _kept(answer)
    if action == "submit":
        event["correct"] = correct
        if score is not None:
            event["score"] = round(float(score), 4)
    return event


def add_event(data: dict, lesson: str, question_id: str, event: dict, *, student: str = "") -> dict:
    """Add ``event`` to the content of a progress file (in memory) and return the question's updated record.

    The record keeps every event and a summary: ``attempts`` counts submits, ``correct``
    stays True once the question has been answered right, ``hints_used`` keeps the most
    hints ever used, ``revealed`` whether the answer was shown, ``response`` the latest
    written answer and ``rubric_met`` the latest self-assessment. ``student`` names the
    file's student, once, for class reports.
    """
    action, now = event["action"], event["time"]
    old = data["answers"].setdefault(lesson, {}).get(question_id)
    record = old if old is not None else {
        "attempts": 0, "correct": None, "hints_used": 0, "revealed": False, "first_time": now, "events": [],
    }
    record.setdefault("first_time", record.get("time", now))
    if action == "submit":
        record["attempts"] += 1
        record["correct"] = True if record["correct"] is True else event["correct"]
    if action == "reveal":
        record["revealed"] = True
    if action == "write":
        record["response"] = event["answer"] if isinstance(event["answer"], str) else ""
    if action == "self_assess":
        record["rubric_met"] = [n for n in event["answer"] or [] if isinstance(n, int) and not isinstance(n, bool)]
    record["hints_used"] = max(event["hints_used"], record["hints_used"])
    record["time"] = now
    record["events"].append(event)
    data["answers"][lesson][question_id] = record
    if student and "student" not in data:
        data["student"] = student
    return record


def student_id(*, path: Path | None = None) -> str:
    """Who the student is, for the order options are shown in: stable for one student, different between them.

    The hub user where JupyterHub runs the lesson (``JUPYTERHUB_USER``); else the login
    name, unless it is one many people share (:data:`SHARED_ACCOUNTS`, such as Binder's
    ``jovyan``); else a random id kept in the progress file, made on first use.
    """
    hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return f"hub:{hub_user}"
    login = _login()
    if login:
        return f"user:{login}"

    path = progress_path() if path is None else Path(path)
    known = _stored_student_id(path)
    if known is None:
        known = _update(path, lambda data: data.setdefault("student_id", uuid.uuid4().hex[:16]))
    return f"id:{known}"


def _stored_student_id(path: Path) -> str | None:
    """The id kept in the progress file, read without writing (None if there is none yet).

    Read again only when the file has changed since: a lesson asks once for every exercise whose
    choices it orders, and reading the file under its lock took about a millisecond each time.
    """
    stamp = file_stamp(path)
    cached = _STORED_IDS.get(path)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    known = _read(path).get("student_id")
    known = known if isinstance(known, str) and known else None
    if stamp is not None and known is not None:
        _STORED_IDS[path] = (stamp, known)
    return known


#: The id read from each progress file, with the file's (modification time in ns, size) when it was read.
_STORED_IDS: dict[Path, tuple[tuple[int, int], str]] = {}


def _login() -> str:
    """The login name, unless it is one many people share (then empty)."""
    try:
        login = getpass.getuser().strip()
    except (OSError, KeyError):
        return ""
    return "" if login.lower() in SHARED_ACCOUNTS else login


def _named_student() -> str:
    """The student's name where the machine tells it (hub user, else own login), kept in the file for reports."""
    return os.environ.get("JUPYTERHUB_USER", "").strip() or _login()


def saved_record(lesson: str, question_id: str, *, path: Path | None = None) -> dict | None:
    """The record of one question, or None when nothing is recorded (or the file cannot be read)."""
    try:
        return read_progress(path=path).get(lesson, {}).get(question_id)
    except ProgressError:
        return None


def progress_rows(*, student: str = "", path: Path | None = None) -> list[dict[str, str]]:
    """The recorded answers as CSV rows (columns :data:`EXPORT_COLUMNS`), sorted by lesson and question."""
    rows = []
    for lesson, questions in sorted(read_progress(path=path).items()):
        for question_id, record in sorted(questions.items()):
            correct = record["correct"]
            rows.append({
                "student": student,
                "lesson": lesson,
                "question_id": question_id,
                "attempts": str(record["attempts"]),
                "correct": "" if correct is None else str(correct).lower(),
                "hints_used": str(record["hints_used"]),
                "revealed": str(record["revealed"]).lower(),
                "first_time": record.get("first_time", ""),
                "time": record["time"],
                "events": json.dumps(record.get("events", []), ensure_ascii=False, separators=(",", ":")),
            })
    return rows


def write_rows(rows: Iterable[dict[str, str]], out: TextIO) -> None:
    """Write progress rows as CSV with the :data:`EXPORT_COLUMNS` header."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def read_export(file: Path) -> list[dict[str, str]]:
    """The rows of one exported CSV, each with a student (the file's own, else the file name without .csv)."""
    file = Path(file)
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in EXPORT_COLUMNS
                       if c != "student" and c not in OPTIONAL_EXPORT_COLUMNS and c not in (reader.fieldnames or [])]
            if missing:
                raise ProgressError(
                    f"{file}: not a progress export (missing columns: {', '.join(missing)}). "
                    "Make exports with `trotsky-edu progress export --out FILE`."
                )
            rows = list(reader)
    except FileNotFoundError:
        raise ProgressError(f"{file}: no such file. Check the name and folder.") from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ProgressError(f"{file}: cannot be read as a CSV text file ({err}).") from None
    return [{**{c: row.get(c) or "" for c in EXPORT_COLUMNS}, "student": (row.get("student") or "").strip() or file.stem} for row in rows]


def merge_exports(files: Iterable[Path]) -> list[dict[str, str]]:
    """One table from a class's exports, sorted by student, lesson and question.

    Every file is checked before anything is merged, and all problems are reported
    together. When the same student's answer to a question appears twice (an export
    handed in twice), the most recent one is kept.
    """
    problems, latest = [], {}
    for file in files:
        try:
            rows = read_export(file)
        except ProgressError as err:
            problems.append(str(err))
            continue
        for row in rows:
            key = (row["student"], row["lesson"], row["question_id"])
            if key not in latest or row["time"] > latest[key]["time"]:
                latest[key] = row
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise ProgressError(f"{len(problems)} file(s) cannot be merged; nothing was written:\n{listed}")
    return [latest[key] for key in sorted(latest)]


@dataclass(frozen=True)
class Completion:
    """How far a student is in one lesson: questions answered and answered right, of the total."""

    lesson: str
    total: int
    answered: int
    correct: int


def course_lessons() -> list[str]:
    """The course lessons that have a question bank: the banks named like lessons (``NN-slug``)."""
    from trotsky_edu.exercises.bank import LESSON_NAME, list_banks

    return [name for name in list_banks() if LESSON_NAME.match(name)]


def lesson_completion(lesson: str, answers: dict[str, dict[str, dict]]) -> Completion:
    """Completion of ``lesson`` given the recorded ``answers``; questions no longer in its bank are not counted."""
    from trotsky_edu.exercises.bank import load_bank

    ids = load_bank(lesson).ids()
    records = [answers.get(lesson, {}).get(qid) for qid in ids]
    done = [r for r in records if r and r["attempts"] > 0]
    return Completion(lesson=lesson, total=len(ids), answered=len(done), correct=sum(r["correct"] is True for r in done))


def completion(lessons: Iterable[str] | None = None, *, path: Path | None = None) -> list[Completion]:
    """Completion of each of ``lessons`` (default: :func:`course_lessons`), from the progress file."""
    answers = read_progress(path=path)
    return [lesson_completion(lesson, answers) for lesson in (course_lessons() if lessons is None else lessons)]
