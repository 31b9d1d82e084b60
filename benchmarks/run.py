"""Measure the lessons' speed and memory, each figure beside its floor, and print one table.

    .venv/bin/python benchmarks/run.py [--repeat N] [--clicks N] [--with-tests] [--class-size N] [--lessons NAME ...]
    make bench

In one run, every figure the median of N (``--repeat``, default 3):

1. each lesson run top to bottom in a fresh kernel (nbclient; kernel start and every cell)
   against the floor: a notebook that only imports matplotlib.pyplot, pandas and ipywidgets,
   run the same way. The kernel start counted is the median over all notebooks' runs
   (benchmarks/notebooks.py says why: a random share of starts take 0.2 s longer);
2. the kernel's peak memory after each lesson against the floor notebook's;
3. ``import trotsky_edu``, and a lesson's first use of it, against importing its dependencies
   alone; ``trotsky-edu --help`` against a bare interpreter; ``import nbformat`` (paid by
   nbval, nbclient and JupyterLab in every process) against the same without rfc3987_syntax;
4. Submit click to feedback for each question type, in process (benchmarks/feedback.py,
   ``--clicks`` clicks each, answers saved to a temporary progress file) against a bare
   ipywidgets button whose click writes an HTML widget;
5. with ``--with-tests``, the full test command and where its time goes;
6. with ``--class-size N``, the floor notebook and each lesson run by N students at once on
   this machine, as a class on one hub (benchmarks/classroom.py): time until the last
   student is done, and the kernels' memory summed;
7. the class report of a sample class of 30 and of 300 students through all six lessons
   (benchmarks/classreport.py): reading the files and building the tables, then the page.

For each notebook the report also lists its slowest cells and splits its time by kind of
cell (imports, charts, exercises, the answer key, other), so the cost of a lesson's
content can be read beside the floor's.

Targets: a lesson within 1.75× the floor's time and 1.3× its memory (the bounds the course accepts: charts
and widgets cost what they cost); importing the package
at most 0.1 s beyond its dependencies; feedback (p95) under 50 ms; the class report of 300
students under 5 s. Tables go to stdout,
progress to stderr. The exit status is 1 when something could not be measured (a lesson
that fails to run), not when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import classreport
import classroom
import feedback
import notebooks
import startup
import testsuite
from table import (
    Row,
    at_most_above_floor,
    at_most_times_floor,
    below,
    markdown_table,
    p95_below,
    results_table,
)

ROOT = Path(__file__).resolve().parent.parent
LESSON_TIME = at_most_times_floor(1.75)
LESSON_MEMORY = at_most_times_floor(1.3)
IMPORT_COST = at_most_above_floor(0.1, "s")
FEEDBACK_TIME = p95_below(50, "ms")
REPORT_TIME = below(5, "s")
REPORT_SIZES = (30, 300)


@dataclass
class Report:
    """Everything one run measured."""

    rows: list[Row] = field(default_factory=list)
    slow_cells: list[notebooks.SlowCell] = field(default_factory=list)
    time_splits: list[notebooks.TimeSplit] = field(default_factory=list)
    suite: testsuite.SuiteRun | None = None
    class_runs: list[classroom.ClassRun] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Why some figures could not be measured, each reason once."""
        return list(dict.fromkeys(row.error for row in self.rows if row.error))


def say(message: str) -> None:
    """Progress for the person waiting, on stderr so stdout holds only the tables."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def lessons_to_measure(names: list[str]) -> list[Path]:
    """The notebooks named (paths or lesson slugs), or else every lesson in lessons/course.toml that exists."""
    from trotsky_edu.lessonkit.course import load_course, resolve_lessons

    return [path for path in resolve_lessons(names, load_course(ROOT / "lessons")) if path.is_file()]


def notebook_rows(lessons: list[Path], *, repeat: int, env: dict[str, str], work: Path,
                  report: Report) -> None:
    """Rows for 1 and 2: run time (wall and kernel CPU) and peak memory of the floor notebook and each lesson."""
    floor_path = notebooks.write_floor_notebook(work)
    floor, *results = notebooks.time_notebooks([floor_path, *lessons], repeat=repeat, env=env, progress=say)
    if floor.error:
        raise notebooks.NotebookFailed(f"the floor notebook did not run ({floor.error}); nothing can be compared")
    figures = [  # (label, unit, target, figure of a NotebookTimes)
        ("run all", "s", LESSON_TIME, lambda times: times.seconds),
        ("run all, kernel CPU", "CPU s", LESSON_TIME, lambda times: times.cpu_seconds),
        ("peak memory", "MiB", LESSON_MEMORY, lambda times: times.peak_mib),
    ]
    for label, unit, target, figure in figures:
        base = figure(floor)
        report.rows.append(Row(f"{label}: floor notebook", base, base, unit))
        for result in results:
            value = None if result.error else figure(result)
            report.rows.append(Row(f"{label}: {result.path.stem}", value, base, unit, target, error=result.error))
    # The floor's one cell first, for comparison with the lessons' import cells.
    report.slow_cells += notebooks.slowest_cells(floor, count=1, at_least=0)
    for result in results:
        report.slow_cells += notebooks.slowest_cells(result)
    report.time_splits = [notebooks.time_split(times) for times in (floor, *results) if times.runs]


def startup_rows(*, repeat: int, report: Report) -> None:
    """Rows for 3: importing the package, the command line, nbformat (imports in CPU seconds)."""
    say("imports and start-up")
    first_use = startup.first_use_statement()
    # Dependencies first, then the package, in the same processes: the difference is the package's own cost.
    dependencies, with_package = startup.import_cpu_seconds(startup.DEPENDENCIES, first_use, repeat=repeat)
    [bare] = startup.import_cpu_seconds("import trotsky_edu", repeat=repeat)
    [nbformat] = startup.import_cpu_seconds("import nbformat", repeat=repeat)
    [nbformat_floor] = startup.import_cpu_seconds("import nbformat", repeat=repeat,
                                                  setup=startup.WITHOUT_RFC3987_SYNTAX)
    help_seconds = startup.command_seconds([str(startup.console_script("trotsky-edu")), "--help"], repeat=repeat)
    bare_python = startup.command_seconds([sys.executable, "-c", "pass"], repeat=repeat)
    rfc3987 = "installed" if startup.rfc3987_syntax_installed() else "absent"
    report.rows += [
        Row("import trotsky_edu", bare, dependencies, "CPU s", IMPORT_COST),
        Row(first_use, with_package, dependencies, "CPU s", IMPORT_COST),
        Row("trotsky-edu --help", help_seconds, bare_python, "s"),
        Row(f"import nbformat (rfc3987_syntax {rfc3987})", nbformat, nbformat_floor, "CPU s"),
    ]


def bare_click_ms(*, runs: int) -> list[float]:
    """Milliseconds from clicking a plain button to its handler having written an HTML widget."""
    import ipywidgets

    button, shown = ipywidgets.Button(description="Submit"), ipywidgets.HTML()
    button.on_click(lambda _button: setattr(shown, "value", "<div>Feedback</div>"))
    times = []
    for _ in range(runs):
        shown.value = ""
        start = time.perf_counter()
        button.click()
        times.append((time.perf_counter() - start) * 1000)
    return times


def feedback_rows(*, clicks: int, report: Report) -> None:
    """Rows for 4: click to feedback per question type (the demo bank's first question of each type)."""
    from trotsky_edu.exercises.bank import load_bank

    say("click to feedback")
    floor, _ = feedback.summary(bare_click_ms(runs=clicks))
    firsts = {}
    for question in load_bank("demo"):
        firsts.setdefault(question.type, question)
    for kind, question in firsts.items():
        label = f"feedback: {kind}"
        try:
            times = feedback.time_clicks(question, record=True, runs=clicks)
        except RuntimeError as error:  # a click that showed no feedback
            report.rows.append(Row(label, None, floor, "ms", FEEDBACK_TIME, error=str(error)))
            continue
        median, p95 = feedback.summary(times)
        report.rows.append(Row(label, median, floor, "ms", FEEDBACK_TIME, p95=p95))


def class_report_rows(*, sizes: tuple[int, ...], repeat: int, report: Report) -> None:
    """Rows for 7: the class report of sample classes of ``sizes`` students, tables and page together."""
    for students in sizes:
        say(f"class report, {students} students")
        times = classreport.time_report(students, repeat=repeat)
        target = REPORT_TIME if students == max(sizes) else None
        report.rows.append(Row(f"class report, {students} students × 6 lessons (tables {times.tables:.2f} s, page "
                               f"{times.page:.2f} s)", times.total, None, "s", target))


def suite_rows(*, report: Report) -> None:
    """Rows for 5: the full test command."""
    say("the full test command (python -m pytest)")
    run = testsuite.run_test_command(ROOT)
    report.suite = run
    report.rows.append(Row("test command: python -m pytest", run.seconds, None, "s"))


@contextmanager
def benchmark_environment(work: Path):
    """Settings inherited by every process the benchmark starts, restored afterwards.

    Progress goes to a temporary file, never the user's. Byte-code caching is on, as in a
    normal install: with PYTHONDONTWRITEBYTECODE set, each process would compile the
    package's modules again and the figures would include that.
    """
    saved = dict(os.environ)
    os.environ["TROTSKY_EDU_PROGRESS"] = str(work / "progress.json")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        yield dict(os.environ)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def measure(lessons: list[Path], *, repeat: int, clicks: int, with_tests: bool, class_size: int = 0,
            report_sizes: tuple[int, ...] = REPORT_SIZES) -> Report:
    """Measure everything the module docstring lists."""
    report = Report()
    with tempfile.TemporaryDirectory(prefix="trotsky-edu-bench-") as folder, \
            benchmark_environment(Path(folder)) as env:
        notebook_rows(lessons, repeat=repeat, env=env, work=Path(folder), report=report)
        startup_rows(repeat=repeat, report=report)
        feedback_rows(clicks=clicks, report=report)
        class_report_rows(sizes=report_sizes, repeat=repeat, report=report)
        if class_size:
            report.class_runs = classroom.measure_class(lessons, students=class_size, env=env, progress=say)
        if with_tests:
            suite_rows(report=report)
    return report


def machine() -> str:
    """One line naming the machine, for the README's performance section."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read_lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or platform.machine())
    memory = next((int(line.split()[1]) / 1024**2 for line in _read_lines("/proc/meminfo") if line.startswith("MemTotal")),
                  None)
    memory_text = f", {memory:.0f} GiB RAM" if memory else ""
    load = ", load average {:.1f} at start".format(os.getloadavg()[0]) if hasattr(os, "getloadavg") else ""
    return (f"{cpu}, {os.cpu_count()} CPUs{memory_text}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}{load}")


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


FLOORS = """Floors: lessons — the floor notebook (only imports matplotlib.pyplot, pandas, ipywidgets), run the same way
(kernel start, pooled over all notebooks' runs, and all cells; "kernel CPU" is the kernel process's CPU time, which a busy
machine does not inflate);
imports — `{dependencies}` in a fresh interpreter, in CPU seconds (first use is timed after it, in the same process);
trotsky-edu --help — `python -c pass`; import nbformat — the same with rfc3987_syntax blocked;
feedback — a bare ipywidgets button whose click writes an HTML widget."""


def render(report: Report, *, repeat: int, clicks: int, machine_line: str) -> str:
    """The report as text: the results table, its floors, the slowest cells, the test breakdown."""
    parts = [
        f"Measured on: {machine_line}",
        f"Medians of {repeat} run(s); feedback over {clicks} clicks per question type.",
        "",
        results_table(report.rows),
        "",
        FLOORS.format(dependencies=startup.DEPENDENCIES),
    ]
    if report.errors:
        parts += ["", "Could not measure:", *(f"- {error}" for error in report.errors)]
    if report.slow_cells:
        rows = [(c.notebook, str(c.number), f"{c.seconds:.2f}", f"{100 * c.share:.0f} %", c.first_line.replace("|", "\\|"))
                for c in report.slow_cells]
        parts += ["", "Slowest cells (median seconds; cells counted from 1; share of the lesson's run-all time):", "",
                  markdown_table(("lesson", "cell", "seconds", "share", "first line"), rows)]
    if report.time_splits:
        rows = [(split.notebook, f"{split.seconds:.2f}", f"{split.outside_cells:.2f}",
                 *(f"{split.kinds[kind][0]:.2f} ({split.kinds[kind][1]})" for kind in notebooks.CELL_KINDS))
                for split in report.time_splits]
        parts += ["", "Where each notebook's run-all time goes (median seconds; code cells of each kind in brackets;"
                  " kernel start is the pooled one, with the gaps between cells added):", "",
                  markdown_table(("notebook", "run all", "kernel start", *notebooks.CELL_KINDS), rows)]
    if report.class_runs:
        parts += ["", f"A class pressing Run All at once ({report.class_runs[0].students} students on this machine; "
                  "kernels over Unix sockets):", "", classroom.class_table(report.class_runs)]
    if report.suite is not None:
        parts += ["", f"Where the test command's time goes ({report.suite.summary}):", "",
                  markdown_table(testsuite.BREAKDOWN_COLUMNS, testsuite.breakdown_rows(report.suite))]
        if report.suite.failed:
            parts += ["", "Failed or errored tests:", *(f"- {test}" for test in report.suite.failed)]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Run from anywhere in the checkout with the project's interpreter: "
                                            ".venv/bin/python benchmarks/run.py (or `make bench`).")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="runs of each notebook, import and command; the table shows medians (default: 3)")
    parser.add_argument("--clicks", type=int, default=100, metavar="N",
                        help="Submit clicks per question type for the feedback timing (default: 100)")
    parser.add_argument("--with-tests", action="store_true",
                        help="also time the full test command (python -m pytest) and show where its time goes")
    parser.add_argument("--class-size", type=int, default=0, metavar="N",
                        help="also run the floor and each lesson in N kernels at once, as a class on one hub "
                             "(30 takes a few minutes; default: not run)")
    parser.add_argument("--lessons", nargs="+", metavar="NAME",
                        help="lesson slugs or notebook paths to measure (default: every lesson in lessons/course.toml)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.clicks < 2 or args.class_size < 0:
        parser.error("--repeat must be at least 1, --clicks at least 2 and --class-size not negative")
    from trotsky_edu.lessonkit import LessonkitError

    try:
        lessons = lessons_to_measure(args.lessons or [])
    except LessonkitError as error:
        parser.error(str(error))
    line = machine()
    try:
        report = measure(lessons, repeat=args.repeat, clicks=args.clicks, with_tests=args.with_tests,
                         class_size=args.class_size)
    except (notebooks.NotebookFailed, startup.StartupFailed) as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 1
    print(render(report, repeat=args.repeat, clicks=args.clicks, machine_line=line))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
