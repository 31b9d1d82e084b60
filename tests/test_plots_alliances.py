"""plot_alliances draws each grouping active at a moment as a cluster of its members."""

import pandas as pd
import pytest

from trotsky_edu.plots.alliances import groups_on, moment_date, plot_alliances
from trotsky_edu.plots.alttext import describe_figure


def _factions():
    rows = [
        ("troika", "stalin", "1922-07-01", "1925-09-01"),
        ("troika", "zinoviev", "1922-07-01", "1925-09-01"),
        ("troika", "kamenev", "1922-07-01", "1925-09-01"),
        ("left_opposition", "trotsky", "1923-10-08", "1926-04-01"),
        ("united_opposition", "trotsky", "1926-04-01", "1927-12-01"),
        ("united_opposition", "zinoviev", "1926-04-01", "1927-12-01"),
        ("majority", "stalin", "1925-09-01", "1927-12-01"),
    ]
    frame = pd.DataFrame(rows, columns=["alignment", "person_id", "start", "end"])
    frame["alignment"] = pd.Categorical(frame["alignment"], categories=[
        "troika", "new_opposition", "united_opposition", "left_opposition", "majority"], ordered=True)
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame


def _people():
    return pd.DataFrame({"person_id": ["stalin", "zinoviev", "kamenev", "trotsky"],
                         "name": ["Joseph Stalin", "Grigory Zinoviev", "Lev Kamenev", "Leon Trotsky"]})


def test_named_moment_is_the_midpoint_of_the_grouping():
    assert moment_date(_factions(), "troika") == pd.Timestamp("1924-01-31")


def test_groups_on_a_date_end_exclusive():
    assert groups_on(_factions(), pd.Timestamp("1926-04-01")) == {
        "united_opposition": ["trotsky", "zinoviev"], "majority": ["stalin"]}


def test_one_cluster_per_group_and_one_node_per_member():
    ax = plot_alliances(_factions(), moment="troika", people=_people())
    clusters = sorted(p.get_gid() for p in ax.patches)
    assert clusters == ["group-left_opposition", "group-troika"]
    nodes = {c.get_gid(): len(c.get_offsets()) for c in ax.collections if (c.get_gid() or "").startswith("members-")}
    assert nodes == {"members-troika": 3, "members-left_opposition": 1}
    names = sorted(t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("name-"))
    assert names == ["Kamenev", "Stalin", "Trotsky", "Zinoviev"]


def test_a_date_can_be_the_moment():
    ax = plot_alliances(_factions(), moment="1927-01-01", people=_people())
    assert sorted(p.get_gid() for p in ax.patches) == ["group-majority", "group-united_opposition"]
    assert "January 1927" in ax.get_title(loc="left")


def test_empty_moment_draws_a_labelled_chart():
    ax = plot_alliances(_factions(), moment="1935-06-01", people=_people())
    (message,) = [t.get_text() for t in ax.texts if t.get_gid() == "empty-message"]
    assert message.startswith("No groupings recorded in June 1935")


@pytest.mark.parametrize("moment, message", [("troyka", "choose one of: troika, new_opposition"),
                                             ("1950-01-01", "1879 to 1940")])
def test_bad_moments_name_the_valid_values(moment, message):
    with pytest.raises(ValueError, match=message):
        plot_alliances(_factions(), moment=moment, people=_people())


def test_description_says_who_stood_with_whom():
    text = describe_figure(plot_alliances(_factions(), moment="troika", people=_people()))
    assert "Troika: Joseph Stalin, Grigory Zinoviev, Lev Kamenev" in text
    assert "January 1924" in text and "Trotsky stands with the Left Opposition" in text


def test_bundled_united_opposition():
    ax = plot_alliances(moment="united_opposition")
    assert "group-united_opposition" in [p.get_gid() for p in ax.patches]


def test_description_counts_groups_in_words_and_names_the_largest_only_when_there_is_one():
    from trotsky_edu import load_factions

    factions = load_factions()
    one = describe_figure(plot_alliances(moment="1922-09-01"))
    assert one.startswith("Network of 1 grouping in the succession struggle") and "largest" not in one
    on = pd.Timestamp("1925-10-01")
    current = factions[(factions["start"] <= on) & (factions["end"] > on)]
    sizes = current["alignment"].astype(str).value_counts()
    text = describe_figure(plot_alliances(moment="1925-10-01"))
    assert f"Network of {len(sizes)} groupings" in text
    assert f"the largest group is the Left Opposition ({sizes.max()} people)" in text and sizes.idxmax() == "left_opposition"
