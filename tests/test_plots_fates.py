"""plot_fates shows how the family and the trial defendants died."""

import pandas as pd
import pytest

from trotsky_edu.plots.alttext import describe_figure
from trotsky_edu.plots.fates import FATE_COLOURS, plot_fates, trial_heading


def _people():
    frame = pd.DataFrame({
        "person_id": ["trotsky", "sedov_sergei", "sedova", "zinoviev", "radek"],
        "name": ["Leon Trotsky", "Sergei Sedov", "Natalia Sedova", "Grigory Zinoviev", "Karl Radek"],
        "group": ["opposition", "family", "family", "opposition", "opposition"],
        "roles": [["revolutionary"], ["younger son"], ["second wife"], ["x"], ["y"]],
        "fate": ["killed", "shot", "died in Paris", "shot", "killed in prison"],
        "fate_category": ["assassinated", "executed", "natural death", "executed", "died in custody"],
        "born": pd.to_datetime(["1879-11-07", "1908-03-21", "1882-04-05", "1883-09-23", "1885-10-31"]),
        "died": pd.to_datetime(["1940-08-21", "1937-10-29", "1962-01-23", "1936-08-25", "1939-05-19"]),
    })
    return frame


def _trials():
    frame = pd.DataFrame({
        "trial": pd.Categorical(["first (Zinoviev-Kamenev) 1936", "second (Pyatakov-Radek) 1937", "in absentia"],
                                categories=["first (Zinoviev-Kamenev) 1936", "second (Pyatakov-Radek) 1937",
                                            "third (Bukharin-Rykov) 1938", "in absentia"], ordered=True),
        "date": pd.to_datetime(["1936-08-24", "1937-01-30", "1936-08-24"]),
        "person_id": ["zinoviev", "radek", "trotsky"],
        "verdict": ["death", "prison", "death in absentia"],
    })
    return frame


def test_family_has_a_life_line_and_death_marker_per_person():
    ax = plot_fates(_people(), group="family")
    lives = sorted(line.get_gid() for line in ax.lines if (line.get_gid() or "").startswith("life-"))
    assert lives == ["life-sedov_sergei", "life-sedova", "life-trotsky"]
    deaths = {line.get_gid(): line.get_color() for line in ax.lines if (line.get_gid() or "").startswith("death-")}
    assert deaths["death-sedov_sergei"] == FATE_COLOURS["executed"]
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Leon Trotsky"  # ordered by birth


def test_family_description_counts_violent_deaths():
    text = describe_figure(plot_fates(_people(), group="family"))
    assert "from 1879 to 1962" in text
    assert "Life lines of Trotsky and 2 members of his family" in text
    assert "2 of the 3 died by violence or suicide by 1941: Sergei Sedov (executed, 1937), Leon Trotsky (assassinated, 1940)" in text


def test_trials_put_each_defendant_under_their_trial():
    ax = plot_fates(_trials(), group="trials", people=_people())
    marks = sorted(line.get_gid() for line in ax.lines if (line.get_gid() or "").startswith("defendant-"))
    assert marks == ["defendant-radek", "defendant-trotsky", "defendant-zinoviev"]
    headings = [t.get_text() for t in ax.texts if "verdict" in t.get_text()]
    assert headings[0] == "First trial\n(Zinoviev–Kamenev)\nverdict 24 Aug 1936"
    assert len(headings) == 3  # the third trial has no defendants here


def test_trials_description_counts_the_trials_apart_from_the_verdicts_in_absentia():
    text = describe_figure(plot_fates(_trials(), group="trials", people=_people()))
    assert text.startswith("Chart of 2 of the defendants in 2 Moscow trials, one column per trial, with a further "
                           "column for the one condemned in absentia at the first trial (Leon Trotsky), verdicts in "
                           "August 1936 and "
                           "January 1937.")
    assert ("Of the 2 in the dock, 1 was sentenced to death and 1 to prison; all of the 2 were executed or died in "
            "custody; of those condemned in absentia, Leon Trotsky was assassinated in 1940.") in text


def test_bundled_trials_description_agrees_with_the_data():
    """Three trials (the verdicts in absentia were passed at the first), counted straight from trials.csv."""
    from trotsky_edu import load_people, load_trials

    trials, people = load_trials(), load_people().set_index("person_id")
    absent = trials[trials["trial"].astype(str) == "in absentia"]
    dock = trials.drop(absent.index)
    held = dock["trial"].astype(str).nunique()
    killed = people.loc[dock["person_id"], "fate_category"].astype(str).isin(["executed", "died in custody"]).sum()
    text = describe_figure(plot_fates(group="trials"))
    assert f"in {held} Moscow trials" in text and held == 3
    assert (f"Of the {len(dock)} in the dock, {(dock['verdict'] == 'death').sum()} were sentenced to death and "
            f"{(dock['verdict'] == 'prison').sum()} to prison") in text
    assert f"{'all' if killed == len(dock) else killed} of the {len(dock)} were executed or died in custody" in text
    assert f"for the {len(absent)} condemned in absentia" in text


def test_bundled_family_description_agrees_with_the_data():
    from trotsky_edu import load_people

    people = load_people()
    family = people[(people["group"].astype(str) == "family") | (people["person_id"] == "trotsky")]
    violent = family[(family["died"].dt.year <= 1941) & family["fate_category"].astype(str).isin(
        ["executed", "assassinated", "died in custody", "suicide", "killed in war"])].sort_values("died")
    text = describe_figure(plot_fates(group="family"))
    assert f"Life lines of Trotsky and {len(family) - 1} members of his family" in text
    assert (f"{len(violent)} of the {len(family)} died by violence or suicide by 1941: "
            + ", ".join(f"{r.name} ({r.fate_category}, {r.died.year})" for r in violent.itertuples())) in text


def test_empty_family_draws_a_labelled_chart():
    ax = plot_fates(_people().iloc[[3, 4]], group="family")
    assert [t.get_text() for t in ax.texts if t.get_gid() == "empty-message"] == ["No family members in the data"]


def test_unknown_group_names_the_valid_ones():
    with pytest.raises(ValueError, match="choose from: family, trials"):
        plot_fates(group="friends")


def test_trial_heading():
    assert trial_heading("in absentia") == "In absentia"


def test_the_verdicts_in_absentia_are_headed_with_the_trial_that_passed_them():
    ax = plot_fates(_trials(), group="trials", people=_people())
    headings = [t.get_text() for t in ax.texts if "verdict" in t.get_text()]
    assert headings[-1] == "In absentia\n(at the first trial)\nverdict 24 Aug 1936"


def test_bundled_data_draws_both_charts():
    assert plot_fates(group="family").get_yticklabels()
    assert [line for line in plot_fates(group="trials").lines if (line.get_gid() or "").startswith("defendant-")]
