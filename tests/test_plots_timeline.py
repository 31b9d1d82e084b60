"""plot_timeline draws one lane per lesson, stacked labels, and an empty labelled chart for no events."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from trotsky_edu.plots.alttext import describe_figure
from trotsky_edu.plots.timeline import plot_timeline


def _events():
    rows = [
        ("e1", "1905-10-26", "1905-10-13", "day", "Soviet founded", "revolution", "trotsky;lenin"),
        ("e2", "1905-12-16", "1905-12-03", "day", "Soviet arrested", "revolution", "trotsky"),
        ("e3", "1917-11-07", "1917-10-25", "day", "October insurrection", "revolution", "trotsky;lenin"),
        ("e4", "1918-03-01", None, "month", "Commissar for War", "civil_war", "trotsky"),
        ("e5", "1919-01-01", None, "year", "Sixteen fronts", "civil_war", "stalin"),
    ]
    frame = pd.DataFrame(rows, columns=["event_id", "date", "date_os", "precision", "title", "lesson", "people"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["date_os"] = pd.to_datetime(frame["date_os"])
    frame["lesson"] = pd.Categorical(frame["lesson"], categories=["early", "revolution", "civil_war"], ordered=True)
    frame["people"] = frame["people"].str.split(";")
    return frame


def _labels(ax):
    return [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("label-")]


def test_one_lane_per_lesson_with_one_marker_per_event():
    ax = plot_timeline(_events())
    lanes = [c for c in ax.collections if (c.get_gid() or "").startswith("lane-")]
    assert [c.get_gid() for c in lanes] == ["lane-revolution", "lane-civil_war"]
    assert [len(c.get_offsets()) for c in lanes] == [3, 2]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Revolution", "Civil War"]


def test_every_event_is_labelled_when_there_is_room():
    ax = plot_timeline(_events())
    assert sorted(_labels(ax)) == sorted(_events()["title"])


def test_labels_do_not_overlap():
    ax = plot_timeline(_events(), years=(1905, 1905))
    ax.figure.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.texts if (t.get_gid() or "").startswith("label-")]
    assert len(boxes) == 2
    assert not boxes[0].overlaps(boxes[1])


def test_years_filter_sets_the_axis_limits():
    ax = plot_timeline(_events(), years=(1917, 1918))
    low, high = ax.get_xlim()
    assert pd.Timestamp(plt.matplotlib.dates.num2date(low)).year == 1917
    assert pd.Timestamp(plt.matplotlib.dates.num2date(high)).year == 1919
    assert sorted(_labels(ax)) == ["Commissar for War", "October insurrection"]


def test_dual_dates_add_old_style_dates_to_russian_events_before_1918():
    ax = plot_timeline(_events(), dual_dates=True, years=(1917, 1918))
    assert "October insurrection\n25 October [O.S.] / 7 November 1917" in _labels(ax)
    assert "Commissar for War" in _labels(ax)  # month precision: no day to give


def test_dual_dates_give_one_date_after_the_switch_of_calendars():
    """An event of March 1918 has no Old Style date: it gets its one date, so the change of calendar shows."""
    events = pd.concat([_events(), _events().iloc[[2]].assign(
        event_id="e6", date=pd.Timestamp("1918-03-03"), date_os=pd.NaT, title="Brest-Litovsk signed")])
    labels = _labels(plot_timeline(events, dual_dates=True, years=(1917, 1918), label="all"))
    assert "Brest-Litovsk signed\n3 March 1918" in labels
    assert "October insurrection\n25 October [O.S.] / 7 November 1917" in labels


def test_people_filter_and_person_lanes():
    ax = plot_timeline(_events(), people=["lenin", "stalin"], lanes="person")
    lanes = {c.get_gid(): len(c.get_offsets()) for c in ax.collections if (c.get_gid() or "").startswith("lane-")}
    assert lanes == {"lane-lenin": 2, "lane-stalin": 1}


def test_label_none_and_a_chosen_list():
    assert _labels(plot_timeline(_events(), label="none")) == []
    plt.close("all")
    assert _labels(plot_timeline(_events(), label=["e3"])) == ["October insurrection"]


def test_hollow_markers_for_coarse_dates():
    ax = plot_timeline(_events(), lessons="civil_war")
    (lane,) = [c for c in ax.collections if c.get_gid() == "lane-civil_war"]
    faces = lane.get_facecolors()
    assert all(tuple(face[:3]) == (1.0, 1.0, 1.0) for face in faces)  # month and year only


def test_empty_selection_draws_a_labelled_empty_chart():
    ax = plot_timeline(_events(), years=(1930, 1931))
    messages = [t.get_text() for t in ax.texts if t.get_gid() == "empty-message"]
    assert messages == ["No events between 1930 and 1931"]
    assert "no events between 1930 and 1931" in describe_figure(ax)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lessons": "war"}, "Unknown lesson 'war'; choose from: early, revolution, civil_war"),
        ({"years": 1950}, "from 1879 to 1940"),
        ({"people": "nobody"}, "Unknown person id 'nobody'; choose from: lenin, stalin, trotsky"),
        ({"lanes": "person"}, "needs people"),
        ({"label": "some"}, "choose from: auto, all, none"),
    ],
)
def test_bad_arguments_name_the_valid_values(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        plot_timeline(_events(), **kwargs)


def test_draws_on_the_given_axes_and_returns_it():
    fig, ax = plt.subplots(figsize=(12, 5))
    assert plot_timeline(_events(), ax=ax) is ax


def test_description_mentions_range_and_lanes():
    text = describe_figure(plot_timeline(_events()))
    assert "from 1905 to 1919" in text
    assert "Revolution (3), Civil War (2)" in text


def test_bundled_events_draw_all_lessons_sorted_in_range():
    ax = plot_timeline()
    low, high = ax.get_xlim()
    assert plt.matplotlib.dates.num2date(low).year >= 1877
    assert plt.matplotlib.dates.num2date(high).year <= 1942
    assert len(_labels(ax)) > 10


def test_coarse_dates_are_drawn_mid_period():
    """An event known only to the month or year sits in the middle of it, not on its first day."""
    import matplotlib.dates as mdates

    ax = plot_timeline(_events(), lessons="civil_war")
    (lane,) = [c for c in ax.collections if c.get_gid() == "lane-civil_war"]
    drawn = [mdates.num2date(x).date().isoformat() for x in lane.get_offsets()[:, 0]]
    assert drawn == ["1918-03-16", "1919-07-02"]


def test_title_and_description_name_the_years_of_the_events_not_the_padded_axis():
    ax = plot_timeline(_events(), lessons="revolution")
    assert ax.get_title(loc="left") == "Events, 1905–1917"
    assert "in 1 lane:" in describe_figure(ax)


def test_description_names_the_labelled_events_and_the_busiest_year():
    """With only some events labelled, the text names those a sighted reader can read, in order of date."""
    text = describe_figure(plot_timeline(_events(), label=["e3", "e1"]))
    assert ("the 2 labelled events are: Soviet founded (13 October [O.S.] / 26 October 1905), "
            "October insurrection (25 October [O.S.] / 7 November 1917); the other 3 are markers only") in text
    assert "the busiest year is 1905, with 2 events" in text
    assert "the busiest lane is Revolution with 3 events" in text


def test_one_lane_has_no_busiest_lane():
    assert "busiest lane" not in describe_figure(plot_timeline(_events(), lessons="revolution"))


def test_bundled_description_agrees_with_the_events():
    from trotsky_edu import load_events

    events = load_events()
    chosen = ["1917-october-insurrection", "1924-lenin-death", "1940-mercader-attack"]
    years = events["date"].dt.year.value_counts()
    text = describe_figure(plot_timeline(label=chosen))
    assert f"Timeline of {len(events)} events in {events['lesson'].nunique()} lanes" in text
    assert f"the busiest year is {years.idxmax()}, with {years.max()} events" in text
    titles = events.set_index("event_id").loc[chosen, "title"]
    assert f"the {len(chosen)} labelled events are: {titles.iloc[0]} (" in text
    assert all(title in text for title in titles)
    assert f"the other {len(events) - len(chosen)} are markers only" in text
