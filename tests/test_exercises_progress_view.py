"""The progress widget: a lesson's and the course's completion, read from the progress file."""

import re

import ipywidgets as widgets
import pytest

import trotsky_edu
from trotsky_edu.exercises.bank import BankError
from trotsky_edu.exercises.progress import record_answer
from trotsky_edu.exercises.progress_view import ProgressWidget


def _row(view, name):
    """The cells of the table row headed ``name``."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", view.table.value)
    cells = [tuple(re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)) for row in rows]
    return next(c for c in cells if c[0] == name)


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(path))
    return path


def test_progress_widget_is_exported_and_is_a_vbox():
    view = trotsky_edu.progress_widget()
    assert isinstance(view, ProgressWidget) and isinstance(view, widgets.VBox)
    assert repr(view) == "<ProgressWidget course>"


def test_a_lesson_outside_the_course_gets_its_own_row_and_bar():
    record_answer("demo", "demo-alma-ata", correct=True)
    record_answer("demo", "demo-soviet-year", correct=False)
    view = trotsky_edu.progress_widget("demo")
    demo = next(row for row in view.rows if row.lesson == "demo")
    assert (demo.total, demo.answered, demo.correct) == (8, 2, 1)
    assert _row(view, "demo") == ("demo", "2 of 8", "1")
    assert '<tr style="font-weight: bold"><th scope="row"' in view.table.value
    bar = view.bars.children[0]
    assert (bar.description, bar.value, bar.max) == ("Lesson demo:", 2, 8)


def test_the_course_total_adds_up_the_course_lessons():
    view = ProgressWidget()
    course = [row for row in view.rows if row.lesson != "demo"]
    total = sum(row.total for row in course)
    if course:
        assert _row(view, "Course") == ("Course", f"0 of {total}", "0")
        assert view.bars.children[-1].description == "Course:"
    else:
        assert "No lessons with exercises yet." in view.table.value


def test_refresh_reads_answers_saved_since_the_widget_was_shown():
    view = ProgressWidget("demo")
    record_answer("demo", "demo-alma-ata", correct=True)
    view.refresh_button.click()
    assert next(row for row in view.rows if row.lesson == "demo").answered == 1


def test_a_corrupt_progress_file_is_reported_in_the_widget(progress_file):
    progress_file.write_text("garbage")
    view = ProgressWidget("demo")
    assert "could not be read" in view.notice.value
    assert list(progress_file.parent.glob("progress.corrupt-*.json"))


def test_an_unreadable_location_is_reported_not_raised(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "progress.json").write_text("{}")
    (locked / "progress.json.lock").mkdir()  # a folder where the lock file should go
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(locked / "progress.json"))
    view = ProgressWidget("demo")
    assert "Progress could not be read from" in view.notice.value and "Is a directory" in view.notice.value


def test_unknown_lesson_is_a_clear_error():
    with pytest.raises(BankError, match="no question bank for lesson 'nope'"):
        ProgressWidget("nope")


def test_a_broken_bank_leaves_out_its_lesson_with_a_notice_and_shows_the_rest(monkeypatch):
    from trotsky_edu.exercises import bank, progress_view

    real = bank.load_bank

    def load_bank(lesson):
        if lesson == "01-broken":
            raise BankError("broken", ["a problem", "another"])
        return real(lesson)

    monkeypatch.setattr(bank, "load_bank", load_bank)
    monkeypatch.setattr(progress_view, "course_lessons", lambda: ["01-broken", "demo"])
    view = ProgressWidget()
    assert [row.lesson for row in view.rows] == ["demo"]
    assert "Lesson 01-broken is left out: its question bank has 2 problem(s)" in view.notice.value


def test_the_widget_is_built_with_what_it_shows_and_shares_its_layouts(monkeypatch):
    """Every part starts with its final state, and layouts and styles are the exercises' shared ones:
    each update or extra model would be one more message to the browser."""
    import comm
    from ipywidgets.widgets.widget import _instances

    sent = []

    class RecordingComm(comm.DummyComm):
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            if msg_type == "comm_msg" and data and data.get("method") == "update":
                sent.append(sorted(data["state"]))

    monkeypatch.setattr(comm, "create_comm", RecordingComm)
    record_answer("demo", "demo-alma-ata", correct=True)
    trotsky_edu.progress_widget("demo")  # the first widget of a kernel may make the shared parts
    before = set(_instances)
    view = trotsky_edu.progress_widget("demo")
    made = {type(_instances[key]).__name__ for key in set(_instances) - before}
    assert sent == []
    assert not any(kind.endswith(("Layout", "Style")) for kind in made), made
    assert "demo" in view.table.value and view.bars.children
