"""A class pressing "Run All" at the same moment: one lesson in many fresh kernels on this machine.

    .venv/bin/python benchmarks/classroom.py [--students 30] [LESSON ...]
    .venv/bin/python benchmarks/run.py --class-size 30      (the same, after run.py's own tables)

This is what the lesson-time and memory targets stand in for: a class of thirty sharing one
hub machine. Each student is a process of its own (as each student on a hub has a Jupyter
server of their own) that runs the notebook top to bottom in a fresh kernel, the way
:func:`notebooks.run_notebook` does. Every student starts its clock on the same signal, once
all of them have loaded their Jupyter libraries. Kernels talk over Unix sockets
(``KernelManager.transport = "ipc"``): with TCP, thirty kernels starting at once on one
machine race for free ports, and now and then one dies before it answers (here one kernel
in sixty) or a class hangs.

For each notebook (the floor notebook first, for comparison) the table gives the time until
the last student's last cell finished, the median student's time, the median kernel CPU
time, the sum of every kernel's peak memory (the most the class's kernels could hold at
once), and how many students' runs failed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import notebooks
from table import markdown_table


@dataclass(frozen=True)
class ClassRun:
    """One class running one notebook: seconds until all were done, each student's run, and the failures."""

    name: str
    seconds: float
    runs: tuple[notebooks.NotebookRun, ...]
    failures: tuple[str, ...]

    @property
    def students(self) -> int:
        return len(self.runs) + len(self.failures)

    @property
    def memory_mib(self) -> float:
        """The sum of the kernels' peak memory."""
        return sum(run.peak_mib for run in self.runs)


def run_class(path: Path, *, students: int, env: dict[str, str], timeout: int = 600) -> ClassRun:
    """Run ``path`` in ``students`` student processes at once.

    A student whose run fails, or who is not done ``timeout`` seconds after the start, is
    counted as a failure with the reason, not raised.
    """
    command = [sys.executable, str(Path(__file__)), "--as-student", str(path)]
    processes = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=env, cwd=Path(__file__).parent)
        for _ in range(students)
    ]
    try:
        for process in processes:  # every student has its libraries loaded before any clock starts
            process.stdout.readline()
        start = time.perf_counter()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = [_output(process, deadline=start + timeout) for process in processes]
        seconds = time.perf_counter() - start
    finally:
        for process in processes:
            process.kill()
    runs, failures = [], []
    for process, (out, err) in zip(processes, outputs):
        try:
            figures = json.loads(out.strip().splitlines()[-1])
            # JSON gives a list: back to the tuple NotebookRun holds, so a run stays hashable like one made here
            runs.append(notebooks.NotebookRun(**{**figures, "cell_seconds": tuple(figures["cell_seconds"])}))
        except (IndexError, KeyError, ValueError, TypeError):
            lines = (err.strip() or out.strip() or f"exit status {process.returncode}").splitlines()
            failures.append(lines[-1])
    return ClassRun(path.stem, seconds, tuple(runs), tuple(failures))


def _output(process: subprocess.Popen, *, deadline: float) -> tuple[str, str]:
    """A student's stdout and stderr once it has finished, or once it is stopped at ``deadline``."""
    try:
        return process.communicate(timeout=max(0.0, deadline - time.perf_counter()))
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        return out, f"{err}\nnot done in time, stopped"


def _student(path: Path) -> None:
    """One student: say ready, wait for the signal, run ``path`` and print its figures as JSON."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    print("ready", flush=True)
    sys.stdin.readline()
    with tempfile.TemporaryDirectory(prefix="trotsky-edu-kernel-") as sockets:
        try:
            run = notebooks.run_notebook(notebook, path, env=dict(os.environ), ipc=Path(sockets) / "kernel")
        except notebooks.NotebookFailed as error:
            sys.exit(str(error))
    print(json.dumps(asdict(run)))


CLASS_COLUMNS = ("notebook", "students", "all done after", "floor ratio", "median student", "kernel CPU, median",
                 "kernels' peak memory, summed", "failed")


def class_table(runs: list[ClassRun]) -> str:
    """The class runs as a table; the first is the floor, and each class's time is also a ratio to it."""
    floor = runs[0]
    rows = []
    for run in runs:
        failed = f"{len(run.failures)}: {run.failures[0]}" if run.failures else "0"
        if not run.runs:
            rows.append((run.name, str(run.students), "—", "—", "—", "—", "—", failed))
            continue
        ratio = f"{run.seconds / floor.seconds:.2f}×" if floor.runs else "—"
        median_student = statistics.median(student.seconds for student in run.runs)
        median_cpu = statistics.median(student.cpu_seconds for student in run.runs)
        rows.append((
            run.name, str(run.students), f"{run.seconds:.1f} s", ratio, f"{median_student:.1f} s",
            f"{median_cpu:.2f} CPU s", f"{run.memory_mib / 1024:.2f} GiB", failed,
        ))
    return markdown_table(CLASS_COLUMNS, rows)


def measure_class(lessons: list[Path], *, students: int, env: dict[str, str], progress=None) -> list[ClassRun]:
    """The floor notebook and then each lesson, each run by a class of ``students`` at once."""
    with tempfile.TemporaryDirectory(prefix="trotsky-edu-class-") as temp:
        floor = notebooks.write_floor_notebook(Path(temp))
        results = []
        for path in (floor, *lessons):
            if progress:
                progress(f"a class of {students}: {path.name}")
            results.append(run_class(path, students=students, env=env))
        return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson notebooks or slugs (default: every lesson)")
    parser.add_argument("--students", type=int, default=30, help="students running each notebook at once")
    parser.add_argument("--as-student", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")
    if args.as_student:
        _student(args.as_student)
        return 0
    from run import benchmark_environment, lessons_to_measure, say

    with tempfile.TemporaryDirectory(prefix="trotsky-edu-bench-") as folder, \
            benchmark_environment(Path(folder)) as env:
        runs = measure_class(lessons_to_measure(args.lessons), students=args.students, env=env, progress=say)
    print(class_table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
