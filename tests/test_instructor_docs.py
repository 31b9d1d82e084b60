"""docs/instructors.md and binder/: every command the guide shows works, and the Binder environment matches the package."""

import inspect
import re
import shlex
import shutil
import stat
import tomllib
from pathlib import Path

import pytest

import test_lessonkit_render
from trotsky_edu.cli import main

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "instructors.md"

# Commands too slow to run here a second time: each is run, with the same arguments, by this test.
RUN_ELSEWHERE = {
    "trotsky-edu render --out site": test_lessonkit_render.test_render_writes_the_course_as_html,
    "trotsky-edu render --out site-instructor --instructor": test_lessonkit_render.test_render_instructor_edition_keeps_notes_and_answer_key,
}
# `check` exits with 1 while the course has problems; the guide shows it to find them.
MAY_REPORT_PROBLEMS = {"check"}


def guide_commands() -> list[str]:
    """Every `trotsky-edu ...` line in the guide's bash blocks, in order."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("trotsky-edu")]


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_:
        return exit_.code


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A copy of the course's lessons and data, as the working folder (the guide's commands change files)."""
    root = tmp_path / "trotsky_edu"
    shutil.copytree(REPO / "lessons", root / "lessons")
    shutil.copytree(REPO / "data", root / "data", symlinks=True)
    monkeypatch.chdir(root)
    return root


def test_the_guide_shows_the_instructor_commands():
    """The guide shows each instructor subcommand at least once."""
    shown = {shlex.split(command)[1] for command in guide_commands()}
    assert {"check", "validate", "new-lesson", "index", "student-copy", "render", "progress"} <= shown


@pytest.mark.skipif(not (REPO / "lessons" / "01-revolution.ipynb").is_file(), reason="the guide's example lesson is not written yet")
def test_every_command_in_the_guide_runs(checkout, capsys):
    """Run in the guide's order in a copy of the course, every command finishes without a traceback."""
    for command in guide_commands():
        if command in RUN_ELSEWHERE:
            continue
        argv = shlex.split(command)[1:]
        status = _run(argv)
        captured = capsys.readouterr()
        allowed = {0, 1} if argv[0] in MAY_REPORT_PROBLEMS else {0}
        assert status in allowed, f"{command}\n{captured.err}"
        assert "Traceback" not in captured.err, command
    assert (checkout.parent / "student-lessons" / "01-revolution.ipynb").is_file()
    assert (checkout / "lessons" / "06-kronstadt.ipynb").is_file()
    assert (checkout / "class.csv").is_file()


@pytest.mark.parametrize("command", sorted(RUN_ELSEWHERE))
def test_slow_guide_commands_are_run_by_their_tests(command):
    """Each command not run above is run, with exactly its arguments, by the test named for it."""
    assert command in guide_commands()
    assert repr(shlex.split(command)[1:]).replace("'", '"') in inspect.getsource(RUN_ELSEWHERE[command])


def test_the_guide_gives_the_benchmarked_memory_per_student():
    """The guide's memory figure is the README's measured peak for the largest lesson."""
    readme = (GUIDE.parents[1] / "README.md").read_text(encoding="utf-8")
    measured = re.search(r"kernel peak memory, largest lesson \([^)]*\) \| (\d+) MiB", readme).group(1)
    assert f"peaks at about {measured} MiB" in GUIDE.read_text(encoding="utf-8")


def test_the_nbgitpuller_link_opens_the_first_lesson():
    """The JupyterHub link pulls a repository and opens 00-start-here in JupyterLab."""
    link = re.search(r"https://\S+/hub/user-redirect/git-pull\?\S+", GUIDE.read_text(encoding="utf-8")).group(0)
    assert "repo=https%3A%2F%2Fgithub.com%2F" in link
    assert "urlpath=lab%2Ftree%2F" in link and link.endswith("00-start-here.ipynb")


def test_binder_requirements_match_the_package_dependencies():
    """binder/requirements.txt lists exactly pyproject.toml's dependencies (update both together)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    lines = (REPO / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    listed = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert listed == set(pyproject["project"]["dependencies"])


def test_binder_post_build_installs_the_package_on_the_right_python():
    """postBuild is executable and installs the repository; runtime.txt asks for the Python the package needs."""
    post_build = REPO / "binder" / "postBuild"
    assert post_build.stat().st_mode & stat.S_IXUSR
    assert "pip install --no-cache-dir --no-deps ." in post_build.read_text(encoding="utf-8")
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    version = (REPO / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert version == "python-" + requires.removeprefix(">=")


@pytest.mark.parametrize("subcommand", ["student-copy", "new-lesson", "check", "index", "render", "refresh"])
def test_every_toolkit_subcommand_has_help(subcommand, capsys):
    """`trotsky-edu SUBCOMMAND --help` describes the subcommand and exits with status 0."""
    assert _run([subcommand, "--help"]) == 0
    assert f"usage: trotsky-edu {subcommand}" in capsys.readouterr().out
