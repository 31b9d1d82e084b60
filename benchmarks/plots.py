"""Time each plot function: median CPU time of a few runs of drawing it and rendering the PNG.

    python benchmarks/plots.py [--runs 5]

Data are loaded once before timing, so the table shows drawing and rendering only. The
PNG is made as ``show_figure`` makes it (``figure_png``: one draw, cropped); the last
column is ``savefig(bbox_inches="tight")`` for comparison. CPU time rather than wall time,
so a busy machine disturbs the figures less.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from trotsky_edu import datasets  # noqa: E402
from trotsky_edu.plots import (  # noqa: E402
    plot_alliances,
    plot_army_strength,
    plot_fates,
    plot_journey,
    plot_offices,
    plot_timeline,
)
from trotsky_edu.plots.png import figure_png  # noqa: E402


def cases() -> dict[str, object]:
    """A name and a zero-argument call for each chart the lessons draw."""
    events = datasets.load_events()
    stays = datasets.load_residences(with_places=True)
    army = datasets.load_red_army()
    offices = datasets.load_offices()
    factions = datasets.load_factions()
    people = datasets.load_people()
    trials = datasets.load_trials()
    return {
        "plot_timeline()": lambda: plot_timeline(events),
        "plot_timeline(years=(1917, 1918), dual_dates=True)": lambda: plot_timeline(events, years=(1917, 1918),
                                                                                   dual_dates=True),
        "plot_journey()": lambda: plot_journey(stays),
        "plot_journey(start=1929, end=1940)": lambda: plot_journey(stays, start=1929, end=1940),
        "plot_army_strength()": lambda: plot_army_strength(army),
        "plot_offices(person='trotsky')": lambda: plot_offices(offices, person="trotsky", people=people,
                                                                factions=factions),
        "plot_offices(body='party')": lambda: plot_offices(offices, body="party", people=people, factions=factions),
        "plot_alliances(moment='united_opposition')": lambda: plot_alliances(factions, moment="united_opposition",
                                                                              people=people),
        "plot_fates(group='family')": lambda: plot_fates(people, group="family"),
        "plot_fates(group='trials')": lambda: plot_fates(trials, group="trials", people=people),
    }


def savefig_tight(fig) -> None:
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")


def time_case(call, runs: int, render: Callable) -> tuple[float, float]:
    """Median CPU seconds to draw, and to draw and render to PNG with ``render``."""
    draw, total = [], []
    for _ in range(runs):
        start = time.process_time()
        ax = call()
        drawn = time.process_time()
        render(ax.figure)
        done = time.process_time()
        plt.close("all")
        draw.append(drawn - start)
        total.append(done - start)
    return statistics.median(draw), statistics.median(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per function (default 5)")
    runs = parser.parse_args().runs
    table = cases()
    width = max(map(len, table))
    print(f"{'function':<{width}}  {'draw ms':>8}  {'draw+PNG ms':>11}  {'with savefig ms':>15}")
    for name, call in table.items():
        call()  # warm caches (fonts, basemap) outside the timing
        plt.close("all")
        draw, total = time_case(call, runs, figure_png)
        _, saved = time_case(call, runs, savefig_tight)
        print(f"{name:<{width}}  {draw * 1000:8.0f}  {total * 1000:11.0f}  {saved * 1000:15.0f}")


if __name__ == "__main__":
    main()
