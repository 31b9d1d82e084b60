"""Exercise widgets driven headless: set control values, click buttons, read the feedback."""

import html
import json
import subprocess
import sys

import ipywidgets as widgets
import pytest
import yaml

import trotsky_edu
from trotsky_edu.exercises import bank
from trotsky_edu.exercises.bank import BankError, load_bank, read_bank
from trotsky_edu.exercises.widgets import (
    EstimateWidget,
    ExerciseWidget,
    MatchingWidget,
    MultipleChoiceWidget,
    OrderingWidget,
    ShortTextWidget,
    SingleChoiceWidget,
    STYLE,
    SourceAnalysisWidget,
    exercise,
    widget_for,
)


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    """Each test saves progress to its own file."""
    path = tmp_path / "progress" / "progress.json"
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(path))
    return path


def demo(question_id, **kwargs):
    return exercise("demo", question_id, record=False, **kwargs)


SPLIT = load_bank("demo").question("demo-split-1903")
SPLIT_RIGHT = next(o for o in SPLIT.options if o.correct)
SPLIT_WRONG = next(o for o in SPLIT.options if not o.correct)


def submit(view, value=None):
    if value is not None:
        view.set_answer(value)
    view.submit_button.click()
    return view.result


# --- every type, driven through its controls ------------------------------------------------


def test_exercise_is_exported_from_the_package_and_builds_the_widget_for_the_type():
    kinds = {q.id: type(trotsky_edu.exercise("demo", q.id, record=False)) for q in load_bank("demo")}
    assert kinds == {
        "demo-split-1903": SingleChoiceWidget, "demo-exile-countries": MultipleChoiceWidget,
        "demo-order-career": OrderingWidget, "demo-match-people": MatchingWidget,
        "demo-soviet-year": EstimateWidget, "demo-funeral-crowd": EstimateWidget,
        "demo-alma-ata": ShortTextWidget, "demo-testament": SourceAnalysisWidget,
    }


def test_single_choice_radio_buttons():
    view = demo("demo-split-1903")
    assert view.choice.value is None
    view.choice.value = SPLIT_WRONG.text
    view.submit_button.click()
    assert view.result.correct is False and view.attempts == 1
    assert f"Not yet. {html.escape(SPLIT_WRONG.feedback)}" in view.feedback.value
    assert "trotsky-edu-incorrect" in view.feedback.value
    view.choice.value = SPLIT_RIGHT.text
    view.submit_button.click()
    assert view.result.correct is True and view.attempts == 2
    assert "Correct." in view.feedback.value
    assert f"<strong>Why:</strong> {html.escape(SPLIT.explanation[:30])}" in view.feedback.value


def test_multiple_choice_checkboxes():
    view = demo("demo-exile-countries")
    question = load_bank("demo").question("demo-exile-countries")
    right = [o for o in question.options if o.correct]
    wrong = next(o for o in question.options if not o.correct)
    boxes = {box.description: box for box in view.boxes}
    boxes[right[0].text].value = True
    boxes[wrong.text].value = True
    view.submit_button.click()
    assert view.result.correct is False
    assert "one of your choices is not right" in view.feedback.value
    assert html.escape(wrong.feedback) in view.feedback.value
    boxes[wrong.text].value = False
    for option in right:
        boxes[option.text].value = True
    view.submit_button.click()
    assert view.result.correct is True


def test_ordering_dropdowns_start_shuffled_and_swap_instead_of_duplicating():
    view = demo("demo-order-career")
    items = list(load_bank("demo").question("demo-order-career").items)
    assert sorted(view.answer) == sorted(items) and view.answer != items
    first, third = view.positions[0].value, view.positions[2].value
    view.positions[0].value = third
    assert view.positions[2].value == first
    assert sorted(view.answer) == sorted(items)


def test_ordering_by_keyboard_moves_only_the_chosen_item_however_many_options_it_passes():
    """Arrowing through the options changes the dropdown once per key; only the start and the chosen item swap."""
    view = demo("demo-order-career")
    before = view.answer
    first = view.positions[0]
    for item in sorted(before):  # ArrowDown from the top to the bottom, then back up to one option
        first.value = item
    first.value = before[2]
    assert view.answer == [before[2], before[1], before[0], *before[3:]]
    first.value = before[0]  # and back where it started: nothing else has moved
    assert view.answer == before


def test_ordering_can_be_put_right_position_by_position():
    view = demo("demo-order-career")
    items = load_bank("demo").question("demo-order-career").items
    for dropdown, item in zip(view.positions, items):
        dropdown.value = item
    view.submit_button.click()
    assert view.result.correct is True and "all 6 in the right order" in view.feedback.value


def test_ordering_start_is_the_same_every_time():
    assert demo("demo-order-career").answer == demo("demo-order-career").answer


def test_matching_dropdowns_start_unchosen_and_say_how_many_pairs_are_right():
    view = demo("demo-match-people")
    pairs = load_bank("demo").question("demo-match-people").pairs
    assert all(d.value is None and d.label == "Choose…" for d in view.matches.values())
    view.submit_button.click()
    assert view.attempts == 0 and f"{len(pairs)} items still to match" in view.feedback.value
    for pair in pairs:
        view.matches[pair.left].value = pair.right
    view.matches[pairs[0].left].value = pairs[1].right
    view.matches[pairs[1].left].value = pairs[0].right
    view.submit_button.click()
    assert view.result.correct is False
    assert f"Not yet: {len(pairs) - 2} of {len(pairs)} pairs are right." in view.feedback.value
    assert html.escape(pairs[0].left) not in view.feedback.value  # how many, not which


def test_estimate_number_box_gives_graded_feedback():
    view = demo("demo-soviet-year")
    assert isinstance(view.number, widgets.IntText) and view.number.description.startswith("Your answer (year):<span")
    assert demo("demo-funeral-crowd").number.description.startswith("Your answer (people):<span")
    view.number.value = 1907
    view.submit_button.click()
    assert "Close: within 2 years" in view.feedback.value and "earlier" in view.feedback.value
    view.number.value = 1905
    view.submit_button.click()
    assert view.result.correct is True


def test_estimate_with_decimal_bands_uses_a_float_box(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"lesson": "t", "questions": [
        {"id": "f", "type": "estimate", "prompt": "km?", "explanation": "x", "answer": 2.5, "tolerance": 0.25}]}))
    assert isinstance(widget_for(read_bank(path).question("f"), record=False).number, widgets.FloatText)


def test_short_text_box_accepts_variants():
    view = demo("demo-alma-ata")
    view.text.value = "almaty"
    view.submit_button.click()
    assert view.result.correct is True and "usually written &#x27;Alma-Ata&#x27;" in view.feedback.value


def test_source_analysis_reveals_model_answer_and_rubric_and_has_no_show_answer_button():
    view = demo("demo-testament")
    assert view.reveal_button is view.submit_button and view.submit_button.description == "Compare with the model answer"
    assert view.show_answer_button not in _controls(view)
    assert "not graded" in view.status.value
    view.response.value = "He says he would live the same life again."
    view.reveal_button.click()
    question = load_bank("demo").question("demo-testament")
    assert view.result.correct is None and view.compared
    assert html.escape(f"Model answer: {question.model_answer[:30]}") in view.feedback.value
    assert f"A good answer:<br>- {html.escape(question.rubric[0])}" in view.feedback.value
    assert "compared with the model answer" in view.status.value
    [quote] = [c.value for c in view.children if isinstance(c, widgets.HTML) and "<blockquote" in c.value]
    assert question.excerpt[:40] in quote and question.speaker in quote and question.date in quote
    assert f", {question.date}, {html.escape(question.document)}</figcaption>" in quote  # a description, not an italic title
    assert "<footer" not in quote  # a footer would be a landmark of the page


def test_source_analysis_guides_the_writing_with_prompts():
    question = load_bank("demo").question("demo-testament")
    header = demo("demo-testament").prompt.value
    assert "Before you write, think about:" in header
    assert all(f"<li>{html.escape(p)}</li>" in header for p in question.prompts)


@pytest.mark.parametrize("text", ["", "   ", "Too short to count."])
def test_source_analysis_shows_nothing_until_the_student_has_written_something(text):
    view = demo("demo-testament")
    view.response.value = text
    view.reveal_button.click()
    assert view.attempts == 0 and not view.compared
    assert "Write your own answer first" in view.feedback.value and "Model answer" not in view.feedback.value
    assert view.rubric_box.layout.display == "none"


def test_source_analysis_text_is_saved_when_written_and_shown_again_when_the_cell_runs_again(progress_file):
    view = exercise("demo", "demo-testament")
    view.response.value = "He presents his whole life as one consistent cause."
    record = json.loads(progress_file.read_text())["answers"]["demo"]["demo-testament"]
    assert record["response"] == view.response.value and record["attempts"] == 0
    assert "your answer is saved (9 words)" in view.status.value
    again = exercise("demo", "demo-testament")
    assert again.response.value == view.response.value and not again.compared


def test_a_submitted_answer_is_saved_before_its_feedback_is_drawn(progress_file):
    """Drawing the feedback sends messages the student's server must pass on; the answer goes first."""
    view = exercise("demo", SPLIT.id)
    saved_when_drawn = []
    view.feedback.observe(lambda _change: saved_when_drawn.append(
        json.loads(progress_file.read_text())["answers"]["demo"][SPLIT.id]["attempts"]), names="value")
    submit(view, SPLIT_WRONG.text)
    submit(view, SPLIT_RIGHT.text)
    assert saved_when_drawn == [1, 2]


def test_source_analysis_self_assessment_is_recorded_and_restored(progress_file):
    question = load_bank("demo").question("demo-testament")
    view = exercise("demo", "demo-testament")
    assert view.rubric_box.layout.display == "none"  # the rubric is not shown before the student writes
    view.response.value = "He presents his whole life as one consistent cause."
    view.reveal_button.click()
    assert view.rubric_box.layout.display != "none" and len(view.rubric_boxes) == len(question.rubric)
    view.rubric_boxes[-1].value = True
    view.assess_button.click()
    record = json.loads(progress_file.read_text())["answers"]["demo"]["demo-testament"]
    assert record["rubric_met"] == [len(question.rubric) - 1] and record["attempts"] == 1
    assert [e["action"] for e in record["events"]] == ["write", "submit", "self_assess"]
    assert f"self-assessment: 1 of {len(question.rubric)} points" in view.status.value
    again = exercise("demo", "demo-testament")
    assert again.compared and again.rubric_box.layout.display != "none"
    assert [box.value for box in again.rubric_boxes] == [box.value for box in view.rubric_boxes]
    assert html.escape(question.model_answer[:30]) in again.feedback.value


def test_source_analysis_text_survives_a_kernel_restart(progress_file):
    """A new Python process (a restarted kernel) shows the text written in the old one."""
    exercise("demo", "demo-testament").response.value = "Written before the kernel restarted, kept after it."
    shown = subprocess.run(
        [sys.executable, "-c", "from trotsky_edu import exercise; print(exercise('demo', 'demo-testament').response.value)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert shown == "Written before the kernel restarted, kept after it."


# --- attempts, hints, show answer ---------------------------------------------------------


def test_submitting_nothing_does_not_count_as_an_attempt():
    view = demo("demo-alma-ata")
    view.submit_button.click()
    assert view.attempts == 0 and "Type an answer first." in view.feedback.value
    assert "0 attempts" in view.status.value


def test_the_same_button_clicked_twice_counts_twice():
    view = demo("demo-alma-ata")
    view.text.value = "Tashkent"
    view.submit_button.click()
    view.submit_button.click()
    assert view.attempts == 2 and "2 attempts" in view.status.value


def test_hints_are_shown_one_at_a_time_up_to_three():
    view = demo("demo-alma-ata")
    hints = load_bank("demo").question("demo-alma-ata").hints
    assert view.hint_box.value == "" and view.hint_button.tooltip == "Show hint 1 of 3"
    for shown in (1, 2, 3):
        view.hint_button.click()
        assert view.hints_used == shown
        assert view.hint_box.value.count("<li>") == shown
        assert f"hints used: {shown} of 3" in view.status.value
    assert hints[2] in view.hint_box.value
    assert view.hint_button.disabled and view.hint_button.description == "No more hints"
    view.hint_button.click()
    assert view.hints_used == 3


def test_question_without_hints_has_a_disabled_hint_button(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"lesson": "t", "questions": [
        {"id": "n", "type": "short_text", "prompt": "Who?", "explanation": "x", "answers": ["Trotsky"]}]}))
    view = widget_for(read_bank(path).question("n"), record=False)
    assert view.hint_button.disabled and view.hint_button.description == "No hints"


def test_show_answer_is_enabled_after_three_wrong_tries():
    view = demo("demo-soviet-year")
    assert view.show_answer_button.tooltip == "Available after 3 tries or a right answer"
    for tries in (1, 2):
        submit(view, 1800)
        assert view.show_answer_button.disabled, tries
    view.show_answer_button.click()
    assert "Answer: 1905" not in view.feedback.value
    submit(view, 1800)
    assert not view.show_answer_button.disabled and view.show_answer_button.tooltip == "Show the answer and why"
    view.show_answer_button.click()
    assert view.revealed and "Answer: 1905" in view.feedback.value and "Why:" in view.feedback.value


def test_show_answer_is_enabled_by_a_right_answer_and_the_number_of_tries_is_a_setting():
    view = demo("demo-split-1903")
    submit(view, SPLIT_RIGHT.text)
    assert not view.show_answer_button.disabled
    quick = demo("demo-split-1903", show_answer_after=1)
    submit(quick, SPLIT_WRONG.text)
    assert not quick.show_answer_button.disabled


# --- safety, accessibility and display -----------------------------------------------------


def test_everything_from_the_bank_is_html_escaped(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"lesson": "t", "questions": [{
        "id": "x", "type": "single_choice", "prompt": "<script>alert(1)</script>", "explanation": "<b>why</b>",
        "hints": ["<i>hint</i>"],
        "options": [{"text": "<A>", "correct": True, "feedback": "<img src=x onerror=alert(1)>"},
                    {"text": "B", "correct": False}]}]}))
    view = widget_for(read_bank(path).question("x"), record=False)
    submit(view, "<A>")
    view.hint_button.click()
    html_values = view.prompt.value + view.feedback.value + view.hint_box.value
    for raw in ("<script>", "<b>why", "<img", "<i>hint"):
        assert raw not in html_values
    assert "&lt;script&gt;" in view.prompt.value and "&lt;img src=x" in view.feedback.value


def _controls(view):
    found, todo = [], list(view.children)
    while todo:
        child = todo.pop()
        if isinstance(child, widgets.Box):
            todo.extend(child.children)
        else:
            found.append(child)
    return found


@pytest.mark.parametrize("question_id", [q.id for q in load_bank("demo")])
def test_every_control_has_a_label_and_every_button_a_tooltip(question_id):
    view = demo(question_id)
    for control in _controls(view):
        if isinstance(control, widgets.Button):
            assert control.description and control.tooltip
        elif isinstance(control, (widgets.RadioButtons, widgets.Checkbox, widgets.Dropdown, widgets.Text,
                                  widgets.Textarea, widgets.IntText, widgets.FloatText)):
            assert control.description, control


def test_feedback_hints_and_notices_are_live_regions_and_feedback_is_marked_by_words_not_only_colour():
    """The extension makes the widgets classed trotsky-edu-live live regions (checked in the browser tests)."""
    view = demo("demo-alma-ata")
    for part_ in (view.feedback, view.hint_box, view.notice):
        assert "trotsky-edu-live" in part_._dom_classes
    assert "trotsky-edu-live" not in view.status._dom_classes  # the attempts counter would speak at every click
    submit(view, "Tashkent")
    assert "Not yet." in view.feedback.value


@pytest.mark.parametrize("question_id", [q.id for q in load_bank("demo")])
def test_every_control_is_named_for_what_it_is_for(question_id):
    """Options by their text, positions as "Position n of N", a box to type in by the question it answers."""
    view = demo(question_id)
    question = view.question
    for control in _controls(view):
        if isinstance(control, (widgets.Text, widgets.Textarea, widgets.IntText, widgets.FloatText)):
            asked = question.question if isinstance(question, bank.SourceAnalysis) else question.prompt
            assert control.description_allow_html
            assert '<span class="trotsky-edu-sr-only"> ' + html.escape(asked[:30]) in control.description
        elif isinstance(control, widgets.RadioButtons):
            assert sorted(control.options) == sorted(o.text for o in question.options)
    if isinstance(question, bank.Ordering):
        n = len(question.items)
        assert [d.description for d in view.positions] == [f"Position {i} of {n}:" for i in range(1, n + 1)]


def test_long_options_wrap_instead_of_overlapping():
    """ipywidgets fixes a radio label's height; the exercise's style sheet lets long options wrap."""
    view = demo("demo-split-1903")
    assert view.children[0].value.startswith(STYLE)
    assert "white-space: normal" in STYLE and ".trotsky-edu-exercise" in STYLE
    assert "trotsky-edu-exercise" in view._dom_classes


def test_repr_is_short_and_deterministic():
    assert repr(demo("demo-alma-ata")) == "<ShortTextWidget demo/demo-alma-ata>"


def test_unknown_question_is_a_clear_error():
    with pytest.raises(BankError, match="There is no question 'nope'"):
        exercise("demo", "nope")


def test_widgets_are_vbox_subclasses_with_the_documented_parts():
    view = demo("demo-split-1903")
    assert isinstance(view, widgets.VBox) and isinstance(view, ExerciseWidget)
    for part in ("submit_button", "hint_button", "show_answer_button", "feedback", "hint_box", "status", "notice"):
        assert getattr(view, part) is not None


# --- progress ---------------------------------------------------------------------------------


def test_record_true_saves_each_answer(progress_file):
    view = exercise("demo", "demo-alma-ata")
    view.hint_button.click()
    submit(view, "Tashkent")
    submit(view, "Alma Ata")
    record = json.loads(progress_file.read_text())["answers"]["demo"]["demo-alma-ata"]
    assert (record["attempts"], record["correct"], record["hints_used"], record["revealed"]) == (2, True, 1, False)
    events = [(e["action"], e.get("answer"), e.get("correct"), e["hints_used"]) for e in record["events"]]
    assert events == [("hint", None, None, 1), ("submit", "Tashkent", False, 1), ("submit", "Alma Ata", True, 1)]


@pytest.mark.parametrize("question", [q for q in load_bank("demo") if q.type != "source_analysis"], ids=lambda q: q.id)
def test_what_a_student_submits_is_recorded_as_the_check_reads_it(progress_file, question):
    from trotsky_edu.exercises.answer_key import wrong_answer

    view = exercise("demo", question.id)
    submit(view, wrong_answer(question))
    [event] = json.loads(progress_file.read_text())["answers"]["demo"][question.id]["events"]
    assert event["answer"] == json.loads(json.dumps(view.answer)) and event["correct"] is False
    assert event["score"] == pytest.approx(view.result.score)


def test_show_answer_is_recorded_without_counting_an_attempt(progress_file):
    from trotsky_edu.exercises.answer_key import wrong_answer

    view = exercise("demo", "demo-split-1903", show_answer_after=1)
    submit(view, wrong_answer(load_bank("demo").question("demo-split-1903")))
    view.show_answer_button.click()
    record = json.loads(progress_file.read_text())["answers"]["demo"]["demo-split-1903"]
    assert (record["attempts"], record["correct"], record["revealed"]) == (1, False, True)


def test_record_false_saves_nothing(progress_file):
    submit(demo("demo-alma-ata"), "Almaty")
    assert not progress_file.exists()


def test_a_corrupt_progress_file_becomes_a_notice_and_the_answer_is_still_saved(progress_file):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{not json")
    view = exercise("demo", "demo-alma-ata")
    submit(view, "Almaty")
    assert view.result.correct is True
    assert "could not be read" in view.notice.value and "set aside" in view.notice.value
    assert json.loads(progress_file.read_text())["answers"]["demo"]["demo-alma-ata"]["correct"] is True


def test_an_unwritable_progress_location_becomes_a_notice_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(blocker / "progress.json"))
    view = exercise("demo", "demo-alma-ata")
    submit(view, "Almaty")
    assert view.result.correct is True
    assert "Progress could not be saved" in view.notice.value and "TROTSKY_EDU_PROGRESS" in view.notice.value


def test_checks_and_bank_do_not_import_widgets_or_plots():
    code = ("import sys, trotsky_edu.exercises.checks, trotsky_edu.exercises.bank, trotsky_edu.exercises.progress;"
            "print(sorted(m for m in ('ipywidgets', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- how many widget models an exercise costs -------------------------------------------------


def _models_built(build):
    """The widget models (each one a message to the browser) that ``build()`` creates."""
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    built = build()
    return built, [_instances[key] for key in set(_instances) - before]


@pytest.mark.parametrize("question", list(load_bank("demo")), ids=lambda q: q.id)
def test_exercises_share_layouts_and_styles_instead_of_making_their_own(question):
    demo(question.id)  # the first exercise of a kernel may make the shared parts
    view, models = _models_built(lambda: demo(question.id))
    kinds = {type(model).__name__ for model in models}
    assert not any(kind.endswith(("Layout", "Style")) for kind in kinds), kinds
    controls = len(view.children[1].children) + 1 if isinstance(view.children[1], widgets.Box) else 1
    # A written answer also has its self-assessment: a box, its label, a checkbox per rubric point and a button.
    rubric = len(question.rubric) + 3 if question.type == "source_analysis" else 0
    assert len(models) <= 10 + controls + rubric  # box, question text, three buttons and their row, four messages


@pytest.fixture
def updates(monkeypatch):
    """The state updates widgets send to the browser, as (widget, changed trait names), in order."""
    import comm

    sent = []

    class RecordingComm(comm.DummyComm):
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            if msg_type == "comm_msg" and data and data.get("method") == "update":
                sent.append((self.comm_id, tuple(sorted(data["state"]))))

    monkeypatch.setattr(comm, "create_comm", RecordingComm)
    return sent


@pytest.mark.parametrize("question", list(load_bank("demo")), ids=lambda q: q.id)
def test_an_exercise_is_built_with_its_state_and_sends_no_updates(question, updates):
    """Every part starts with its final state: a change after a widget is made is one more message."""
    view = demo(question.id)
    assert view.comm is not None
    assert updates == []


def test_a_click_sends_one_update_per_widget_it_changes(updates):
    view = demo("demo-split-1903")
    view.hint_button.click()
    widgets_updated = [comm_id for comm_id, _ in updates]
    assert len(widgets_updated) == len(set(widgets_updated)), updates
    assert {view.hint_box.comm.comm_id, view.hint_button.comm.comm_id, view.status.comm.comm_id} <= set(widgets_updated)
    hint_update = dict(updates)[view.hint_button.comm.comm_id]
    assert "tooltip" in hint_update  # "Show hint 2 of 3"


def test_a_shared_layout_is_the_same_object_across_exercises():
    first, second = demo("demo-split-1903"), demo("demo-alma-ata")
    assert first.submit_button.layout is second.submit_button.layout
    assert first.feedback.style is second.feedback.style
    assert first.submit_button.layout is not first.layout  # different settings, different objects


def test_closing_every_widget_does_not_break_the_next_exercise():
    """After ``Widget.close_all()`` (or a closed shared layout) new exercises get fresh shared parts."""
    first = demo("demo-split-1903")
    widgets.Widget.close_all()
    second = demo("demo-split-1903")
    assert second.submit_button.layout is not first.submit_button.layout
    assert second.submit_button.layout.comm is not None
    assert submit(second, SPLIT_RIGHT.text).correct is True


def test_offstage_widgets_open_no_comms_and_leave_the_shared_parts_alone(monkeypatch):
    import comm

    from trotsky_edu.exercises.widgets import offstage

    shown = demo("demo-split-1903")
    opened = []
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: opened.append(kwargs) or comm.DummyComm(**kwargs))
    with offstage():
        hidden = demo("demo-split-1903")
        widgets.Layout(width="12px")
    assert opened == []
    assert hidden.submit_button.layout is not shown.submit_button.layout  # offstage parts are its own
    assert comm.create_comm is not comm.DummyComm  # the hook is given back
    assert demo("demo-split-1903").submit_button.layout is shown.submit_button.layout
    assert submit(hidden, SPLIT_RIGHT.text).correct is True


def test_an_offstage_block_inside_another_shares_its_parts_and_gives_the_hook_back_at_the_end():
    """The answer key wraps a whole lesson in one block: its questions share layouts instead of each making its own."""
    import comm

    from trotsky_edu.exercises.widgets import offstage

    hook = comm.create_comm
    with offstage():
        with offstage():
            first = demo("demo-split-1903")
        assert comm.create_comm is comm.DummyComm  # still offstage
        with offstage():
            second = demo("demo-split-1903")
    assert second.submit_button.layout is first.submit_button.layout
    assert comm.create_comm is hook


def test_offstage_gives_the_hook_back_after_an_error():
    import comm

    from trotsky_edu.exercises.widgets import offstage

    hook = comm.create_comm
    with pytest.raises(RuntimeError), offstage():
        raise RuntimeError("boom")
    assert comm.create_comm is hook
