"""The progress widget: how much of a lesson and of the course a student has done.

A thin view over :func:`trotsky_edu.exercises.progress.lesson_completion`: a table (one row per
lesson, answered/total and correct, then the course total), progress bars for the
chosen lesson and the course, and a Refresh button. A progress file that had to be set
aside or cannot be read, and a lesson whose question bank has problems, are reported in
the widget instead of stopping the lesson.
"""

from __future__ import annotations

import ipywidgets as widgets

from trotsky_edu.exercises.bank import BankError, load_bank
from trotsky_edu.exercises.progress import (
    Completion,
    course_lessons,
    lesson_completion,
    read_progress,
)
from trotsky_edu.exercises.widgets import LIVE, WIDE, feedback_html, guarded, part, shared, text_html

_CELL = ' style="text-align: left; padding: 0.15em 1em 0.15em 0"'


def _bar(label: str, done: int, total: int) -> widgets.IntProgress:
    return part(
        widgets.IntProgress, value=done, min=0, max=max(total, 1), description=label, style=WIDE,
        tooltip=f"{done} of {total} questions answered",
    )


class ProgressWidget(widgets.VBox):
    """Completion of one lesson (if given) and of the whole course, read from the progress file."""

    def __init__(self, lesson: str | None = None):
        if lesson is not None:
            load_bank(lesson)  # an unknown lesson is a clear BankError now, not a missing row later
        self.lesson = lesson
        # Every part is made with what it shows, as the exercises' parts are: a change after a
        # widget is made is one more message to the browser.
        course, extra, notices = self._read()
        self.rows: list[Completion] = course + extra
        self.table = part(widgets.HTML, value=self._table(course, extra))
        self.notice = part(widgets.HTML, value=self._notice_html(notices), _dom_classes=LIVE)  # a live region
        self.bars = part(widgets.VBox, self._bars(course, extra))
        self.refresh_button = part(widgets.Button, description="Refresh", tooltip="Read your progress file again")
        self.refresh_button.on_click(lambda _button: self.refresh())
        super().__init__([self.bars, self.table, self.refresh_button, self.notice],
                         layout=shared(widgets.Layout, {}), _dom_classes=("trotsky-edu-progress",))

    def __repr__(self) -> str:
        return f"<ProgressWidget {self.lesson or 'course'}>"

    def refresh(self) -> None:
        """Read the progress file again and redraw.

        A progress file that cannot be read, or a lesson whose bank has problems, becomes
        a notice; the rest is still shown.
        """
        course, extra, notices = self._read()
        self.notice.value = self._notice_html(notices)
        self.rows = course + extra
        self.table.value = self._table(course, extra)
        self.bars.children = self._bars(course, extra)

    def _read(self) -> tuple[list[Completion], list[Completion], list[str]]:
        """Completion of the course's lessons, of this lesson if it is not one of them, and notices to show."""
        answers, notices = guarded(read_progress)
        answers = answers or {}
        names = course_lessons()
        extra_names = [] if self.lesson is None or self.lesson in names else [self.lesson]
        course, extra = [], []
        for name in names + extra_names:
            try:
                (course if name in names else extra).append(lesson_completion(name, answers))
            except BankError as err:
                notices.append(f"Lesson {name} is left out: its question bank has {len(err.problems) or 1} problem(s). "
                               "Tell your instructor.")
        return course, extra, notices

    @staticmethod
    def _notice_html(notices: list[str]) -> str:
        return feedback_html("\n".join(notices), tone="neutral") if notices else ""

    def _bars(self, course: list[Completion], extra: list[Completion]) -> list[widgets.Widget]:
        bars = [_bar(f"Lesson {c.lesson}:", c.answered, c.total) for c in course + extra if c.lesson == self.lesson]
        if course:
            bars.append(_bar("Course:", sum(c.answered for c in course), sum(c.total for c in course)))
        return bars

    def _table(self, course: list[Completion], extra: list[Completion]) -> str:
        def row(c: Completion, name: str) -> str:
            mark = ' style="font-weight: bold"' if c.lesson == self.lesson else ""
            return (f'<tr{mark}><th scope="row"{_CELL}>{text_html(name)}</th><td{_CELL}>{c.answered} of {c.total}</td>'
                    f"<td{_CELL}>{c.correct}</td></tr>")

        body = [row(c, c.lesson) for c in course + extra]
        if course:
            total = Completion("", sum(c.total for c in course), sum(c.answered for c in course), sum(c.correct for c in course))
            body.append(row(total, "Course"))
        if not body:
            body.append('<tr><td colspan="3">No lessons with exercises yet.</td></tr>')
        return (
            '<table class="trotsky-edu-progress-table"><caption>Your progress</caption>'
            f'<thead><tr><th scope="col"{_CELL}>Lesson</th><th scope="col"{_CELL}>Answered</th>'
            f'<th scope="col"{_CELL}>Correct</th></tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )


def progress_widget(lesson: str | None = None) -> ProgressWidget:
    """Show a student's completion: ``lesson``'s (highlighted, with its own bar) and the course's."""
    return ProgressWidget(lesson)
