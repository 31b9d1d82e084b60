"""The class service's dashboard without a hub: the live class kept in memory, and charts drawn by workers."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re

import pytest

from trotsky_edu.classreport import build_report, course_banks
from trotsky_edu.classreport import page
from trotsky_edu.classreport.inputs import ClassWork
from trotsky_edu.classreport.sample import make_sample_class
from trotsky_edu.hub.chart_workers import NICENESS, ChartWorkers
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


@pytest.fixture
def report_of(class_events):
    banks = course_banks(["01-revolution", "04-exile"])
    return build_report(ClassWork(students=students_from_events(sorted(class_events, key=lambda p: p[1]["time"]))),
                        banks)


def _same_ids(chart: str) -> str:
    """A chart with its long description's id blanked (ids are numbered per process when a chart is drawn again)."""
    return re.sub(r"figure-description-[0-9a-f]+(-[0-9]+)?", "figure-description", chart)


def test_charts_drawn_by_workers_are_the_charts_the_page_draws_itself(report_of):
    page._drawn.clear()
    keys = page.undrawn_charts(report_of)
    assert keys, "the sample class answers choice questions"
    inline = {key: page.draw_chart(key) for key in keys}
    page._drawn.clear()
    workers = ChartWorkers(2)
    try:
        asyncio.run(workers.draw(keys))
    finally:
        workers.close()
    assert page.undrawn_charts(report_of) == []
    assert {key: _same_ids(page._drawn[key]) for key in keys} == {key: _same_ids(chart) for key, chart in inline.items()}
    assert all(page._drawn[key] in report_of.html() for key in keys)


def test_workers_draw_at_a_lower_priority_than_the_service():
    """Charts are drawn just as the next submits arrive: the kernels and the service go first."""
    workers = ChartWorkers(2)
    try:
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        theirs = {workers.pool.submit(os.getpriority, os.PRIO_PROCESS, 0).result() for _ in range(4)}
    finally:
        workers.close()
    assert theirs == {min(19, ours + NICENESS)}


def test_a_dead_worker_does_not_lose_the_page(report_of):
    page._drawn.clear()
    keys = page.undrawn_charts(report_of)
    workers = ChartWorkers(1)
    try:
        for process in list(workers.pool._processes.values()):
            os.kill(process.pid, 9)
            process.join()
        asyncio.run(workers.draw(keys))
        assert page.undrawn_charts(report_of) == []
        # and the next page is drawn by the new workers
        page._drawn.clear()
        asyncio.run(workers.draw(keys))
        assert page.undrawn_charts(report_of) == []
    finally:
        workers.close()


def test_the_service_draws_the_charts_of_new_answers_before_anyone_asks(class_events, tmp_path):
    """Answers arriving schedule their charts; by the time the dashboard is asked for, nothing is left to draw."""
    from trotsky_edu.hub import service
    from trotsky_edu.hub.store import sqlite_url

    settings = service.Settings(db_url=sqlite_url(tmp_path), prefix="/services/trotsky-edu/", instructors_group="x",
                                max_bytes=10**6, objectives_from=None, chart_workers=0)
    page._drawn.clear()

    async def answers_arrive():
        for user, event in sorted(class_events, key=lambda pair: pair[1]["time"]):
            settings.class_.add(user, [event])
            settings.charts_changed()  # what POST api/events does for every delivery with new events
        assert settings.charts_due and settings.drawing  # one round scheduled for the whole burst
        await asyncio.sleep(service.CHART_DELAY + 0.5)

    asyncio.run(answers_arrive())
    report = build_report(ClassWork(students=settings.class_.current()), settings.banks)
    assert not settings.charts_due and not settings.drawing
    assert page.undrawn_charts(report) == []
