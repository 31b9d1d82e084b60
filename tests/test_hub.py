"""A class on a real JupyterHub, started with the shipped deploy/jupyterhub_config.py on loopback.

Three students answer in real kernels of their own servers (through the widgets, as in a
lesson), and a teacher in the instructors group reads the dashboard. The tests prove that
answers arrive with the right counts, that nobody reads or posts what is not theirs, that bad
deliveries are refused with a clear status and a calm notice, and that killing the class
service while students answer loses nothing and stores nothing twice.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import psutil
import pytest

from hubtools import PROXY, Hub

pytestmark = pytest.mark.skipif(not PROXY.exists() and not shutil.which("configurable-http-proxy"),
                                reason="configurable-http-proxy is not installed (make test installs it with npm)")

STUDENTS = ["alice", "bob", "carol"]
TEACHER = "teacher"
MAX_BYTES = 40_000  # the service's limit in these tests, so one long written answer is refused
PRELUDE = """
from trotsky_edu import exercise
from trotsky_edu.exercises.bank import find_question
from trotsky_edu.exercises.answer_key import right_answer, wrong_answer

def answer(lesson, qid, *tries):
    question, widget = find_question(lesson, qid), exercise(lesson, qid)
    for right in tries:
        widget.set_answer(right_answer(question) if right else wrong_answer(question))
        widget.submit_button.click()
    return widget

def write(lesson, qid, text):
    widget = exercise(lesson, qid)
    widget.set_answer(text)
    widget.submit_button.click()
    return widget
"""
# The student keeps working (the kernel stays up) until the background delivery is done, ten seconds at most.
WORK_ON = """
import time
from pathlib import Path
from trotsky_edu.exercises.progress import pending_events
for _ in range(50):
    if not pending_events():
        break
    time.sleep(0.2)
print(len(pending_events()))
"""
SCRIPT = "<script>alert('from a student')</script> I think he chose the name to hide who he was."


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = Hub(tmp_path_factory.mktemp("hub"))
    try:
        running.start(students=STUDENTS, instructors=[TEACHER], env={"TROTSKY_EDU_CLASS_MAX_BYTES": str(MAX_BYTES)})
        running.start_servers(STUDENTS)
        yield running
    finally:
        running.stop()


def _progress(hub: Hub, name: str) -> dict:
    return json.loads((hub.home(name) / ".local" / "share" / "trotsky_edu" / "progress.json").read_text())


def _questions_csv(hub: Hub, lesson: str) -> dict[str, dict]:
    import csv
    import io

    response = hub.service("get", f"report.csv?lesson={lesson}", user=TEACHER)
    assert response.status_code == 200, response.text
    return {row["question_id"]: row for row in csv.DictReader(io.StringIO(response.text))}


def test_answers_given_in_real_kernels_reach_the_dashboard_with_the_right_counts(hub):
    plans = {  # start-calendar-which: tries (right or wrong); start-calendar-convert: tries
        "alice": ((True,), (True,)),
        "bob": ((False, True), (True,)),
        "carol": ((False, False), ()),
    }
    for name, (which, convert) in plans.items():
        code = PRELUDE + (
            f"notices = [answer('00-start-here', 'start-calendar-which', *{which!r}).notice.value]\n"
            + (f"notices.append(answer('00-start-here', 'start-calendar-convert', *{convert!r}).notice.value)\n"
               if convert else "")
            + "import os; print(os.environ['JUPYTERHUB_USER'], repr(''.join(notices)))"
        )
        run = hub.run(name, code)
        assert run.error == "" and run.stdout.strip() == f"{name} ''", run
    rows = _questions_csv(hub, "00-start-here")
    which, convert = rows["start-calendar-which"], rows["start-calendar-convert"]
    assert (which["answered"], which["right_first_try"], which["right_in_end"]) == ("3", "1", "2")
    assert (convert["answered"], convert["right_first_try"], convert["right_in_end"]) == ("2", "2", "2")
    page = hub.service("get", "?lesson=00-start-here", user=TEACHER)
    assert page.status_code == 200 and "start-calendar-which" in page.text
    assert "Download the questions as CSV" in page.text
    refreshing = hub.service("get", "?lesson=00-start-here&refresh=30", user=TEACHER)
    assert '<meta http-equiv="refresh" content="30">' in refreshing.text


def autogroup_nice(pid: int) -> int | None:
    """The nice value of the process's autogroup (Linux shares the processors between these first), if it has one."""
    try:
        return int(Path(f"/proc/{pid}/autogroup").read_text().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


def test_students_servers_and_kernels_run_below_the_hub_and_the_class_service(hub):
    """When a class's kernels fill the processors, the hub, the proxy and the service still get their turn.

    On Linux each session (every server, every kernel) is an autogroup, and the processors are
    shared between autogroups before ``nice`` counts: both must be lowered.
    """
    service = next(p for p in psutil.Process(hub.process.pid).children(recursive=True)
                   if "class-service" in " ".join(p.cmdline()))
    kernel_id = hub.start_kernel("alice")
    try:
        run = hub.run_in("alice", kernel_id, "import os; print(os.getpid(), os.getppid(), os.getpriority(os.PRIO_PROCESS, 0))")
        assert run.error == ""
        kernel, server, nice = map(int, run.stdout.split())
        assert nice == min(19, service.nice() + 10) > psutil.Process(hub.process.pid).nice()
        assert psutil.Process(server).nice() == nice
        if autogroup_nice(service.pid) is not None:  # a Linux kernel with autogroups
            assert len({os.getsid(kernel), os.getsid(server), os.getsid(service.pid)}) == 3
            assert autogroup_nice(kernel) == autogroup_nice(server) == autogroup_nice(service.pid) + 10
    finally:
        hub.api("delete", f"/user/alice/api/kernels/{kernel_id}", token=hub.tokens["alice"])


def test_a_students_text_is_shown_to_the_teacher_as_text(hub):
    run = hub.run("alice", PRELUDE + f"print(repr(write('00-start-here', 'start-source-surname', {SCRIPT!r}).notice.value))")
    assert run.error == "" and run.stdout.strip() == "''", run
    page = hub.service("get", "?lesson=00-start-here", user=TEACHER).text
    assert "&lt;script&gt;alert(&#x27;from a student&#x27;)&lt;/script&gt;" in page
    assert "<script" not in page.lower()


def test_students_see_only_their_own_answers_and_cannot_post_as_anyone_else(hub):
    hub.run("bob", PRELUDE + "answer('00-start-here', 'start-birth-name', True)")
    for path in ("", "?lesson=00-start-here", "report.csv"):
        refused = hub.service("get", path, user="alice")
        assert refused.status_code == 403 and "for instructors" in refused.text
    mine = hub.service("get", "me?format=json", user="alice").json()
    assert mine["user"] == "alice" and mine["events"]
    assert all(e["question_id"] != "start-birth-name" for e in mine["events"])  # bob's answer is not in alice's
    own_page = hub.service("get", "me", user="bob")
    assert own_page.status_code == 200 and "start-birth-name" in own_page.text and "alice" not in own_page.text
    event = {"id": "forged0001", "lesson": "00-start-here", "question_id": "start-birth-name", "action": "submit",
             "time": "2026-12-01T09:00:00+00:00", "hints_used": 0, "answer": "Bronstein", "correct": True}
    for forged in ({"events": [{**event, "user": "bob"}]}, {"user": "bob", "events": [event]}):
        response = hub.service("post", "api/events", user="alice", json=forged)
        assert response.status_code == 403 and "stored under the student whose token sent them" in response.json()["message"]
    assert not any(e["id"] == "forged0001" for e in hub.service("get", "me?format=json", user="bob").json()["events"])


def test_unauthenticated_requests_are_refused(hub):
    assert hub.service("post", "api/events", json={"events": []}).status_code == 401
    assert hub.service("get", "report.csv").status_code in (302, 401, 403)
    dashboard = hub.service("get", "")
    assert dashboard.status_code in (302, 401, 403) and "start-calendar-which" not in dashboard.text
    forged = hub.service("post", "api/events", json={"events": []}, headers={"Authorization": "token not-a-real-token"})
    assert forged.status_code in (401, 403)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{not json", 400, "the delivery is not JSON text"),
        (json.dumps({"events": [{"id": "x"}]}).encode(), 400, "event 0: 'id' must be 8 to 64"),
        (json.dumps({"events": "all of them"}).encode(), 400, 'a delivery is {"events": [...]}'),
        (json.dumps({"events": [], "padding": "x" * MAX_BYTES}).encode(), 413, "the most the class service takes is"),
    ],
    ids=["not json", "bad event", "not a list", "oversized"],
)
def test_bad_deliveries_are_refused_with_a_clear_status_and_message(hub, body, status, message):
    response = hub.service("post", "api/events", user="bob", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status and message in response.json()["message"], response.text


def test_a_refused_answer_gives_the_student_a_calm_notice_and_stays_in_the_progress_file(hub):
    long_text = "I think " + "he wrote this for the world to read " * 1400
    code = PRELUDE + (f"widget = exercise('00-start-here', 'start-source-amherst')\nwidget.set_answer({long_text!r})\n"
                      "print(widget.notice.value)")
    run = hub.run("carol", code)
    assert run.error == "" and "class service did not take it" in run.stdout and "Traceback" not in run.stdout
    data = _progress(hub, "carol")
    assert data["answers"]["00-start-here"]["start-source-amherst"]["response"] == long_text
    assert data["refused"] and not [e for e in data.get("outbox", []) if e[1] == "start-source-amherst"]


def test_the_service_killed_mid_class_loses_nothing_and_stores_nothing_twice(hub):
    service = next(p for p in psutil.Process(hub.process.pid).children(recursive=True)
                   if "class-service" in " ".join(p.cmdline()))
    # First the service hangs (it takes connections and answers nothing), so the hub does not start
    # it again while the students answer; then it is killed, and the hub starts a new one.
    os.kill(service.pid, signal.SIGSTOP)
    hub.wait_for(lambda: not hub.service_ready(), 10, "the stopped service to stop answering")
    down = {  # answered while the service is down: kept in each student's outbox
        "alice": "answer('01-revolution', 'rev-split-1903', False, True)",
        "bob": "answer('01-revolution', 'rev-calendar-offset', True)",
        "carol": "answer('01-revolution', 'rev-name-trotsky', False)",
    }
    for name, call in down.items():
        started = time.monotonic()
        run = hub.run(name, PRELUDE + f"print(repr({call}.notice.value))")
        assert run.error == "" and run.stdout.strip() == "''", run  # no notice: the answer is safe locally
        assert time.monotonic() - started < 20
        assert _progress(hub, name)["outbox"]
    os.kill(service.pid, signal.SIGKILL)
    hub.wait_for(hub.service_ready, 90, "the hub to restart the class service")
    for name in STUDENTS:  # the next answer sends the waiting ones too, while the student works on
        run = hub.run(name, PRELUDE + "answer('01-revolution', 'rev-brest-positions', True)\n" + WORK_ON)
        assert run.error == "" and run.stdout.strip() == "0", run
    for name in STUDENTS:
        data = _progress(hub, name)
        assert data.get("outbox") == []
        kept = [e["id"] for lesson in data["answers"].values() for record in lesson.values() for e in record["events"]]
        refused = {entry[2] for entry in data.get("refused", [])}
        stored = [e["id"] for e in hub.service("get", "me?format=json", user=name).json()["events"]]
        assert sorted(stored) == sorted(set(stored)), f"{name}: an answer was stored twice"
        assert set(stored) == set(kept) - refused, f"{name}: answers lost or invented"
    rows = _questions_csv(hub, "01-revolution")
    assert rows["rev-brest-positions"]["answered"] == "3"
    assert (rows["rev-split-1903"]["answered"], rows["rev-split-1903"]["right_first_try"]) == ("1", "0")


def test_the_class_database_is_one_sqlite_file_in_the_hubs_data_folder_in_wal_mode(hub):
    import sqlite3

    database = hub.data / "class" / "trotsky-edu-class.sqlite"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT count(*) FROM answer_events").fetchone()[0] > 0


def test_the_nbgitpuller_link_hands_out_the_student_edition_and_a_second_pull_keeps_the_students_edits(hub, tmp_path):
    import subprocess
    from urllib.parse import parse_qs, urlsplit

    from hubtools import ROOT
    from trotsky_edu.lessonkit.handout import nbgitpuller_link, publish_student_edition

    repo = tmp_path / "class-repo"
    publish_student_edition(sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb")), repo)
    link = parse_qs(urlsplit(nbgitpuller_link("https://hub.example.edu", "https://example.edu/class.git")).query)
    params = {"repo": repo.as_uri(), "branch": link["branch"][0], "targetpath": link["targetpath"][0]}

    def pull() -> None:
        """What the link's page does in the student's browser: ask the server to pull, and follow its progress."""
        with hub.api("get", "/user/alice/git-pull/api", token=hub.tokens["alice"], params=params, stream=True) as stream:
            for line in stream.iter_lines(decode_unicode=True):
                if line.startswith("data:"):
                    phase = json.loads(line[5:])
                    assert phase.get("phase") != "error", phase
                    if phase.get("phase") == "finished":
                        return
        raise AssertionError("the pull never finished")

    pull()
    copy = hub.home("alice") / params["targetpath"]
    first = json.loads((copy / "00-start-here.ipynb").read_text())
    assert all("instructor" not in cell["metadata"].get("tags", []) for cell in first["cells"])
    mine = copy / "01-revolution.ipynb"
    notebook = json.loads(mine.read_text())
    notebook["cells"].append({"cell_type": "markdown", "id": "my-notes", "metadata": {}, "source": "My own notes."})
    mine.write_text(json.dumps(notebook, indent=1))
    changed = repo / "02-civil-war.ipynb"
    lesson = json.loads(changed.read_text())
    lesson["cells"].insert(1, {"cell_type": "markdown", "id": "new-in-class", "metadata": {}, "source": "New today."})
    changed.write_text(json.dumps(lesson, indent=1))
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Teacher", "-c", "user.email=t@example.edu", "commit",
                    "-qam", "A new cell in lesson 02"], check=True)
    pull()
    assert "My own notes." in (copy / "01-revolution.ipynb").read_text()
    assert "New today." in (copy / "02-civil-war.ipynb").read_text()


def test_stopping_a_hub_leaves_no_server_kernel_or_service_behind(tmp_path):
    """Servers and their kernels run in sessions of their own: a hub killed before it could stop them (as one with
    a class of thirty to stop can be) still leaves nothing running."""
    other = Hub(tmp_path / "hub")
    try:
        other.start(students=["dora"], instructors=[TEACHER])
        other.start_servers(["dora"])
        other.start_kernel("dora")
        started = psutil.Process(other.process.pid).children(recursive=True)
        kinds = " ".join(" ".join(p.cmdline()) for p in started)
        assert "jupyterhub-singleuser" in kinds and "ipykernel" in kinds and "class-service" in kinds
        os.kill(other.process.pid, signal.SIGSTOP)  # the hub cannot stop its servers in time
    finally:
        other.stop(timeout=1)
    assert [p.pid for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
