"""Time the full test command and say where the time goes.

The command is the README's (``python -m pytest`` from the repository root) with a JUnit
XML report added. Each test case in the report names its file, so time is summed per unit
test file, per notebook run by nbval, and per browser test file; what the report does not
cover (start-up, collection, plugins) is the wall time minus the sum of the cases.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    """One test case from the JUnit report: its file, name, seconds (setup, call, teardown), and whether it failed."""

    file: str
    name: str
    seconds: float
    failed: bool


@dataclass(frozen=True)
class Group:
    """The test cases of one file."""

    file: str
    kind: str  # "unit", "nbval" or "browser"
    tests: int
    seconds: float


@dataclass(frozen=True)
class SuiteRun:
    """One run of the test command."""

    seconds: float
    returncode: int
    summary: str
    cases: list[Case]

    @property
    def failed(self) -> list[str]:
        """The cases that failed or raised an error, as ``file::name``."""
        return [f"{case.file}::{case.name}" for case in self.cases if case.failed]

    @property
    def tests_seconds(self) -> float:
        """Seconds the report gives to test cases."""
        return sum(case.seconds for case in self.cases)


def kind_of(file: str) -> str:
    """Which part of the suite a file belongs to: notebooks are nbval, files named for a browser are browser tests."""
    if file.endswith(".ipynb"):
        return "nbval"
    if "browser" in Path(file).name:
        return "browser"
    return "unit"


def read_cases(report: Path) -> list[Case]:
    """The test cases of a JUnit XML report written with ``junit_family=xunit1`` (which records each file)."""
    root = ElementTree.parse(report).getroot()
    return [Case(case.get("file") or case.get("classname", "?"), case.get("name", "?"), float(case.get("time", 0)),
                 case.find("failure") is not None or case.find("error") is not None)
            for case in root.iter("testcase")]


def group_cases(cases: list[Case]) -> list[Group]:
    """One group per file, slowest first."""
    seconds: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for case in cases:
        seconds[case.file] += case.seconds
        counts[case.file] += 1
    groups = [Group(file, kind_of(file), counts[file], seconds[file]) for file in seconds]
    return sorted(groups, key=lambda group: group.seconds, reverse=True)


def run_test_command(root: Path) -> SuiteRun:
    """Run ``python -m pytest`` in ``root`` with a JUnit report, and time it."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        argv = [sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", "-o", "junit_family=xunit1"]
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=root, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        cases = read_cases(report) if report.is_file() else []
    lines = done.stdout.strip().splitlines()
    return SuiteRun(seconds, done.returncode, lines[-1] if lines else done.stderr.strip()[-200:], cases)


def breakdown_rows(run: SuiteRun) -> list[tuple[str, str, str, str, str]]:
    """Table rows (part, kind, tests, seconds, share of the wall time): each file, then totals per kind."""
    groups = group_cases(run.cases)
    share = lambda seconds: f"{100 * seconds / run.seconds:.1f} %"  # noqa: E731
    rows = [(g.file, g.kind, str(g.tests), f"{g.seconds:.2f}", share(g.seconds)) for g in groups]
    for kind in ("unit", "nbval", "browser"):
        chosen = [g for g in groups if g.kind == kind]
        total = sum(g.seconds for g in chosen)
        rows.append((f"all {kind} tests", kind, str(sum(g.tests for g in chosen)), f"{total:.2f}", share(total)))
    overhead = run.seconds - run.tests_seconds
    rows.append(("start-up, collection, plugins", "—", "—", f"{overhead:.2f}", share(overhead)))
    rows.append(("whole command", "—", str(len(run.cases)), f"{run.seconds:.2f}", "100.0 %"))
    return rows


BREAKDOWN_COLUMNS = ("part", "kind", "tests", "seconds", "share")
