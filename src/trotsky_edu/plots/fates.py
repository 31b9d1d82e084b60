"""What became of them: Trotsky's family, and the defendants of the Moscow trials."""

from __future__ import annotations

import re
from collections.abc import Mapping

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from trotsky_edu.plots.alttext import FigureDescription, attach_description
from trotsky_edu.plots.arguments import check_choice, check_data, with_shared_docs
from trotsky_edu.plots.canvas import axes_for, axes_off, draw_empty, new_axes, set_margins, set_title, wants_new_figure
from trotsky_edu.plots.names import name_lookup, name_of, people_table
from trotsky_edu.plots.style import MUTED_GREY, OKABE_ITO
from trotsky_edu.plots.text_metrics import legend_size_inches, line_height_inches, text_width_inches

GROUPS = ("family", "trials")
#: The columns each group's table must have, and where such a table comes from.
COLUMNS = {"family": ("person_id", "name", "born", "died", "group", "fate", "fate_category"),
           "trials": ("trial", "date", "person_id", "verdict")}
LIKE = {"family": "load_people()", "trials": "load_trials()"}
#: One colour per fate, kept the same in both charts.
FATE_COLOURS = {
    "natural death": OKABE_ITO["sky blue"],
    "killed in war": OKABE_ITO["orange"],
    "executed": OKABE_ITO["vermillion"],
    "assassinated": OKABE_ITO["reddish purple"],
    "died in custody": OKABE_ITO["blue"],
    "suicide": OKABE_ITO["bluish green"],
    "disappeared": OKABE_ITO["black"],
    "unknown": "#999999",
}
VERDICT_MARKERS = {"death": "X", "prison": "s", "death in absentia": "o"}
TROTSKY_DIED = pd.Timestamp(1940, 8, 21)
#: 10-point text in a figure 10 inches wide: the projector rule (trotsky_edu.plots.style.readable_points).
FIGURE_WIDTH = 10.0


@with_shared_docs
def plot_fates(
    data: pd.DataFrame | None = None,
    *,
    group: str = "family",
    people: pd.DataFrame | None = None,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Show what became of Trotsky's family (``group="family"``) or the Moscow trials' defendants (``"trials"``).

    ``"family"`` draws each relative's life as a line from birth to death, ending in a
    marker coloured by how they died, with Trotsky's own death marked. ``"trials"`` puts
    the defendants of each trial in a column; the marker's shape is the sentence and its
    colour how the person died.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        For ``"family"``, the people table (default ``load_people()``); for ``"trials"``,
        the trials table (default ``load_trials()``).
    group : {{"family", "trials"}}
        Which chart to draw.
    {people_table}
    {ax}
    {kwargs}

    Returns
    -------
    {returns}
    """
    group = check_choice(group, GROUPS, what="group")
    if data is not None:
        check_data(data, COLUMNS[group], function="plot_fates", like=LIKE[group])
    people = people_table(people if people is not None or group == "trials" else data)
    if group == "family":
        return _plot_family(people if data is None else data, ax=ax, kwargs=kwargs)
    if data is None:
        from trotsky_edu.datasets import load_trials

        data = load_trials()
    return _plot_trials(data, people, ax=ax, kwargs=kwargs)


def _fate_legend(ax: Axes, fates: list[str], extra: list[Line2D] = (), *, title: str = "fate") -> float:
    """The legend of fates (and ``extra`` handles) right of the Axes; returns the width it needs, inches."""
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, color=FATE_COLOURS.get(f, MUTED_GREY), label=f)
               for f in FATE_COLOURS if f in fates]
    handles += list(extra)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), title=title)
    return legend_size_inches([h.get_label() for h in handles], title=title)[0]


def _plot_family(people: pd.DataFrame, *, ax, kwargs) -> Axes:
    family = people[(people["group"].astype(str) == "family") | (people["person_id"] == "trotsky")]
    family = family.sort_values("born", kind="stable", na_position="last").reset_index(drop=True)
    own_figure = wants_new_figure(ax)
    if own_figure:
        ax = new_axes(width=FIGURE_WIDTH, height=max(len(family), 3) * line_height_inches(size="large") * 1.4 + 1.3,
                      margins=(3.0, 2.6, 0.6, 0.6))
    else:
        ax = axes_for(ax, figsize=(FIGURE_WIDTH, 6))
    set_title(ax, "What became of Trotsky's family")
    if family.empty:
        draw_empty(ax, "No family members in the data")
        attach_description(ax, FigureDescription(what="An empty chart: no family members in the data", span="",
                                                 caption="What became of Trotsky's family."))
        return ax
    rows = family.to_dict("records")
    for y, row in enumerate(rows):
        colour = FATE_COLOURS.get(str(row["fate_category"]), MUTED_GREY)
        born, died = row["born"], row["died"]
        if pd.notna(born) and pd.notna(died):
            ax.plot([born, died], [y, y], color=colour, linewidth=4, solid_capstyle="butt", alpha=0.8,
                    gid=f"life-{row['person_id']}")
        if pd.notna(died):
            ax.plot([died], [y], marker="o", markersize=11, color=colour, markeredgecolor="white",
                    linestyle="", gid=f"death-{row['person_id']}", **kwargs)
            ax.annotate(f"{died.year}: {row['fate_category']}", (mdates.date2num(died), y), xytext=(9, 0),
                        textcoords="offset points", va="center", fontsize="medium", color="#333333")
    ax.axvline(TROTSKY_DIED, color=MUTED_GREY, linestyle="--", linewidth=1)
    ax.text(TROTSKY_DIED, len(family) - 0.1, " Trotsky killed, 1940", color=MUTED_GREY, fontsize="medium",
            va="center")
    labels = [_family_label(row) for row in rows]
    ax.set_yticks(range(len(family)), labels)
    ax.set_ylim(len(family) + 0.2, -0.6)
    low = min(family["born"].min(), pd.Timestamp(1840, 1, 1))
    high = max(family["died"].max(), pd.Timestamp(1945, 1, 1))
    ax.set_xlim(pd.Timestamp(low.year - 2, 1, 1), pd.Timestamp(high.year + 12, 1, 1))
    ax.xaxis.set_major_locator(mdates.YearLocator(20))  # AutoDateLocator would redo its search at every redraw
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    legend_width = _fate_legend(ax, list(family["fate_category"].astype(str)))
    if own_figure:
        names_width = max(text_width_inches(label, size=mpl.rcParams["ytick.labelsize"]) for label in labels)
        set_margins(ax, (names_width + 0.3, legend_width + 0.2, 0.6, 0.6))
    attach_description(ax, _family_description(family))
    return ax


def _family_label(row: Mapping[str, object]) -> str:
    roles = row["roles"] if isinstance(row.get("roles"), list) else []
    role = roles[0] if roles else ""
    return f"{row['name']}\n{role}" if role and row["person_id"] != "trotsky" else str(row["name"])


#: Fates that the family and trial charts count as death at the hands of others or by one's own.
VIOLENT = ("executed", "assassinated", "died in custody", "suicide", "killed in war")


def _family_description(family: pd.DataFrame) -> FigureDescription:
    counts = family["fate_category"].astype(str).value_counts()
    born, died = family["born"].dropna(), family["died"].dropna()
    relatives = len(family) - int((family["person_id"] == "trotsky").sum())
    who = (f"Trotsky and {relatives} members of his family" if relatives < len(family)
           else f"{relatives} members of Trotsky's family")
    by_1941 = family[(family["died"] <= pd.Timestamp(1941, 12, 31))
                     & family["fate_category"].astype(str).isin(VIOLENT)].sort_values("died")
    point = (f"{len(by_1941)} of the {len(family)} died by violence or suicide by 1941"
             + (": " + ", ".join(f"{r['name']} ({r['fate_category']}, {r['died'].year})"
                                 for r in by_1941.to_dict("records")) if len(by_1941) else ""))
    unknown = family[family["fate_category"].astype(str) == "unknown"]
    if len(unknown):
        point += "; how " + " and ".join(
            f"{r['name']} died" + (f" ({r['died'].year})" if pd.notna(r["died"]) else "") for r in unknown.to_dict("records")
        ) + " is not settled"
    details = tuple(f"{r['name']}: {r['fate']}" for r in family.to_dict("records"))
    return FigureDescription(
        what=f"Life lines of {who}, each ending in how they died ("
             + ", ".join(f"{n} {k}" for k, n in counts.items() if n) + ")",
        span=f"from {born.min().year} to {died.max().year}" if len(born) and len(died) else "",
        point=point, details=details, caption="What became of Trotsky's family. Data: people.csv.",
    )


def _plot_trials(trials: pd.DataFrame, people: pd.DataFrame, *, ax, kwargs) -> Axes:
    own_figure = wants_new_figure(ax)
    ax = axes_for(ax, figsize=(FIGURE_WIDTH, 7.5))
    names = name_lookup(people)
    fate = dict(zip(people["person_id"].astype(str), people["fate_category"].astype(str)))
    died = dict(zip(people["person_id"].astype(str), people["died"]))
    set_title(ax, "The Moscow trials, 1936–1938: what became of the defendants")
    axes_off(ax)
    order = [t for t in (trials["trial"].cat.categories if hasattr(trials["trial"], "cat")
                         else pd.unique(trials["trial"])) if (trials["trial"] == t).any()]
    if not order:
        draw_empty(ax, "No trial defendants in the data")
        attach_description(ax, FigureDescription(what="An empty chart: no trial defendants in the data", span="",
                                                 caption="The Moscow trials."))
        return ax
    tallest = max((trials["trial"] == t).sum() for t in order)
    absentia_at = absentia_trial(trials)
    for column, trial in enumerate(order):
        rows = trials[trials["trial"] == trial]
        verdict_day = rows["date"].min()
        heading = trial_heading(str(trial))
        if str(trial) == IN_ABSENTIA and absentia_at:
            heading = f"In absentia\n(at the {absentia_at} trial)"
        ax.text(column - 0.45, 0.2, f"{heading}\nverdict {verdict_day:%d %b %Y}",
                ha="left", va="bottom", fontweight="bold", fontsize="medium")
        for row_index, row in enumerate(rows.to_dict("records")):
            person = str(row["person_id"])
            category = fate.get(person, "unknown")
            colour = FATE_COLOURS.get(category, MUTED_GREY)
            y = -(row_index + 0.6)
            ax.plot([column - 0.42], [y], marker=VERDICT_MARKERS.get(str(row["verdict"]), "o"), markersize=12,
                    color=colour, markeredgecolor=colour,
                    markerfacecolor=colour if str(row["verdict"]) != "death in absentia" else "white",
                    markeredgewidth=2, linestyle="", gid=f"defendant-{person}", **kwargs)
            death = died.get(person)
            when = f", {death.year}" if death is not None and pd.notna(death) else ""
            ax.text(column - 0.34, y, f"{name_of(person, names).split()[-1]}\n{category}{when}",
                    va="center", fontsize="medium", linespacing=1.1)
    ax.set_xlim(-0.5, len(order) - 0.5)
    ax.set_ylim(-(tallest + 0.3), 1.4)
    verdicts = [Line2D([], [], marker=m, linestyle="", markersize=10, color=MUTED_GREY,
                       markerfacecolor="white" if v == "death in absentia" else MUTED_GREY, label=f"sentence: {v}")
                for v, m in VERDICT_MARKERS.items() if (trials["verdict"].astype(str) == v).any()]
    legend_width = _fate_legend(ax, [fate.get(str(p), "unknown") for p in trials["person_id"]], verdicts,
                                title="colour: fate, shape: sentence")
    if own_figure:
        set_margins(ax, (0.2, legend_width + 0.1, 0.2, 0.6))
    attach_description(ax, _trials_description(trials, order, names, fate, died, absentia_at))
    return ax


def trial_heading(trial: str) -> str:
    """'first (Zinoviev-Kamenev) 1936' as 'First trial\n(Zinoviev–Kamenev)'; other names capitalised."""
    match = re.fullmatch(r"(\w+) \((.+)\) (\d{4})", trial)
    if not match:
        return trial[:1].upper() + trial[1:]
    ordinal, who, _year = match.groups()
    return f"{ordinal.capitalize()} trial\n({who.replace('-', '–')})"


IN_ABSENTIA = "in absentia"


def absentia_trial(trials: pd.DataFrame) -> str | None:
    """The ordinal ("first") of the trial whose verdict day the verdicts in absentia share, if one does."""
    absent = trials.loc[trials["trial"].astype(str) == IN_ABSENTIA, "date"]
    for trial, day in trials[trials["trial"].astype(str) != IN_ABSENTIA].groupby("trial", observed=True)["date"].min().items():
        match = re.fullmatch(r"(\w+) \(.+\) \d{4}", str(trial))
        if match and len(absent) and (absent == day).all():
            return match.group(1)
    return None


#: Each fate as the end of a sentence about a person ("Leon Trotsky was assassinated in 1940").
FATE_VERBS = {
    "natural death": "died", "killed in war": "was killed in war", "executed": "was executed",
    "assassinated": "was assassinated", "died in custody": "died in custody", "suicide": "took their own life",
    "disappeared": "disappeared", "unknown": "died",
}


def _fate_sentence(name: str, category: str, died: pd.Timestamp | None) -> str:
    """'Leon Trotsky was assassinated in 1940'; for an unknown fate, 'Lev Sedov died in 1938 (how is not settled)'."""
    year = f" in {died.year}" if died is not None and pd.notna(died) else ""
    unsettled = " (how is not settled)" if category == "unknown" else ""
    return f"{name} {FATE_VERBS.get(category, 'died')}{year}{unsettled}"


def _trials_description(trials, order, names, fate, died, absentia_at: str | None) -> FigureDescription:
    """The trials in the dock counted apart from the verdicts in absentia, which the chart puts in a column of their own.

    ``absentia_at`` is :func:`absentia_trial` of ``trials``: the ordinal ("first") of the trial whose verdict day the
    verdicts in absentia share, or None.
    """
    absent = trials[trials["trial"].astype(str) == IN_ABSENTIA]
    dock = trials[trials["trial"].astype(str) != IN_ABSENTIA]
    held = [t for t in order if str(t) != IN_ABSENTIA]
    verdicts = [f"{dock.loc[dock['trial'] == t, 'date'].min():%B %Y}" for t in held]

    def listed(texts: list[str]) -> str:
        return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]

    what = f"Chart of {len(dock)} of the defendants in {len(held)} Moscow trial{'s' if len(held) != 1 else ''}"
    if held:
        what += ", one column per trial"
    if len(absent):
        absent_names = [name_of(str(p), names) for p in absent["person_id"]]
        at = f" at the {absentia_at} trial" if absentia_at else ""
        what += (f", with {'a further column' if held else 'a column'} for the "
                 f"{'one' if len(absent) == 1 else len(absent)} condemned in absentia{at} ({listed(absent_names)})")
    sentences = dock["verdict"].astype(str).value_counts()
    dock_fates = [fate.get(str(p), "unknown") for p in dock["person_id"]]
    killed = sum(f in ("executed", "died in custody") for f in dock_fates)
    point = ""
    if len(dock):
        deaths = sentences.get("death", 0)
        point = (f"Of the {len(dock)} in the dock, {deaths} {'was' if deaths == 1 else 'were'} sentenced to death and "
                 f"{sentences.get('prison', 0)} to prison; {'all' if killed == len(dock) else killed} of the "
                 f"{len(dock)} were executed or died in custody")
    if len(absent):
        point += ("; of those condemned in absentia, " if point else "Of those condemned in absentia, ") + listed(
            [_fate_sentence(name_of(str(p), names), fate.get(str(p), "unknown"), died.get(str(p)))
             for p in absent["person_id"]])
    details = tuple(
        f"{t}: " + ", ".join(f"{name_of(str(r['person_id']), names)} ({r['verdict']}; {fate.get(str(r['person_id']), 'unknown')})"
                             for r in trials[trials["trial"] == t].to_dict("records"))
        for t in order
    )
    return FigureDescription(
        what=what,
        span=f"verdicts in {listed(verdicts)}" if held else f"verdicts in {trials['date'].min():%B %Y}",
        point=point, details=details,
        caption="The Moscow trials' defendants. Data: trials.csv, people.csv.",
    )
