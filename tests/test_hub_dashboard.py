"""The class service's dashboard without a hub: the live class kept in memory, and the page it serves."""

from __future__ import annotations

import json
import random
import re

import pytest

from trotsky_edu.classreport import build_report
from trotsky_edu.classreport.inputs import ClassWork
from trotsky_edu.classreport.sample import make_sample_class
from trotsky_edu.hub.service import LiveClass, students_from_events


@pytest.fixture(scope="module")
def class_events(tmp_path_factory):
    """A sample class of 8 as (student, event) pairs, each event carrying its lesson and question."""
    folder = tmp_path_factory.mktemp("class")
    pairs = []
    for path in make_sample_class(folder, students=8, extras=False):
        answers = json.loads(path.read_text())["answers"]
        pairs += [(path.stem, {**event, "lesson": lesson, "question_id": qid})
                  for lesson, questions in answers.items() for qid, record in questions.items()
                  for event in record["events"]]
    return pairs


def _answers(students):
    return {student.student: student.answers for student in students}


def test_answers_added_as_they_arrive_give_the_progress_a_replay_gives(class_events):
    in_time = sorted(class_events, key=lambda pair: pair[1]["time"])
    live = LiveClass([])
    for user, event in in_time:
        live.add(user, [event])
    assert live.replay == set()  # in order: nothing is left to replay at view time
    assert _answers(live.current()) == _answers(students_from_events(in_time))


def test_an_outbox_sent_late_is_put_back_in_time_order(class_events):
    in_time = sorted(class_events, key=lambda pair: pair[1]["time"])
    shuffled = in_time[:]
    random.Random(3).shuffle(shuffled)
    live = LiveClass([])
    for user, event in shuffled:
        live.add(user, [event])
    assert live.replay  # late events were seen
    assert _answers(live.current()) == _answers(students_from_events(in_time))
    assert live.replay == set()


def test_a_dashboard_of_a_whole_class_has_a_chart_for_every_choice_question(class_events, tmp_path):
    """The page is put together from the live class as asked for: nothing waits to be drawn."""
    from trotsky_edu.hub import service
    from trotsky_edu.hub.store import sqlite_url

    settings = service.Settings(db_url=sqlite_url(tmp_path), prefix="/services/trotsky-edu/", instructors_group="x",
                                max_bytes=10**6, objectives_from=None)
    for user, event in sorted(class_events, key=lambda pair: pair[1]["time"]):
        settings.class_.add(user, [event])
    report = build_report(ClassWork(students=settings.class_.current()), settings.banks)
    page = report.html()
    assert len(re.findall(r'<table class="bars">', page)) == report.options["question_id"].nunique() > 20
    assert "<img" not in page
