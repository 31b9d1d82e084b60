"""The class service's database and its checks on deliveries, without a hub."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from trotsky_edu.hub.events import MAX_EVENTS, EventError, check_delivery
from trotsky_edu.hub.store import add_events, connect, load_events, sqlite_url


def _event(number: int, **fields) -> dict:
    return {"id": f"event{number:08d}", "lesson": "01-revolution", "question_id": "rev-split-1903",
            "action": "submit", "time": f"2026-12-01T09:{number // 60 % 60:02d}:{number % 60:02d}+00:00",
            "hints_used": 0, "answer": "Martov's", "correct": True, **fields}


def test_an_event_sent_twice_is_stored_once(tmp_path):
    engine = connect(sqlite_url(tmp_path))
    first = add_events(engine, "alice", [_event(1), _event(2)])
    again = add_events(engine, "alice", [_event(2), _event(3), _event(3)])
    assert (first.stored, first.duplicates, again.stored, again.duplicates) == (2, 0, 1, 2)
    assert [e["id"] for _, e in load_events(engine)] == ["event00000001", "event00000002", "event00000003"]


def test_one_students_ids_never_block_anothers(tmp_path):
    engine = connect(sqlite_url(tmp_path))
    add_events(engine, "mallory", [_event(1, answer="guessed bob's id")])
    assert add_events(engine, "bob", [_event(1)]).stored == 1
    assert load_events(engine, user="bob") == [("bob", _event(1))]


def test_events_are_read_back_whole_per_student_and_lesson(tmp_path):
    engine = connect(sqlite_url(tmp_path))
    add_events(engine, "alice", [_event(1, answer={"Martov": "Mensheviks"})])
    add_events(engine, "bob", [_event(2, lesson="02-civil-war")])
    assert load_events(engine, user="alice") == [("alice", _event(1, answer={"Martov": "Mensheviks"}))]
    assert [user for user, _ in load_events(engine, lessons=["02-civil-war"])] == ["bob"]


def test_sqlite_is_in_write_ahead_log_mode(tmp_path):
    connect(sqlite_url(tmp_path))
    with sqlite3.connect(tmp_path / "trotsky-edu-class.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WRITER = """
import sys
from trotsky_edu.hub.store import add_events, connect, sqlite_url
engine = connect(sqlite_url(sys.argv[1]))
n = 0
while True:
    batch = [{"id": f"b{n:06d}e{k:03d}", "lesson": "01-revolution", "question_id": "q", "action": "submit",
              "time": "2026-12-01T09:00:00+00:00", "hints_used": 0, "answer": "x" * 2000, "correct": False}
             for k in range(50)]
    add_events(engine, "alice", batch)
    n += 1
    if n == 3:
        print("writing", flush=True)
"""


def test_the_database_survives_a_crash_mid_write(tmp_path):
    """A writer killed with SIGKILL in the middle of its transactions leaves whole batches only, and a sound file."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"
    time.sleep(0.3)
    writer.send_signal(signal.SIGKILL)
    writer.wait(10)
    with sqlite3.connect(tmp_path / "trotsky-edu-class.sqlite") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    engine = connect(sqlite_url(tmp_path))
    stored = [event for _, event in load_events(engine)]
    assert len(stored) >= 150 and len(stored) % 50 == 0  # every batch whole, or not there at all
    assert all(event["answer"] == "x" * 2000 for event in stored)
    assert add_events(engine, "alice", [stored[0]]).duplicates == 1  # and it goes on working


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"\xff\xfe", 400, "not JSON text"),
        (b"[1, 2]", 400, 'a delivery is {"events": [...]}'),
        (json.dumps({"events": [_event(1, student="bob")]}).encode(), 403, "do not name a student"),
        (json.dumps({"user": "bob", "events": []}).encode(), 403, "do not name a student"),
        (json.dumps({"events": [_event(1, action="cheat")]}).encode(), 400, "'action' must be one of"),
        (json.dumps({"events": [_event(1, lesson="../etc")]}).encode(), 400, "'lesson' must be a lesson"),
        (json.dumps({"events": [_event(1, extra=1)]}).encode(), 400, "unknown field(s) extra"),
        (json.dumps({"events": [_event(1, hints_used=-1)]}).encode(), 400, "'hints_used' must be"),
        (json.dumps({"events": [_event(n) for n in range(MAX_EVENTS + 1)]}).encode(), 413, "send at most 200"),
    ],
)
def test_bad_deliveries_are_refused_with_status_and_reason(body, status, message):
    with pytest.raises(EventError) as refused:
        check_delivery(body)
    assert refused.value.status == status and message in str(refused.value)


def test_an_oversized_delivery_is_refused_before_it_is_read():
    with pytest.raises(EventError, match="the most the class service takes is 100") as refused:
        check_delivery(b"x" * 101, max_bytes=100)
    assert refused.value.status == 413


def test_a_good_delivery_passes_as_it_came():
    batch = [_event(1), _event(2, action="write", answer="My text", correct=None)]
    assert check_delivery(json.dumps({"events": batch}).encode()) == batch


def test_text_a_spreadsheet_would_run_is_quoted_in_the_dashboards_csv():
    import pandas as pd

    from trotsky_edu.hub.service import safe_for_spreadsheets

    table = pd.DataFrame({"commonest_wrong": ['=HYPERLINK("http://x","y")', "+1", "Martov", None], "answered": [1, 2, 3, 4]})
    safe = safe_for_spreadsheets(table)
    assert list(safe["commonest_wrong"])[:3] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "Martov"]
    assert list(safe["answered"]) == [1, 2, 3, 4]
