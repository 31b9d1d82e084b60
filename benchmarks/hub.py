"""A class on one JupyterHub: how fast answers reach the class service, and how fast its dashboard is.

    .venv/bin/python benchmarks/hub.py [--class-size 30] [--simulated 300] [--lesson 01-revolution]

Starts a real hub on loopback with deploy/jupyterhub_config.py (as the hub tests do), then:

1. **A class at once**: ``--class-size`` students' servers; every student's kernel answers
   each graded question of ``--lesson`` twice (wrong, then right) through the widgets, the
   whole class clicking Submit on the same question at the same moment (the kernels wait for
   the next tick of a shared clock, every :data:`TICK` seconds, as a class does for the
   teacher's "now submit"). Submit-to-stored is the time from the click (the kernel's clock)
   until the service stores the answer (the time it writes in the row, ``received``, by the
   same machine's clock). Also printed: the time until the kernel's delivery is done (the
   service's answer read and the outbox cleared), which is what the kernel waits for. Floor:
   the same submits with no class service (saved to the progress file only, and the
   feedback drawn), in the same kernels. The clients that drive the kernels, reading every
   message they send, stand in for the students' browsers and run at the students'
   priority, in a session of their own.
2. **A simulated class of ``--simulated``**: a sample class's answers (all six lessons) posted
   to the service with each student's own token, 16 senders at once, 20 events a delivery,
   each student's in the order they were given (as a kernel sends them):
   events stored per second. Floor: the same deliveries, empty.
3. **The dashboard** for that class, all six lessons: the first view (right after the last
   answer arrived), a refresh (median of three), and the first view
   after the service is restarted (everything read back from the database and drawn).
   Floor: one request to the hub's own API.
4. The service's memory at start and at the end: its proportional set size (shared pages
   split among the processes that share them).

Targets: submit-to-stored p95 under 100 ms for the class; the dashboard under 1 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hubtools import Hub  # noqa: E402

from trotsky_edu.hub.priority import lower  # noqa: E402

TEACHER = "teacher"
TICK = 1.0  # seconds between the class's submits (--tick)
# Run in each student's kernel: time each submit until the service has it, then the same with no service.
KERNEL = """
import json, os, threading, time
from trotsky_edu import exercise
from trotsky_edu.exercises.bank import load_bank
from trotsky_edu.exercises.answer_key import right_answer, wrong_answer
from trotsky_edu.exercises.progress import read_progress

def submits(lesson):
    times, clicks = [], []
    for question in load_bank(lesson):
        if question.type == "source_analysis":
            continue
        widget = exercise(lesson, question.id)
        for answer in (wrong_answer(question), right_answer(question)):
            widget.set_answer(answer)
            time.sleep({tick} - time.time() % {tick})  # the whole class submits on the same tick
            clicks.append((question.id, time.time()))
            start = time.perf_counter()
            widget.submit_button.click()
            for thread in threading.enumerate():  # the delivery ends when the service has stored the answer
                if thread.name == "trotsky-edu-outbox":
                    thread.join()
            times.append((time.perf_counter() - start) * 1000)
    return times, clicks

def event_ids(lesson, clicks):  # each click's event id (its question's submits, in the order given) and time
    submitted = {{qid: [e["id"] for e in record["events"] if e["action"] == "submit"]
                 for qid, record in read_progress()[lesson].items()}}
    return [(submitted[qid].pop(0), at) for qid, at in clicks]

with_service, clicks = submits({lesson!r})
clicked = event_ids({lesson!r}, clicks)
os.environ.pop("TROTSKY_EDU_CLASS_URL")
floor, _ = submits({lesson!r})
print(json.dumps({{"delivered": with_service, "floor": floor, "clicked": clicked}}))
"""


def service_process(hub: Hub) -> psutil.Process:
    return next(p for p in psutil.Process(hub.process.pid).children(recursive=True)
                if "class-service" in " ".join(p.cmdline()))


def service_memory(hub: Hub) -> float:
    """MiB in the class service (proportional set size: its share of pages shared with other processes)."""
    return service_process(hub).memory_full_info().pss / 2**20


def restarted_service(hub: Hub) -> None:
    """Kill the class service and wait until the hub has started it again."""
    service_process(hub).kill()
    hub.wait_for(lambda: not hub.service_ready(), 10, "the killed service to stop answering")
    hub.wait_for(hub.service_ready, 90, "the hub to restart the class service")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def class_at_once(hub: Hub, students: list[str], lesson: str, tick: float) -> dict[str, list[float]]:
    """Milliseconds per submit: until stored (``service``), until the kernel's delivery is done, and the floor.

    The thirty clients that run the kernels and read every message they send stand in for
    the students' browsers, which in a class run on the students' own computers. Here they
    share the machine, so they run in a process and session of their own at the students'
    priority (:func:`trotsky_edu.hub.priority.lower`) rather than above the hub and the
    service, as the benchmark itself does.
    """
    hub.start_servers(students, timeout=600)
    code = KERNEL.format(lesson=lesson, tick=tick)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_as_students_computers) as pool:
        measured = pool.submit(_run_everywhere, hub.data, hub.url, hub.tokens, students, code).result()
    results = {"service": [], "delivered": [], "floor": []}
    clicked: dict[tuple[str, str], float] = {}
    for name, run in zip(students, measured):
        results["delivered"] += run["delivered"]
        results["floor"] += run["floor"]
        clicked.update({(name, event_id): at for event_id, at in run["clicked"]})
    with closing(sqlite3.connect(f"file:{hub.data / 'class' / 'trotsky-edu-class.sqlite'}?mode=ro", uri=True)) as db:
        for user, event_id, received in db.execute("SELECT user, event_id, received FROM answer_events"):
            if (user, event_id) in clicked:
                results["service"].append((received - clicked.pop((user, event_id))) * 1000)
    if clicked:
        raise RuntimeError(f"{len(clicked)} answer(s) never reached the class service")
    return results


def _as_students_computers() -> None:
    os.setsid()
    lower()


def _run_everywhere(data: Path, url: str, tokens: dict[str, str], students: list[str], code: str) -> list[dict]:
    """Run ``code`` in a new kernel of every student's server at once; what each printed last, as JSON."""
    hub = Hub(data, url=url, tokens=tokens)

    def student(name: str) -> dict:
        run = hub.run(name, code, timeout=600)
        if run.error:
            raise RuntimeError(f"{name}: {run.error}")
        return json.loads(run.stdout.strip().splitlines()[-1])

    with ThreadPoolExecutor(len(students)) as pool:
        return list(pool.map(student, students))


def simulated_class(hub: Hub, students: list[str], folder: Path) -> tuple[float, float, int]:
    """Events per second the service stores, the floor's (empty deliveries) per second, and the events sent."""
    from trotsky_edu.classreport.sample import make_sample_class

    files = make_sample_class(folder, students=len(students), extras=False)
    deliveries = []
    for name, path in zip(students, files):
        data = json.loads(path.read_text())
        events = sorted(({**e, "lesson": lesson, "question_id": qid} for lesson, questions in data["answers"].items()
                         for qid, record in questions.items() for e in record["events"]), key=lambda e: e["time"])
        deliveries += [(name, events[i:i + 20]) for i in range(0, len(events), 20)]

    def send(item) -> None:
        name, batch = item
        response = hub.service("post", "api/events", user=name, json={"events": batch})
        response.raise_for_status()

    start = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda item: send((item[0], [])), deliveries))
    floor = len(deliveries) * 20 / (time.perf_counter() - start)
    start = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(send, deliveries))
    sent = sum(len(batch) for _, batch in deliveries)
    return sent / (time.perf_counter() - start), floor, sent


def timed(request) -> float:
    start = time.perf_counter()
    response = request()
    response.raise_for_status()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--class-size", type=int, default=30)
    parser.add_argument("--simulated", type=int, default=300)
    parser.add_argument("--lesson", default="01-revolution")
    parser.add_argument("--tick", type=float, default=TICK, help="seconds between the class's submits")
    args = parser.parse_args(argv)
    students = [f"s{n:03d}" for n in range(max(args.class_size, args.simulated))]
    with tempfile.TemporaryDirectory(prefix="trotsky-edu-hub-bench-") as folder:
        hub = Hub(Path(folder) / "hub")
        try:
            print(f"[bench] starting a hub for {len(students)} students", file=sys.stderr, flush=True)
            hub.start(students=students, instructors=[TEACHER], timeout=300)
            memory_start = service_memory(hub)
            print(f"[bench] a class of {args.class_size} answering {args.lesson} at once", file=sys.stderr, flush=True)
            submits = class_at_once(hub, students[: args.class_size], args.lesson, args.tick)
            print(f"[bench] a simulated class of {args.simulated}", file=sys.stderr, flush=True)
            rate, rate_floor, sent = simulated_class(hub, students[: args.simulated], Path(folder) / "sample")
            first = timed(lambda: hub.service("get", "", user=TEACHER))
            refresh = statistics.median(timed(lambda: hub.service("get", "", user=TEACHER)) for _ in range(3))
            hub_api = statistics.median(timed(lambda: hub.api("get", "/hub/api/")) for _ in range(3))
            memory_end = service_memory(hub)
            print("[bench] the dashboard after a restart of the service", file=sys.stderr, flush=True)
            restarted_service(hub)
            cold = timed(lambda: hub.service("get", "", user=TEACHER))
        finally:
            hub.stop()
    service, delivered, floor = submits["service"], submits["delivered"], submits["floor"]
    print("| measure | value | floor | target |\n| --- | --: | --: | --- |")
    print(f"| submit to stored, class of {args.class_size}, p95 ({len(service)} submits) | "
          f"{percentile(service, 0.95):.1f} ms | {percentile(floor, 0.95):.1f} ms | < 100 ms |")
    print(f"| submit to stored, class of {args.class_size}, median | {statistics.median(service):.1f} ms | "
          f"{statistics.median(floor):.1f} ms | — |")
    print(f"| submit to the kernel's delivery done, class of {args.class_size}, p95 | "
          f"{percentile(delivered, 0.95):.1f} ms | {percentile(floor, 0.95):.1f} ms | — |")
    print(f"| events stored per second, {args.simulated} students ({sent} events) | {rate:,.0f} | {rate_floor:,.0f} "
          f"(empty deliveries) | — |")
    print(f"| dashboard, {args.simulated} students × 6 lessons, first view | {first:.2f} s | {hub_api * 1000:.0f} ms "
          f"(hub API) | < 1 s |")
    print(f"| dashboard, {args.simulated} students × 6 lessons, refresh | {refresh:.2f} s | {hub_api * 1000:.0f} ms | "
          f"< 1 s |")
    print(f"| dashboard, {args.simulated} students × 6 lessons, first view after a restart | {cold:.2f} s | "
          f"{hub_api * 1000:.0f} ms | < 1 s |")
    print(f"| class service memory (PSS) | {memory_end:.0f} MiB | {memory_start:.0f} MiB "
          "(at start) | — |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
