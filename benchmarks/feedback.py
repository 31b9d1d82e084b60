"""Time from a Submit click to feedback in the widget, per question type, in process.

    python benchmarks/feedback.py [--runs 200]

For each type, one question of the demo bank is answered ``--runs`` times (right and
wrong in turn) by setting the answer and calling ``submit_button.click()``; the clock
runs from the click until the feedback widget's value has been written. Two columns:
with the answer saved to a progress file (a temporary one, as in a lesson) and without
(``record=False``, as in the answer key). A browser adds the round trip to the kernel on
top of these numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from trotsky_edu.exercises.answer_key import right_answer, wrong_answer
from trotsky_edu.exercises.bank import load_bank
from trotsky_edu.exercises.widgets import widget_for


def time_clicks(question, *, record: bool, runs: int) -> list[float]:
    """Milliseconds from click to feedback for ``runs`` submissions of one question."""
    view = widget_for(question, record=record)
    answers = [right_answer(question)] if question.type == "source_analysis" else [right_answer(question), wrong_answer(question)]
    times = []
    for n in range(runs):
        view.set_answer(answers[n % len(answers)])
        view.feedback.value = ""
        start = time.perf_counter()
        view.submit_button.click()
        elapsed = time.perf_counter() - start
        if not view.feedback.value:
            raise RuntimeError(f"{question.id}: no feedback after the click")
        times.append(elapsed * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="clicks per question type (default: 200)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TROTSKY_EDU_PROGRESS"] = str(Path(folder) / "progress.json")
        firsts = {}
        for question in load_bank("demo"):
            firsts.setdefault(question.type, question)
        print(f"Click to feedback, milliseconds ({runs} clicks per type)")
        print(f"{'type':<17} {'saving: median':>15} {'p95':>7} {'not saving: median':>19} {'p95':>7}")
        everything = {True: [], False: []}
        for kind, question in firsts.items():
            row = []
            for record in (True, False):
                times = time_clicks(question, record=record, runs=runs)
                everything[record] += times
                row += summary(times)
            print(f"{kind:<17} {row[0]:>15.2f} {row[1]:>7.2f} {row[2]:>19.2f} {row[3]:>7.2f}")
        total = [*summary(everything[True]), *summary(everything[False])]
        print(f"{'all types':<17} {total[0]:>15.2f} {total[1]:>7.2f} {total[2]:>19.2f} {total[3]:>7.2f}")


if __name__ == "__main__":
    main()
