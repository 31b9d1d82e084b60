"""Start-up costs, each measured in fresh interpreters: imports, the command line, nbformat.

An import is timed inside the new interpreter, in CPU seconds (``time.process_time`` around
the import statement): the interpreter's own start-up is left out, and a busy machine, which
can stretch wall time several-fold, hardly changes it. A command is timed from outside, start
to exit, in wall seconds, as a user waits for it. Every figure is the median of ``repeat``
processes.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEPENDENCIES = "import pandas, matplotlib.pyplot, ipywidgets, yaml, convertdate"
FIRST_USE_NAMES = ("load_events", "plot_timeline", "exercise")
# Setting a module to None in sys.modules makes importing it fail, as if it were not installed.
WITHOUT_RFC3987_SYNTAX = "import sys; sys.modules['rfc3987_syntax'] = None"


class StartupFailed(Exception):
    """A process the measurement starts failed; the message names the command and its last error line."""


def first_use_statement() -> str:
    """``from trotsky_edu import ...`` naming those of a lesson's first names the package has."""
    import trotsky_edu

    names = [name for name in FIRST_USE_NAMES if name in trotsky_edu.__all__]
    return f"from trotsky_edu import {', '.join(names)}"


def _environment() -> dict[str, str]:
    # The same non-interactive plot backend for every process, whatever the caller's setting.
    return {**os.environ, "MPLBACKEND": "Agg"}


def import_cpu_seconds(*statements: str, repeat: int, setup: str = "") -> list[float]:
    """Median CPU seconds in fresh interpreters from the first statement's start to each statement's end.

    ``setup`` runs first and is not timed. Timing several statements in one process pairs them:
    ``import_cpu_seconds(DEPENDENCIES, first_use)`` gives the dependencies alone and the
    dependencies plus the package, measured in the same processes.
    """
    lines = [setup, "import time", "_marks = []", "_start = time.process_time()"]
    for statement in statements:
        lines += [statement, "_marks.append(time.process_time() - _start)"]
    lines.append("print(*_marks)")
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", "\n".join(lines)], capture_output=True, text=True,
                              env=_environment())
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise StartupFailed(f"`{'; '.join(statements)}` failed in a fresh interpreter: {last}")
        runs.append([float(mark) for mark in done.stdout.split()])
    return [statistics.median(marks) for marks in zip(*runs)]


def command_seconds(argv: list[str], *, repeat: int) -> float:
    """Median wall-clock seconds from starting ``argv`` to its exit."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, env=_environment())
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise StartupFailed(f"`{' '.join(argv)}` exited with status {done.returncode}")
    return statistics.median(times)


def console_script(name: str) -> Path:
    """The console script ``name`` installed beside this interpreter."""
    return Path(sys.executable).parent / name


def rfc3987_syntax_installed() -> bool:
    """Whether rfc3987_syntax can be imported (its grammar is built at import)."""
    import importlib.util

    return importlib.util.find_spec("rfc3987_syntax") is not None
