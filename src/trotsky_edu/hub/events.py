"""The answer events a student's kernel sends to the class service, and the checks they must pass.

A delivery is JSON: ``{"events": [event, ...]}``, each event as the progress file keeps it
(:func:`trotsky_edu.exercises.progress.new_event`) plus its ``lesson`` and ``question_id``.
Who answered is never part of it: the service takes the student from the token that made
the request, so one student cannot post as another. A delivery that breaks a rule is refused
whole, with the HTTP status and a message that says what to fix.
"""

from __future__ import annotations

import json
import re

from trotsky_edu.exercises.progress import ACTIONS, MAX_ANSWER_CHARS

MAX_EVENTS = 200  # per delivery; a kernel's outbox sends in batches of this size
MAX_BYTES = 2 * MAX_ANSWER_CHARS + 64 * 1024  # a delivery of one long written answer fits, with room for its JSON
_ID = re.compile(r"^[0-9a-zA-Z_-]{8,64}$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,127}$")
_FIELDS = {"id", "lesson", "question_id", "action", "time", "hints_used", "answer", "correct", "score"}
IDENTITY_FIELDS = {"user", "student", "name", "username"}


class EventError(ValueError):
    """A delivery the service refuses: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def check_delivery(body: bytes, *, max_bytes: int = MAX_BYTES) -> list[dict]:
    """The events of a delivery's body, checked; :class:`EventError` says why one is refused."""
    if len(body) > max_bytes:
        raise EventError(413, f"the delivery is {len(body):,} bytes; the most the class service takes is {max_bytes:,}.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise EventError(400, f"the delivery is not JSON text ({err}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise EventError(400, 'a delivery is {"events": [...]}, a list of answer events.')
    if IDENTITY_FIELDS & set(data):
        raise EventError(403, "events are stored under the student whose token sent them; do not name a student.")
    batch = data["events"]
    if len(batch) > MAX_EVENTS:
        raise EventError(413, f"the delivery holds {len(batch)} events; send at most {MAX_EVENTS} at a time.")
    for number, event in enumerate(batch):
        problem = _event_problem(event)
        if problem:
            status = 403 if isinstance(event, dict) and IDENTITY_FIELDS & set(event) else 400
            raise EventError(status, f"event {number}: {problem}")
    return batch


def _event_problem(event: object) -> str:
    if not isinstance(event, dict):
        return "must be an object."
    if IDENTITY_FIELDS & set(event):
        return "events are stored under the student whose token sent them; do not name a student."
    unknown = set(event) - _FIELDS
    if unknown:
        return f"unknown field(s) {', '.join(sorted(unknown))}."
    if not isinstance(event.get("id"), str) or not _ID.match(event["id"]):
        return "'id' must be 8 to 64 letters, digits, '-' or '_'."
    for field in ("lesson", "question_id"):
        if not isinstance(event.get(field), str) or not _NAME.match(event[field]):
            return f"{field!r} must be a lesson or question id (lower-case letters, digits, '-', '_')."
    if event.get("action") not in ACTIONS:
        return f"'action' must be one of {', '.join(ACTIONS)}."
    if not isinstance(event.get("time"), str) or len(event["time"]) > 40:
        return "'time' must be an ISO date and time."
    hints = event.get("hints_used", 0)
    if not isinstance(hints, int) or isinstance(hints, bool) or not 0 <= hints <= 20:
        return "'hints_used' must be a whole number from 0 to 20."
    if event.get("correct") not in (True, False, None):
        return "'correct' must be true, false or null."
    if isinstance(event.get("answer"), str) and len(event["answer"]) > MAX_ANSWER_CHARS:
        return f"'answer' is longer than {MAX_ANSWER_CHARS:,} characters."
    return ""
