"""In a student's kernel on a hub: send each answer to the class service, and never make the student wait.

Every event is written to the progress file first (:func:`trotsky_edu.exercises.progress.record_answer`),
and, where the single-user server gives its kernels ``TROTSKY_EDU_CLASS_URL`` (and the hub
its ``JUPYTERHUB_API_TOKEN``), its id also goes into the file's ``outbox``. The submit then
sends it, waiting at most about :data:`WAIT` seconds for the service; if the service has not
answered by then, the delivery goes on in a background thread and the submit goes on.
Whatever is not delivered (the service down, slow, or restarting) stays in the outbox
and goes with the next submit, or when the next kernel starts (:func:`deliver_at_start`, which
otherwise opens the way with an empty delivery).
The service stores each event id once, so sending again after a timeout is harmless.

A delivery the service refuses (too large, malformed) is not retried for ever: its events
move from the outbox to ``refused`` with the service's message, and the student gets a calm
notice; the answers themselves stay in the progress file for the teacher to collect.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

CLASS_URL = "TROTSKY_EDU_CLASS_URL"
TOKEN = "JUPYTERHUB_API_TOKEN"
WAIT = 0.5  # about the longest a submit waits for its delivery, in seconds
SEND_TIMEOUT = 10  # a background delivery's own limit per request
TIMED_OUT = -1  # the status :func:`_post` gives when the service did not answer before the deadline
BATCH = 200  # events per request (the service takes at most 200)

_sending = threading.Lock()
_started = False


@dataclass(frozen=True)
class Delivery:
    """How a delivery went: events the service took, events it refused (and why), events still waiting."""

    sent: int = 0
    refused: int = 0
    waiting: int = 0
    message: str = ""
    timed_out: bool = False


def configured() -> bool:
    """Is there a class service to send to (a URL and the student's hub token)?"""
    return bool(os.environ.get(CLASS_URL, "").strip() and os.environ.get(TOKEN, "").strip())


def events_url() -> str:
    return os.environ[CLASS_URL].strip().rstrip("/") + "/api/events"


def deliver(path: Path, *, wait: float = WAIT, pending: list[dict] | None = None) -> Delivery | None:
    """Send the outbox of the progress file ``path`` now; how it went, or ``None`` if the service took over ``wait`` s.

    ``pending`` is the outbox as the caller has just written it (:func:`~trotsky_edu.exercises.progress.pending_events`),
    which spares the delivery reading the file again; by default it is read.

    The request is made in the caller's thread, each step of it limited to what is left of
    ``wait``. A thread per submit made every answer wait for that thread's first turn on
    the processors, which a class submitting together keeps busy (in ``benchmarks/hub.py``,
    a class of 30: about 6 ms at the median). When the service does not answer in time, the
    same delivery starts again in the background, and the service stores each event once
    whichever copy arrives.
    """
    delivery = _deliver(path, pending, deadline=time.monotonic() + wait)
    if delivery.timed_out:
        _in_background(path)
        return None
    return delivery


def _in_background(path: Path, *, greet: bool = False) -> None:
    """Deliver the outbox of ``path`` (:func:`_deliver`) in a thread of its own, without waiting for it."""
    threading.Thread(target=_deliver, args=(path,), kwargs={"greet": greet}, name="trotsky-edu-outbox",
                     daemon=True).start()


def deliver_at_start(path: Path) -> None:
    """Once per kernel, in the background: send what an earlier kernel left in the outbox, or else say hello.

    With nothing to send, the kernel sends an empty delivery. That opens the connection the
    submits keep, and has the service check the student's token with the hub now, while the
    student reads, instead of at the first Submit. A class that submits its first answer
    together would otherwise wait for thirty token checks in a row (measured in
    ``benchmarks/hub.py``: the first two answers of a class of 30 took 100-140 ms at the median).
    """
    global _started
    if _started or not configured():
        return
    _started = True
    _in_background(path, greet=True)


def _deliver(path: Path, pending: list[dict] | None = None, *, deadline: float | None = None,
             greet: bool = False) -> Delivery:
    """Send every event in the outbox (``pending``, or read from ``path``), including any added while sending.

    One delivery at a time per kernel: a delivery waits for the one under way, then sends its
    own outbox, which holds every answer not yet delivered. With a ``deadline``
    (:func:`time.monotonic`) it stops there, ``timed_out``. With ``greet`` and nothing to
    send, it sends an empty delivery (:func:`deliver_at_start`).
    """
    from trotsky_edu.exercises.progress import ProgressError, pending_events, settle_outbox

    if not _sending.acquire(timeout=_time_left(deadline)):
        return Delivery(message="another delivery took all the time there was", timed_out=True)
    try:
        sent = refused = 0
        message = ""
        tried: set[str] = set()
        try:
            if pending is None:
                pending = pending_events(path=path)
            if greet and not pending:
                _post([], deadline)
                return Delivery()
            while True:  # settling gives back the outbox as it is now: a submit may have added to it meanwhile
                pending = [event for event in pending if event["id"] not in tried]
                if not pending:
                    return Delivery(sent, refused, 0, message)
                for start in range(0, len(pending), BATCH):
                    batch = pending[start:start + BATCH]
                    status, message = _post(batch, deadline)
                    if status == TIMED_OUT:
                        return Delivery(sent, refused, len(pending) - sent - refused, message, timed_out=True)
                    ids = [event["id"] for event in batch]
                    tried.update(ids)
                    if status == 200:
                        left = settle_outbox(ids, path=path)
                        sent += len(ids)
                    elif status in (400, 403, 413, 422):
                        left = settle_outbox(ids, refused=message, path=path)
                        refused += len(ids)
                    else:
                        return Delivery(sent, refused, len(pending) - sent - refused, message)
                pending = left
        except ProgressError as err:
            return Delivery(sent, refused, 0, str(err))
    finally:
        _sending.release()


#: The connection to the class service, kept open between deliveries (they take turns, under ``_sending``).
_connection: http.client.HTTPConnection | None = None


def _post(batch: list[dict], deadline: float | None = None) -> tuple[int, str]:
    """POST one batch; the HTTP status (0 when the service could not be reached, :data:`TIMED_OUT` when it did
    not answer before ``deadline``) and its message.

    The connection is kept for the next submit, which then skips opening one (on both
    sides: the service answers a class's submits on one thread). A kept connection the
    service has closed meanwhile (it restarted) fails at once and is opened again, once.
    """
    body = json.dumps({"events": batch}, ensure_ascii=False).encode("utf-8")
    url = urlsplit(events_url())
    headers = {"Authorization": f"token {os.environ[TOKEN].strip()}", "Content-Type": "application/json"}
    try:
        try:
            status, reason, answer = _exchange(url, body, headers, deadline)
        except (ConnectionResetError, BrokenPipeError):  # a kept connection the service closed: once more, anew
            _close()
            status, reason, answer = _exchange(url, body, headers, deadline)
    except TimeoutError:
        _close()  # the answer may still come: the connection cannot be used for another request
        return TIMED_OUT, "the class service did not answer in time"
    except (OSError, http.client.HTTPException, ValueError) as err:
        _close()
        return 0, str(getattr(err, "reason", err))
    if status == 200:
        return 200, ""
    try:
        message = json.loads(answer.decode("utf-8", "replace")).get("message", "")
    except (ValueError, AttributeError):
        message = ""
    return status, message or reason


def _exchange(url, body: bytes, headers: dict[str, str], deadline: float | None) -> tuple[int, str, bytes]:
    """One request on the kept connection: the status, its reason and the body of the answer."""
    connection = _open(url)
    _limit(connection, deadline)
    connection.request("POST", url.path + (f"?{url.query}" if url.query else ""), body=body, headers=headers)
    _limit(connection, deadline)
    response = connection.getresponse()
    answer = response.read()
    if response.will_close:
        _close()
    return response.status, response.reason, answer


def _time_left(deadline: float | None) -> float:
    """Seconds a step may wait: until ``deadline`` (never quite 0, which a socket takes as "do not wait at all"),
    or :data:`SEND_TIMEOUT` without one."""
    return SEND_TIMEOUT if deadline is None else max(deadline - time.monotonic(), 0.001)


def _limit(connection: http.client.HTTPConnection, deadline: float | None) -> None:
    """Let the connection's next steps (connecting, sending, reading) wait until ``deadline`` at most."""
    timeout = _time_left(deadline)
    connection.timeout = timeout
    if connection.sock is not None:
        connection.sock.settimeout(timeout)


def _open(url) -> http.client.HTTPConnection:
    """The kept connection to ``url``'s host, or a new one (also when the class URL has changed)."""
    global _connection
    kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    if _connection is None or type(_connection) is not kind or (_connection.host, _connection.port) != (
            url.hostname, url.port or (443 if url.scheme == "https" else 80)):
        _close()
        _connection = kind(url.hostname, url.port, timeout=SEND_TIMEOUT)
    return _connection


def _close() -> None:
    global _connection
    if _connection is not None:
        _connection.close()
        _connection = None
