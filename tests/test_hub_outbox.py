"""The kernel's side of the class service, against a small local stand-in for it: never wait, never lose."""

from __future__ import annotations

import json
import sys
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from trotsky_edu.exercises.progress import ClassServiceWarning, pending_events, progress_path, read_progress, record_answer
from trotsky_edu.hub import outbox


class StandIn:
    """A local HTTP server answering deliveries with ``status`` after ``delay`` seconds, keeping what it got."""

    def __init__(self, *, keep_alive: bool = False):
        self.status, self.delay, self.received, self.tokens = 200, 0.0, [], []
        self.connections = 0
        self.drop_kept = False  # close each connection after answering, without telling the client
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def setup(self):
                super().setup()
                stand_in.connections += 1

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(stand_in.delay)
                stand_in.tokens.append(self.headers.get("Authorization"))
                if stand_in.status == 200:
                    stand_in.received += json.loads(body)["events"]
                answer = json.dumps({"message": "the delivery is 2 bytes too large"}).encode()
                self.send_response(stand_in.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                self.close_connection = self.close_connection or stand_in.drop_kept

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)
                # else the kernel gave up waiting, as the slow-service tests make it: nothing to report

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/services/trotsky-edu/"


@pytest.fixture
def service(tmp_path, monkeypatch):
    stand_in = StandIn()
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv(outbox.CLASS_URL, stand_in.url)
    monkeypatch.setenv(outbox.TOKEN, "student-token")
    yield stand_in
    stand_in.server.shutdown()


def _wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_without_a_class_service_nothing_is_queued(tmp_path, monkeypatch):
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.delenv(outbox.CLASS_URL, raising=False)
    record_answer("demo", "q1", answer="x", correct=False)
    assert "outbox" not in json.loads((tmp_path / "progress.json").read_text())


def test_each_answer_is_saved_then_sent_with_the_students_token(service):
    record_answer("demo", "q1", answer="Lenin", correct=False)
    record_answer("demo", "q1", answer="Martov", correct=True)
    assert _wait_until(lambda: len(service.received) == 2)
    assert [e["answer"] for e in service.received] == ["Lenin", "Martov"]
    assert all(e["lesson"] == "demo" and e["question_id"] == "q1" for e in service.received)
    assert set(service.tokens) == {"token student-token"}
    assert _wait_until(lambda: pending_events() == [])


def test_a_slow_service_never_holds_the_student_up_and_the_answer_waits_in_the_outbox(service):
    service.delay = 3
    started = time.monotonic()
    record_answer("demo", "q1", answer="Martov", correct=True)
    assert time.monotonic() - started < outbox.WAIT + 0.4
    assert [e["answer"] for e in pending_events()] == ["Martov"]
    assert _wait_until(lambda: pending_events() == [], seconds=8)  # delivered in the background


@pytest.mark.parametrize("status", [0, 500, 503])
def test_a_service_down_or_failing_keeps_the_answers_for_the_next_submit(service, status, monkeypatch):
    if status == 0:
        monkeypatch.setenv(outbox.CLASS_URL, "http://127.0.0.1:9/services/trotsky-edu/")  # nothing listens there
    service.status = status or 200
    with warnings.catch_warnings():
        warnings.simplefilter("error", ClassServiceWarning)  # being unreachable is no reason to worry a student
        record_answer("demo", "q1", answer="Lenin", correct=False)
        record_answer("demo", "q2", answer="1905", correct=True)
    assert _wait_until(lambda: not outbox._sending.locked())
    assert [e["question_id"] for e in pending_events()] == ["q1", "q2"]
    monkeypatch.setenv(outbox.CLASS_URL, service.url)
    service.status = 200
    record_answer("demo", "q3", answer="Mexico", correct=True)
    assert _wait_until(lambda: pending_events() == [])
    assert [e["question_id"] for e in service.received] == ["q1", "q2", "q3"]


def test_a_refused_delivery_gives_a_calm_notice_and_keeps_the_answer(service):
    service.status = 413
    with pytest.warns(ClassServiceWarning, match="Your answer is saved on this computer. The class service did not take it"):
        record_answer("demo", "sa", "write", answer="A long written answer")
    data = json.loads(progress_path().read_text())
    assert data["outbox"] == []
    assert data["refused"][0][:2] == ["demo", "sa"] and "too large" in data["refused"][0][3]
    assert read_progress()["demo"]["sa"]["response"] == "A long written answer"


def test_the_next_kernel_sends_what_the_last_one_left(service, monkeypatch):
    service.status = 503
    record_answer("demo", "q1", answer="Lenin", correct=False)
    assert _wait_until(lambda: not outbox._sending.locked())
    assert pending_events()
    service.status = 200
    monkeypatch.setattr(outbox, "_started", False)  # a new kernel
    outbox.deliver_at_start(progress_path())
    assert _wait_until(lambda: pending_events() == [])
    assert [e["answer"] for e in service.received] == ["Lenin"]
    assert _wait_until(lambda: not outbox._sending.locked())
    assert len(service.tokens) == 2  # the failed delivery and the one at the start: no empty one after it



def test_the_answer_waits_for_the_disk_but_clearing_the_outbox_does_not(service, monkeypatch):
    """Only the answer itself must survive a power cut; a delivered event left in the outbox is just sent again."""
    import os

    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    with monkeypatch.context() as quiet:
        quiet.setattr(outbox, "deliver", lambda path, **_options: None)
        record_answer("demo", "q1", answer="Martov", correct=True)
    assert len(synced) == 1
    assert outbox._deliver(progress_path()).sent == 1
    assert pending_events() == [] and len(synced) == 1


@pytest.fixture
def kept_service(tmp_path, monkeypatch):
    stand_in = StandIn(keep_alive=True)
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv(outbox.CLASS_URL, stand_in.url)
    monkeypatch.setenv(outbox.TOKEN, "student-token")
    outbox._close()
    yield stand_in
    outbox._close()
    stand_in.server.shutdown()


def test_a_new_kernel_with_nothing_to_send_opens_the_way_for_its_first_answer(kept_service, monkeypatch):
    """An empty delivery at the start has the service check the token, on the connection the submits then keep."""
    monkeypatch.setattr(outbox, "_started", False)  # a new kernel
    outbox.deliver_at_start(progress_path())
    assert _wait_until(lambda: kept_service.tokens == ["token student-token"])
    assert kept_service.received == []
    outbox.deliver_at_start(progress_path())  # once per kernel
    record_answer("demo", "q1", answer="Martov", correct=True)
    assert _wait_until(lambda: not outbox._sending.locked())
    assert [e["answer"] for e in kept_service.received] == ["Martov"]
    assert len(kept_service.tokens) == 2 and kept_service.connections == 1


def test_an_answer_given_while_the_kernel_says_hello_goes_without_waiting_for_the_next_submit(kept_service, monkeypatch):
    kept_service.delay = 0.3
    monkeypatch.setattr(outbox, "_started", False)  # a new kernel, whose first answer comes at once
    outbox.deliver_at_start(progress_path())
    assert _wait_until(lambda: outbox._sending.locked())
    record_answer("demo", "q1", answer="Martov", correct=True)
    assert _wait_until(lambda: [e["answer"] for e in kept_service.received] == ["Martov"])
    assert _wait_until(lambda: pending_events() == [])


def test_submits_share_one_connection_to_the_service(kept_service):
    for answer in ("Lenin", "Martov", "Trotsky"):
        record_answer("demo", "q1", answer=answer, correct=answer == "Martov")
        assert _wait_until(lambda: not outbox._sending.locked())
    assert [e["answer"] for e in kept_service.received] == ["Lenin", "Martov", "Trotsky"]
    assert kept_service.connections == 1


def test_a_connection_the_service_closed_is_opened_again_and_nothing_is_lost(kept_service):
    kept_service.drop_kept = True  # as a restarted service would: the kept connection is dead
    for answer in ("Lenin", "Martov", "Trotsky"):
        record_answer("demo", "q1", answer=answer, correct=answer == "Martov")
        assert _wait_until(lambda: not outbox._sending.locked())
    assert [e["answer"] for e in kept_service.received] == ["Lenin", "Martov", "Trotsky"]
    assert pending_events() == []
    assert kept_service.connections == 3


def test_settling_gives_back_what_was_added_meanwhile(service, monkeypatch):
    """A delivery learns of answers given while it was sending from the settled outbox, without another read."""
    from trotsky_edu.exercises import progress

    with monkeypatch.context() as quiet:
        quiet.setattr(outbox, "deliver", lambda path, **_options: None)
        record_answer("demo", "q1", answer="Lenin", correct=False)
        first = pending_events()
        record_answer("demo", "q2", answer="1905", correct=True)
    left = progress.settle_outbox([first[0]["id"]], path=progress_path())
    assert [e["question_id"] for e in left] == ["q2"] == [e["question_id"] for e in pending_events()]


def test_a_submit_hands_its_delivery_the_outbox_it_wrote_instead_of_reading_the_file_again(service, monkeypatch):
    import trotsky_edu.exercises.progress as progress

    reads = []
    real_read = progress._read
    monkeypatch.setattr(progress, "_read", lambda path=None: (reads.append(path), real_read(path))[1])
    record_answer("demo", "q1", answer="Martov", correct=True)
    assert reads == []
    assert [event["answer"] for event in service.received] == ["Martov"] and pending_events() == []


def test_a_submit_sends_in_its_own_thread_when_the_service_answers_in_time(service, monkeypatch):
    """No thread per submit: on a busy machine a new thread waits for its first turn, and the answer with it."""
    started = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda thread: (started.append(thread.name), real_start(thread))[1])

    def ours():  # the stand-in starts threads of its own
        return [name for name in started if name.startswith("trotsky-edu")]

    record_answer("demo", "q1", answer="Martov", correct=True)
    assert [e["answer"] for e in service.received] == ["Martov"] and pending_events() == []
    assert ours() == []
    service.delay = 1.5  # too slow: the same delivery goes on in the background
    record_answer("demo", "q2", answer="1905", correct=True)
    assert ours() == ["trotsky-edu-outbox"]
