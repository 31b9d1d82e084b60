"""plot_offices draws one bar per post, grouped by post, with the struggle's periods above."""

import matplotlib.dates as mdates
import pandas as pd
import pytest

from trotsky_edu.plots.alttext import describe_figure
from trotsky_edu.plots.offices import plot_offices


def _offices():
    rows = [
        ("o1", "trotsky", "War Commissar", "government", "1918-03-13", "1925-01-06"),
        ("o2", "trotsky", "Politburo member", "party", "1919-03-25", "1926-10-23"),
        ("o3", "lenin", "Politburo member", "party", "1919-03-25", None),
        ("o4", "stalin", "Politburo member", "party", "1919-03-25", None),
    ]
    frame = pd.DataFrame(rows, columns=["office_id", "person_id", "post", "body", "start", "end"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["body"] = pd.Categorical(frame["body"], categories=["soviet", "government", "party"], ordered=True)
    return frame


def _people():
    return pd.DataFrame({"person_id": ["trotsky", "lenin", "stalin"],
                         "name": ["Leon Trotsky", "Vladimir Lenin", "Joseph Stalin"],
                         "died": pd.to_datetime(["1940-08-21", "1924-01-21", "1953-03-05"])})


def _factions():
    return pd.DataFrame({"alignment": ["troika", "united_opposition"], "person_id": ["stalin", "trotsky"],
                         "start": pd.to_datetime(["1922-07-01", "1926-04-01"]),
                         "end": pd.to_datetime(["1925-09-01", "1927-12-01"])})


def _bars(ax):
    return {p.get_gid(): p for p in ax.patches if p.get_gid()}


def test_one_bar_per_post_grouped_by_post():
    ax = plot_offices(_offices(), people=_people(), factions=_factions())
    assert set(_bars(ax)) == {"o1", "o2", "o3", "o4"}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Leon Trotsky: War Commissar", "Leon Trotsky: Politburo member",
                      "Vladimir Lenin: Politburo member", "Joseph Stalin: Politburo member"]


def test_open_posts_end_at_the_holders_death_or_the_chart_edge():
    ax = plot_offices(_offices(), people=_people(), factions=_factions(), years=(1917, 1930))
    bars = _bars(ax)
    lenin_end = mdates.num2date(bars["o3"].get_x() + bars["o3"].get_width())
    assert (lenin_end.year, lenin_end.month) == (1924, 1)
    stalin_end = mdates.num2date(bars["o4"].get_x() + bars["o4"].get_width())
    assert stalin_end.year == 1931  # clipped to the chart's edge


def test_person_filter_labels_rows_by_post_alone():
    ax = plot_offices(_offices(), person="trotsky", people=_people(), factions=_factions())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["War Commissar", "Politburo member"]
    assert ax.get_title(loc="left").startswith("Posts held by Leon Trotsky")


def test_periods_are_labelled_above_the_bars():
    ax = plot_offices(_offices(), people=_people(), factions=_factions())
    texts = [t.get_text() for t in ax.texts]
    assert "Troika" in texts and "United Opposition" in texts


def test_body_filter_and_years_limits():
    ax = plot_offices(_offices(), body="party", years=(1920, 1925), people=_people(), factions=_factions())
    assert set(_bars(ax)) == {"o2", "o3", "o4"}
    assert [mdates.num2date(x).year for x in ax.get_xlim()] == [1920, 1926]


def test_empty_selection_draws_a_labelled_chart():
    ax = plot_offices(_offices(), years=(1879, 1900), people=_people(), factions=_factions())
    assert [t.get_text() for t in ax.texts if t.get_gid() == "empty-message"] == ["No posts between 1879 and 1900"]


@pytest.mark.parametrize("kwargs, message", [({"person": "nobody"}, "choose from: lenin, stalin, trotsky"),
                                             ({"body": "army"}, "choose from: soviet, government, party"),
                                             ({"years": 1870}, "1879 to 1940")])
def test_bad_arguments_name_the_valid_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_offices(_offices(), people=_people(), factions=_factions(), **kwargs)


def test_description_mentions_holders_and_range():
    text = describe_figure(plot_offices(_offices(), people=_people(), factions=_factions(), years=(1917, 1930)))
    assert "4 posts held by 3 people" in text and "from 1917 to 1930" in text


def test_bundled_offices_draw_trotskys_posts():
    ax = plot_offices(person="trotsky")
    assert len(_bars(ax)) >= 5


def test_description_says_which_posts_end_inside_the_years_shown_and_which_go_on():
    """Over 1919–1925, Lenin's seat ends at his death and the War Commissariat in 1925; the 1926 Politburo seat goes on."""
    ax = plot_offices(_offices(), people=_people(), factions=_factions(), years=(1919, 1925))
    text = describe_figure(ax)
    assert ("Ended by 1925, in order: Politburo member (Vladimir Lenin), at death, 21 January 1924; "
            "War Commissar (Leon Trotsky), 6 January 1925 — still held after 1925: Politburo member (Leon Trotsky); "
            "Politburo member (Joseph Stalin).") in text


def test_bundled_description_lists_every_post_ended_inside_the_years_from_the_data():
    from trotsky_edu import load_offices, load_people

    offices, people = load_offices(person="trotsky"), load_people().set_index("person_id")
    ends = offices["end"].fillna(people.at["trotsky", "died"])
    expected = offices[(offices["start"].dt.year <= 1921) & (ends.dt.year >= 1917) & (ends.dt.year <= 1921)]
    text = describe_figure(plot_offices(person="trotsky", years=(1917, 1921)))
    ended, held = text.split("Ended by 1921, in order: ")[1].split(" — still held after 1921: ")
    assert sorted(part.rsplit(", ", 1)[0] for part in ended.split("; ")) == sorted(expected["post"])
    assert len(held.rstrip(".").split("; ")) == len(offices[(offices["start"].dt.year <= 1921) & (ends.dt.year > 1921)])
