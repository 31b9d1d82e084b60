"""The benchmark (benchmarks/run.py) runs end to end on a tiny case and prints the table it promises.

No figure is checked against a number: timings depend on the machine. What is checked is
that every measure appears with its floor, ratio, target and result, that a notebook that
fails is reported in its row, and how the test command's time is split.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import nbformat
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    """The benchmark modules, imported as ``python benchmarks/run.py`` imports them (from their folder)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))
        run = importlib.import_module("run")
        yield run


def _notebook(path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)
    return path


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def _main_table(text: str) -> list[str]:
    """The lines of the results table: from its header to the first line that is not a table row."""
    lines = text.splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith("| measure "))
    end = next((number for number in range(start, len(lines)) if not lines[number].startswith("|")), len(lines))
    return lines[start:end]


def test_one_run_on_tiny_notebooks_prints_every_measure_with_floor_ratio_target_and_result(bench, tmp_path):
    """A quick lesson, a broken one, repeat=1: the table has each measure, and the broken lesson says why."""
    quick = _notebook(tmp_path / "01-quick.ipynb", "total = sum(range(10))")
    broken = _notebook(tmp_path / "02-broken.ipynb", "x = 1", "raise ValueError('no data for this lesson')")

    report = bench.measure([quick, broken], repeat=1, clicks=3, with_tests=False, report_sizes=(2, 3))
    text = bench.render(report, repeat=1, clicks=3, machine_line=bench.machine())

    header, rule, *lines = _main_table(text)
    assert _cells(header) == ["measure", "median", "floor", "ratio", "target", "result"]
    assert set(rule) <= set("|-: ")
    rows = {cells[0]: cells for cells in map(_cells, lines)}
    for label in ("run all", "run all, kernel CPU", "peak memory"):
        assert rows[f"{label}: floor notebook"][3] == "1.00×"
        assert rows[f"{label}: 01-quick"][4].startswith("≤ ")
        assert rows[f"{label}: 01-quick"][5] in {"pass", "FAIL"}
        assert rows[f"{label}: 02-broken"][1] == "error (below)"
        assert rows[f"{label}: 02-broken"][5] == "FAIL"
    assert rows["import trotsky_edu"][4] == "≤ floor + 0.1 s"
    assert any(measure.startswith("from trotsky_edu import load_events") for measure in rows)
    assert rows["trotsky-edu --help"][2].endswith(" s")
    assert any(measure.startswith("import nbformat (rfc3987_syntax ") for measure in rows)
    for kind in ("single_choice", "multiple_choice", "ordering", "matching", "estimate", "short_text",
                 "source_analysis"):
        assert "(p95 " in rows[f"feedback: {kind}"][1]
        assert rows[f"feedback: {kind}"][4] == "p95 < 50 ms"
    report_rows = [cells for measure, cells in rows.items() if measure.startswith("class report, ")]
    assert [cells[0].split(" (")[0] for cells in report_rows] == ["class report, 2 students × 6 lessons",
                                                                   "class report, 3 students × 6 lessons"]
    assert report_rows[0][4] == "—" and report_rows[1][4] == "< 5 s" and report_rows[1][5] in {"pass", "FAIL"}
    assert all(len(cells) == 6 for cells in rows.values())
    split = text[text.index("Where each notebook's run-all time goes"):].splitlines()
    assert _cells(split[2]) == ["notebook", "run all", "kernel start", "imports", "charts", "exercises", "answer key",
                                "other"]
    assert _cells(split[4])[0] == "floor" and _cells(split[4])[3].endswith("(1)")  # its one cell imports
    assert _cells(split[5])[0] == "01-quick" and _cells(split[5])[7].endswith("(1)")
    slow_cells = text[text.index("Slowest cells"):].splitlines()
    assert _cells(slow_cells[2]) == ["lesson", "cell", "seconds", "share", "first line"]
    assert _cells(slow_cells[4])[:2] == ["floor", "1"] and _cells(slow_cells[4])[4] == "import matplotlib.pyplot"
    assert report.errors == ["02-broken.ipynb cell 2: ValueError: no data for this lesson"]
    assert "Could not measure:\n- 02-broken.ipynb cell 2: ValueError: no data for this lesson" in text


def test_the_test_command_time_is_split_by_unit_file_notebook_and_browser_test(bench, tmp_path):
    """Cases are summed per file and per kind; what the report does not cover is start-up and collection."""
    testsuite = importlib.import_module("testsuite")
    report = tmp_path / "junit.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.test_calendar" name="a" file="tests/test_calendar.py" time="1.0"/>'
        '<testcase classname="tests.test_calendar" name="b" file="tests/test_calendar.py" time="0.5"/>'
        '<testcase classname="lessons.01-revolution.ipynb" name="Cell 0" file="lessons/01-revolution.ipynb" time="3.0"/>'
        '<testcase classname="lessons.01-revolution.ipynb" name="Cell 1" file="lessons/01-revolution.ipynb" time="1.0"/>'
        '<testcase classname="tests.test_browser" name="c" file="tests/test_browser.py" time="2.5">'
        '<failure message="no feedback"/></testcase>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    run = testsuite.SuiteRun(seconds=10.0, returncode=0, summary="5 passed", cases=testsuite.read_cases(report))

    rows = {row[0]: row for row in testsuite.breakdown_rows(run)}

    assert rows["lessons/01-revolution.ipynb"] == ("lessons/01-revolution.ipynb", "nbval", "2", "4.00", "40.0 %")
    assert rows["tests/test_browser.py"][1:] == ("browser", "1", "2.50", "25.0 %")
    assert rows["tests/test_calendar.py"][1:] == ("unit", "2", "1.50", "15.0 %")
    assert rows["all unit tests"][2:4] == ("2", "1.50")
    assert rows["start-up, collection, plugins"][3:] == ("2.00", "20.0 %")
    assert rows["whole command"][2:] == ("5", "10.00", "100.0 %")
    assert list(rows)[0] == "lessons/01-revolution.ipynb"  # slowest file first
    assert run.failed == ["tests/test_browser.py::c"]


def test_targets_pass_within_their_limit_and_fail_beyond_it(bench):
    """Each kind of target decides pass/FAIL from the row's own value, floor and p95."""
    table = importlib.import_module("table")
    within = table.at_most_times_floor(1.5)
    extra = table.at_most_above_floor(0.1, "s")
    quick = table.p95_below(50, "ms")
    under = table.below(5, "s")

    assert table.Row("lesson", 14.0, 10.0, "s", within).passed is True
    assert table.Row("lesson", 16.0, 10.0, "s", within).passed is False
    assert table.Row("import", 1.35, 1.3, "s", extra).passed is True
    assert table.Row("import", 1.5, 1.3, "s", extra).passed is False
    assert table.Row("click", 10.0, 0.1, "ms", quick, p95=49.0).passed is True
    assert table.Row("click", 10.0, 0.1, "ms", quick, p95=60.0).passed is False
    assert table.Row("report", 4.9, None, "s", under).passed is True
    assert table.Row("report", 5.1, None, "s", under).passed is False
    assert table.row_cells(table.Row("floor", 2.0, 2.0, "s")) == ("floor", "2.00 s", "2.00 s", "1.00×", "—", "—")


def test_an_unknown_lesson_name_is_refused_with_the_known_names(bench, capsys):
    """`--lessons` with a name that is neither a notebook nor a slug stops before measuring anything."""
    with pytest.raises(SystemExit) as stopped:
        bench.main(["--lessons", "99-no-such-lesson"])

    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "99-no-such-lesson: no such lesson notebook" in message
    assert "01-revolution" in message


def test_a_floor_notebook_that_fails_stops_the_run_with_a_message(bench, monkeypatch):
    """Without a floor nothing can be compared, so the run stops and says why instead of printing ratios."""
    notebooks = importlib.import_module("notebooks")
    monkeypatch.setattr(notebooks, "FLOOR_SOURCE", "import no_such_module_for_the_floor")

    with pytest.raises(notebooks.NotebookFailed, match="the floor notebook did not run .*ModuleNotFoundError"):
        bench.measure([], repeat=1, clicks=2, with_tests=False)


def test_cells_are_split_by_kind_and_the_rest_is_kernel_start(bench):
    notebooks = importlib.import_module("notebooks")
    sources = ["from trotsky_edu import exercise, plot_timeline", "people = load_people()",
               'show_figure(plot_timeline())', 'exercise("03-succession", "suc-china")',
               'exercise("03-succession", "suc-troika-name")', 'self_check("03-succession")']
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.cells.insert(2, nbformat.v4.new_markdown_cell("## A heading"))
    cells = (0.6, 0.02, 0.0, 0.2, 0.015, 0.025, 0.05)
    times = notebooks.NotebookTimes(Path("03-succession.ipynb"), notebook,
                                    runs=[notebooks.NotebookRun(1.5, 1.2, 150.0, cells)])
    split = notebooks.time_split(times)
    assert split.kinds == {"imports": (0.6, 1), "other": (0.02, 1), "charts": (0.2, 1),
                           "exercises": (pytest.approx(0.04), 2), "answer key": (0.05, 1)}
    assert split.outside_cells == pytest.approx(1.5 - sum(cells))
    assert notebooks.cell_kind("widgets.interactive(show_year, year=year)") == "charts"
    assert notebooks.cell_kind("import matplotlib.pyplot as plt\nfig = plt.figure()\nshow_figure(fig)") == "charts"
    assert notebooks.cell_kind("%timeit plot_timeline()") == "charts"  # not Python, still sorted by its marks


def test_every_notebook_counts_the_same_kernel_start_the_median_of_all_runs(bench):
    notebooks = importlib.import_module("notebooks")

    def run(seconds, ready):
        return notebooks.NotebookRun(seconds, 1.0, 100.0, (seconds - ready,), ready)

    # The floor's starts were all quick, the lesson's all slow (0.2 s more): the same cells otherwise.
    floor = notebooks.NotebookTimes(Path("floor.ipynb"), nbformat.v4.new_notebook(),
                                    runs=[run(1.0, 0.45), run(1.02, 0.46), run(1.01, 0.44)])
    lesson = notebooks.NotebookTimes(Path("04-exile.ipynb"), nbformat.v4.new_notebook(),
                                     runs=[run(2.05, 0.65), run(2.06, 0.66), run(2.04, 0.64)])
    assert lesson.seconds / floor.seconds == pytest.approx(2.05 / 1.01)  # each its own start

    notebooks.pool_kernel_start([floor, lesson])

    assert floor.kernel_start == lesson.kernel_start == pytest.approx((0.46 + 0.64) / 2)
    assert floor.seconds == pytest.approx(0.55 + 0.56)
    assert lesson.seconds == pytest.approx(0.55 + 1.40)
    assert notebooks.time_split(lesson).outside_cells == pytest.approx(0.55)


# --- a class running a notebook at once (benchmarks/classroom.py) -----------------------------


@pytest.fixture(scope="module")
def classroom(bench):
    return importlib.import_module("classroom")


def test_a_class_runs_the_notebook_in_every_students_kernel_at_the_same_time(classroom, tmp_path):
    """Each student's kernel waits for the other's to arrive: run one after the other, both would fail."""
    arrived = tmp_path / "arrived"
    arrived.mkdir()
    wait_for_both = (
        "import os, pathlib, time\n"
        f"here = pathlib.Path({str(arrived)!r})\n"
        "(here / str(os.getpid())).touch()\n"
        "deadline = time.monotonic() + 60\n"
        "while len(list(here.iterdir())) < 2 and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "assert len(list(here.iterdir())) == 2, 'alone'"
    )
    notebook = _notebook(tmp_path / "together.ipynb", "x = 1", wait_for_both)

    run = classroom.run_class(notebook, students=2, env=dict(os.environ))

    assert run.failures == ()
    assert run.students == len(run.runs) == 2
    assert len(list(arrived.iterdir())) == 2
    assert all(len(student.cell_seconds) == 2 and student.peak_mib > 10 and student.cpu_seconds > 0
               for student in run.runs)
    assert run.seconds >= max(student.seconds for student in run.runs)
    assert run.memory_mib == pytest.approx(sum(student.peak_mib for student in run.runs))
    assert all(isinstance(student.cell_seconds, tuple) for student in run.runs)  # as run_notebook makes them


def test_a_student_whose_notebook_fails_is_counted_with_the_cell_and_error(classroom, tmp_path):
    notebook = _notebook(tmp_path / "broken.ipynb", "raise ValueError('no data for this lesson')")

    run = classroom.run_class(notebook, students=1, env=dict(os.environ))

    assert run.runs == ()
    assert run.failures == ("broken.ipynb cell 1: ValueError: no data for this lesson",)


def test_the_class_table_gives_each_class_against_the_floor_and_its_failures(bench, classroom):
    def student(seconds, peak):
        return bench.notebooks.NotebookRun(seconds, seconds / 2, peak, (seconds,))

    floor = classroom.ClassRun("floor", 20.0, (student(15.0, 100.0), student(17.0, 110.0)), ())
    lesson = classroom.ClassRun("01-lesson", 30.0, (student(25.0, 150.0),), ("01-lesson.ipynb cell 3: KeyError: 'x'",))
    broken = classroom.ClassRun("02-broken", 1.0, (), ("02-broken.ipynb cell 1: ValueError: v",) * 2)
    report = bench.Report(class_runs=[floor, lesson, broken])

    text = bench.render(report, repeat=1, clicks=3, machine_line="a machine")

    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("A class pressing Run All at once (2 students"))
    header, _rule, *rows = lines[start + 2:start + 7]
    assert _cells(header) == list(classroom.CLASS_COLUMNS)
    assert _cells(rows[0]) == ["floor", "2", "20.0 s", "1.00×", "16.0 s", "8.00 CPU s", "0.21 GiB", "0"]
    assert _cells(rows[1]) == ["01-lesson", "2", "30.0 s", "1.50×", "25.0 s", "12.50 CPU s", "0.15 GiB",
                               "1: 01-lesson.ipynb cell 3: KeyError: 'x'"]
    assert _cells(rows[2])[1:3] == ["2", "—"]
    assert _cells(rows[2])[-1] == "2: 02-broken.ipynb cell 1: ValueError: v"


def test_a_student_not_done_in_time_is_stopped_and_counted(classroom, tmp_path):
    notebook = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(600)")

    run = classroom.run_class(notebook, students=1, env=dict(os.environ), timeout=5)

    assert run.runs == ()
    assert run.failures == ("not done in time, stopped",)
    assert run.seconds < 60


def test_the_hub_benchmark_runs_a_tiny_class_and_prints_every_measure_beside_its_floor(capsys):
    """benchmarks/hub.py on a class of one and a simulated class of two: each row has a value and a floor."""
    from hubtools import PROXY

    if not PROXY.exists():
        pytest.skip("configurable-http-proxy is not installed (make test installs it with npm)")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))
        hub = importlib.import_module("hub")
        assert hub.main(["--class-size", "1", "--simulated", "2", "--lesson", "00-start-here", "--tick", "0.1"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")][2:]
    rows = {_cells(line)[0].split(" (")[0].split(", ")[0]: _cells(line) for line in lines}
    assert set(rows) == {"submit to stored", "submit to the kernel's delivery done", "events stored per second",
                         "dashboard", "class service memory"}
    assert all(cells[1] and cells[2] for cells in map(_cells, lines))
    assert len(lines) == 8
