"""Time the class report: a sample class of N students through all six lessons, read and rendered.

    .venv/bin/python benchmarks/classreport.py [--students 30 300] [--repeat N]

For each class size: the time to read the files and build the tables (``report()``), and
to render the HTML page with its charts, tables of bars (``ClassReport.html()``), each the median of
``--repeat`` runs in this process, after one run to warm the imports. The sample class
comes from :func:`trotsky_edu.classreport.sample.make_sample_class`, written to a temporary
folder (its awkward files included). Target: under 5 s in all for 300 students.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportTimes:
    """Median seconds to build the tables and to render the page, for one class size."""

    students: int
    files: int
    tables: float
    page: float

    @property
    def total(self) -> float:
        return self.tables + self.page


def time_report(students: int, *, repeat: int = 3) -> ReportTimes:
    """Make a sample class of ``students`` and time its report."""
    from trotsky_edu.classreport import report
    from trotsky_edu.classreport.sample import make_sample_class

    with tempfile.TemporaryDirectory(prefix="trotsky-edu-report-") as folder:
        files = make_sample_class(folder, students=students)
        report(folder).html()  # warm: imports and banks
        tables, page = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            made = report(folder)
            middle = time.perf_counter()
            made.html()
            tables.append(middle - start)
            page.append(time.perf_counter() - middle)
    return ReportTimes(students, len(files), statistics.median(tables), statistics.median(page))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", nargs="+", type=int, default=[30, 300], metavar="N")
    parser.add_argument("--repeat", type=int, default=3, metavar="N")
    args = parser.parse_args(argv)
    print("| students | files | tables | page | total |\n| --: | --: | --: | --: | --: |")
    for size in args.students:
        times = time_report(size, repeat=args.repeat)
        print(f"| {times.students} | {times.files} | {times.tables:.2f} s | {times.page:.2f} s | {times.total:.2f} s |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
