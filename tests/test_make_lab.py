"""`make lab` serves the student edition, built from lessons/ and rebuilt by make only when a lesson changes.

The test runs the README's command itself, with JupyterLab on a free port and no browser, and asks the server's
REST API what it serves. The virtual environment already exists (pytest runs from it), so setup does nothing.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from trotsky_edu.lessonkit.notebooks import read_notebook
from trotsky_edu.lessonkit.studentcopy import student_version

REPO = Path(__file__).resolve().parents[1]
LESSONS = REPO / "lessons"
EDITION = "student-edition"  # the Makefile's STUDENT
BUILT = f"{EDITION}/.built"
SLUGS = [lesson["slug"] for lesson in tomllib.loads((LESSONS / "course.toml").read_text(encoding="utf-8"))["lesson"]]
STUBS = {"# YOUR ANSWER HERE", "YOUR ANSWER HERE"}

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _env(tmp_path: Path) -> dict[str, str]:
    """The environment for a child make: none of an outer make's flags (pytest may run under `make test`)."""
    outer = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    env = {key: value for key, value in os.environ.items() if key not in outer}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "jupyter-runtime")
    return env


def _make(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], check=False, cwd=REPO, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop_group(process: subprocess.Popen) -> None:
    """Stop make, its shell and JupyterLab (one process group), politely first; wait until all are gone."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            process.poll()  # reap make, so its pid no longer counts as a member of the group
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


@pytest.fixture
def lab(tmp_path):
    """`make lab` running in the background; yields a function that GETs a path of its REST API as JSON."""
    port, token = _free_port(), secrets.token_hex(16)
    lab_args = (f"--no-browser --ServerApp.ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
                f"--ServerApp.token={token}")
    log = tmp_path / "make-lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={lab_args}"], cwd=REPO,
                                   env=_env(tmp_path), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)

    def get(path: str):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"make lab exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            try:
                get("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within 60 s:\n{log.read_text(errors='replace')}")
                time.sleep(0.2)
        yield get
    finally:
        _stop_group(process)


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _is_solution(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def _grade_id(cell) -> str:
    return cell["metadata"]["nbgrader"]["grade_id"]


def _answer_lines(cell) -> set[str]:
    """The answer's lines in an instructor's solution cell: its solution region, or the whole cell without one."""
    lines = [line.strip() for line in cell["source"].splitlines()]
    if "### BEGIN SOLUTION" in lines:
        lines = lines[lines.index("### BEGIN SOLUTION") + 1 : lines.index("### END SOLUTION")]
    return {line for line in lines if line and line not in STUBS}


def test_make_lab_serves_the_student_edition(lab):
    """JupyterLab's root is the student edition: every lesson and the index, without notes, answer keys or solutions."""
    served = {item["name"]: item["type"] for item in lab("/api/contents/")["content"]}
    assert {f"{slug}.ipynb" for slug in SLUGS} | {"index.md"} <= set(served), served
    assert "lessons" not in served
    with pytest.raises(urllib.error.HTTPError):  # the instructor edition is out of the server's reach
        lab("/api/contents/lessons/00-start-here.ipynb")
    assert "00-start-here.ipynb" in lab("/api/contents/index.md")["content"]

    for slug in SLUGS:
        instructor = read_notebook(LESSONS / f"{slug}.ipynb")
        cells = lab(f"/api/contents/{slug}.ipynb?type=notebook")["content"]["cells"]
        # lessons/ keeps what the student edition leaves out ...
        assert any("instructor" in _tags(cell) for cell in instructor.cells), slug
        assert any("answer-key" in _tags(cell) for cell in instructor.cells), slug
        answers = {_grade_id(cell): _answer_lines(cell) for cell in instructor.cells if _is_solution(cell)}
        assert answers and all(answers.values()), slug
        # ... and the served edition has none of it,
        assert not any(_tags(cell) & {"instructor", "answer-key"} for cell in cells), slug
        assert not any("### BEGIN SOLUTION" in cell["source"] for cell in cells), slug
        served_solutions = {_grade_id(cell): cell["source"] for cell in cells if _is_solution(cell)}
        assert served_solutions.keys() == answers.keys(), slug
        for grade_id, source in served_solutions.items():
            lines = {line.strip() for line in source.splitlines()}
            assert lines & STUBS and not lines & answers[grade_id], (slug, grade_id)
        assert not any(cell.get("outputs") for cell in cells), slug
        # ... and is made from the lesson as it is now.
        assert [cell["source"] for cell in cells] == [cell.source for cell in student_version(instructor).cells], slug


def test_an_unchanged_edition_is_not_rebuilt_and_a_changed_lesson_rebuilds_it(tmp_path):
    """make rebuilds the student edition when a lesson, course.toml or index.md is newer than it, and only then."""
    assert _make(tmp_path, BUILT).returncode == 0  # built already by `make lab`, unless this test runs alone

    assert _make(tmp_path, "-q", BUILT).returncode == 0
    assert "student-copy" not in _make(tmp_path, "-n", "lab").stdout
    for changed in ("lessons/01-revolution.ipynb", "lessons/course.toml", "lessons/index.md"):
        assert "student-copy" in _make(tmp_path, "-n", "-W", changed, "lab").stdout, changed

    # A lesson saved after the edition was built (the edition's stamp made older than it): a real rebuild.
    stamp, lesson = REPO / BUILT, LESSONS / "02-civil-war.ipynb"
    copy = REPO / EDITION / lesson.name
    old = lesson.stat().st_mtime - 60
    os.utime(stamp, (old, old))
    os.utime(copy, (old, old))
    assert _make(tmp_path, "-q", BUILT).returncode == 1
    rebuilt = _make(tmp_path, BUILT)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "student-copy" in rebuilt.stdout
    assert copy.stat().st_mtime > old and stamp.stat().st_mtime >= lesson.stat().st_mtime
    assert _make(tmp_path, "-q", BUILT).returncode == 0
