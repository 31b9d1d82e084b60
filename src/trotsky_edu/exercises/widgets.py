"""Exercise widgets: thin views over the question banks and the pure checks.

Each question type is a ``VBox`` built from standard ipywidgets — the question, the
answer controls, a row of buttons (Submit, Hint, Show answer), and ``HTML`` widgets for
the attempts counter, the hints and the feedback. Clicking Submit reads the controls,
calls :func:`trotsky_edu.exercises.checks.check`, and writes the result into the
feedback widget's ``value`` (not printed into an ``Output``, which headless runs do not
capture reliably). Everything that comes from a bank is HTML-escaped before display.

Choice options, matching choices and an ordering's starting order are shown in an order
of the student's own (:mod:`trotsky_edu.exercises.order`), so position tells nothing.
Every submit, hint, shown answer and written answer is saved in the progress file as it
happens; a written answer is shown again when the cell runs again, even in a new kernel.

Every control is a native form element with a name a screen reader reads out: an option's
text, "Position 3 of 8", a matched item, or for a box to type in, its label and the question
(hidden on screen). Tests drive a widget by calling :meth:`ExerciseWidget.set_answer` or
setting ``.value`` on its controls and calling ``.click()`` on its buttons.

Keyboard use in JupyterLab. Tab reaches each control; a radio group answers the arrow keys,
a checkbox Space, a drop-down the arrows and typing; Tab moves on to the buttons and Enter or
Space presses them. Out of the box most of that did not work: JupyterLab's notebook binds
single keys in command mode to every focused element that is not a text field (selector
``.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus``), so ArrowDown on a radio
button selected the next cell and took the focus there, and a letter typed into a drop-down
ran a cell command ("M" makes the cell Markdown, "D D" deletes it). ipywidgets stops those
keys only in its text boxes. The fix is the package's JupyterLab extension
(``labextension/static/remoteEntry.js``, installed with the package into JupyterLab's
``share/jupyter/labextensions``): as an exercise is drawn it puts Lumino's
``data-lm-suppress-shortcuts`` on each of its controls, so the keys reach the control. It
also makes the widgets that carry the class ``trotsky-edu-live`` (the feedback, hints and
notices) polite live regions that stay in place while their text changes, so a screen reader
reads the feedback while the focus stays where it was. A JupyterLab without the extension
(another environment than the package's) still shows the exercises, without these two fixes.
No re-render moves the focus: nothing here changes a control from the kernel while a student
is on it. Keep it so for radio buttons: ipywidgets 8.1 rebuilds every radio of a
``RadioButtons`` on any change the kernel sends it (its check for new options compares the
labels with the inputs' index values, so it always finds them new), and the focused radio
goes with them.

Every ipywidget is a model the kernel sends to the browser, and by default each one brings
its own ``Layout`` and style models: a bare exercise used to be about forty models. Here
all widgets with the same layout and style settings share one ``Layout`` and one style
object (see :func:`part`), and the question's fixed text is one ``HTML`` widget, so an
exercise is a dozen or so models. A side effect worth knowing: changing, say,
``submit_button.layout.width`` on one exercise changes it on every exercise; give a widget
a ``Layout`` of its own first.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import comm
import ipywidgets as widgets

from trotsky_edu.exercises.bank import (
    Estimate,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortText,
    SingleChoice,
    SourceAnalysis,
    find_question,
)
from trotsky_edu.exercises.checks import Result, answer_text, check
from trotsky_edu.exercises.order import shuffled
from trotsky_edu.exercises.progress import ProgressError, ProgressWarning, record_answer, saved_record, student_id

SHOW_ANSWER_AFTER = 3
#: A style for parts whose description is shown in full rather than cut to a fixed width.
WIDE = {"description_width": "initial"}
_FIT = {"width": "auto"}
_SHARED: dict[tuple, widgets.Widget] = {}
_TONES = {"correct": "#1a7f37", "incorrect": "#b35900", "neutral": "#57606a"}
LIVE = ("trotsky-edu-live",)  # the class the JupyterLab extension makes a live region


# ipywidgets gives radio and checkbox labels one line of fixed height, so a long option
# would overflow onto the next one; inside an exercise they wrap instead (the radio's
# label holds its text before the button, so the button is moved to the front). Text for screen
# readers only (the question, in a text box's label) is clipped to nothing on screen.
STYLE = (
    "<style>"
    ".trotsky-edu-exercise .widget-radio-box label, .trotsky-edu-exercise .jupyter-widget-radio-box label,"
    " .trotsky-edu-exercise .widget-checkbox label, .trotsky-edu-exercise .jupyter-widget-checkbox label"
    " {height: auto; line-height: 1.4; white-space: normal; padding: 0.2em 0;}"
    " .trotsky-edu-exercise .widget-radio-box label, .trotsky-edu-exercise .jupyter-widget-radio-box label"
    " {display: flex; align-items: baseline;}"
    " .trotsky-edu-exercise .widget-radio-box input, .trotsky-edu-exercise .jupyter-widget-radio-box input"
    " {order: -1; flex: none; margin-right: 0.5em;}"
    " .trotsky-edu-exercise .widget-checkbox, .trotsky-edu-exercise .jupyter-widget-checkbox {height: auto;}"
    " .trotsky-edu-sr-only {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);"
    " white-space: nowrap;}"
    "</style>"
)


def shared(kind: type[widgets.Widget], settings: dict[str, object]) -> widgets.Widget:
    """The one ``kind`` (a Layout or style class) with these settings, made on first use or after it was closed."""
    key = (kind, tuple(sorted(settings.items())))
    if key not in _SHARED or _SHARED[key].comm is None:
        _SHARED[key] = kind(**settings)
    return _SHARED[key]


@contextmanager
def offstage() -> Iterator[None]:
    """Inside this block, widgets are built for code alone: nothing about them reaches the browser.

    ``comm.create_comm`` is the hook a kernel replaces to connect widgets to the front end
    (comm's own documentation says it is meant to be replaced); here it gives back comm's
    ``DummyComm``, which sends nothing. The answer key drives widgets no student sees, and
    without this every one of them would be built in the browser too. Shared layouts and
    styles made here stay here, so no visible widget ever points at one the browser lacks.
    A block inside another is part of it and shares its layouts.
    """
    global _SHARED
    if comm.create_comm is comm.DummyComm:
        yield
        return
    hook, kept = comm.create_comm, _SHARED
    comm.create_comm, _SHARED = comm.DummyComm, {}
    try:
        yield
    finally:
        comm.create_comm, _SHARED = hook, kept


def part(kind: type[widgets.DOMWidget], *args, layout: dict | None = None, style: dict | None = None,
         **traits) -> widgets.DOMWidget:
    """A ``kind`` widget whose Layout and style are shared with every other part of the same settings."""
    common = {"layout": shared(widgets.Layout, layout or {})}
    style_trait = kind.class_traits().get("style")
    if style_trait is not None:
        common["style"] = shared(style_trait.klass, style or {})
    return kind(*args, **common, **traits)


def text_html(text: str) -> str:
    """``text`` escaped for HTML, with line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def feedback_html(text: str, *, tone: str, note: str = "", note_label: str = "Why:") -> str:
    """A feedback block, marked by words as well as colour (shown in a ``trotsky-edu-live`` widget, a live region)."""
    body = text_html(text)
    if note:
        body += f"<br><strong>{note_label}</strong> {text_html(note)}"
    return (
        f'<div class="trotsky-edu-feedback trotsky-edu-{tone}" '
        f'style="border-left: 4px solid {_TONES[tone]}; padding: 0.25em 0.75em; margin: 0.25em 0;">{body}</div>'
    )


def answer_label(visible: str, question: str) -> dict[str, object]:
    """A text box's description: ``visible`` on screen, and for screen readers the ``question`` it answers too."""
    hidden = f'<span class="trotsky-edu-sr-only"> {text_html(question)}</span>'
    return {"description": html.escape(visible) + hidden, "description_allow_html": True}


def _tone(result: Result) -> str:
    if result.correct is True:
        return "correct"
    if result.correct is False and result.answered:
        return "incorrect"
    return "neutral"


class ExerciseWidget(widgets.VBox):
    """One question: its controls, Submit / Hint / Show answer buttons, and feedback.

    Attributes tests and lessons use: ``result`` (the last :class:`Result`, or None),
    ``attempts``, ``hints_used``, ``revealed``, ``submit_button``, ``hint_button``,
    ``show_answer_button``, ``feedback``, ``hint_box``, ``status`` and ``notice``
    (messages about saving progress). Subclasses build the controls and say how to read
    (:attr:`answer`) and set (:meth:`set_answer`) them.
    """

    submit_label = "Submit"
    submit_tooltip = "Check your answer"
    shuffles = False  # shows its choices in the student's own order

    def __init__(self, question: Question, *, record: bool = True, show_answer_after: int = SHOW_ANSWER_AFTER,
                 student: str | None = None):
        self.question = question
        self.record = record
        self.student = student if student is not None or not self.shuffles else _student()
        self.show_answer_after = show_answer_after
        self.result: Result | None = None
        self.attempts = 0
        self.hints_used = 0
        self.revealed = False

        # Every part is made with its starting state and the box with its parts and classes:
        # a change after a widget is made is one more message to the browser.
        hint_state, show_answer_state = self._button_states()
        self.prompt = part(widgets.HTML, value=STYLE + self._header_html())
        self.submit_button = part(
            widgets.Button, description=self.submit_label, tooltip=self.submit_tooltip, button_style="primary",
            layout=_FIT,
        )
        self.hint_button = part(widgets.Button, **hint_state, layout=_FIT)
        self.show_answer_button = part(widgets.Button, description="Show answer", **show_answer_state, layout=_FIT)
        self.status = part(widgets.HTML, value=self._status_html())
        # Live regions (see the module's docstring): each stays in place while its text changes.
        self.hint_box = part(widgets.HTML, _dom_classes=LIVE)
        self.feedback = part(widgets.HTML, _dom_classes=LIVE)
        self.notice = part(widgets.HTML, _dom_classes=LIVE)

        self.submit_button.on_click(self._on_submit)
        self.hint_button.on_click(self._on_hint)
        self.show_answer_button.on_click(self._on_show_answer)
        super().__init__(
            [
                self.prompt,
                self._controls(),
                part(widgets.HBox, self._buttons()),
                self.status,
                self.hint_box,
                self.feedback,
                *self._after_feedback(),
                self.notice,
            ],
            layout=shared(widgets.Layout, {}),
            # the second class lets browser tests and styles find one question
            _dom_classes=("trotsky-edu-exercise", f"trotsky-edu-q-{question.id}"),
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.question.lesson}/{self.question.id}>"

    # --- what subclasses provide -----------------------------------------------------------

    def _header_html(self) -> str:
        """The question's fixed text (with the exercise style sheet, the widget's ``prompt``)."""
        return f'<p class="trotsky-edu-prompt"><strong>Question:</strong> {text_html(self.question.prompt)}</p>'

    def _controls(self) -> widgets.Widget:
        raise NotImplementedError

    def _buttons(self) -> list[widgets.Button]:
        return [self.submit_button, self.hint_button, self.show_answer_button]

    def _after_feedback(self) -> list[widgets.Widget]:
        """Parts shown under the feedback (none but for written answers)."""
        return []

    def _in_student_order(self, items, part_name: str = "", *, unlike_given: bool = False) -> list:
        """``items`` in this student's order for this question (``part_name`` tells parts of one question apart)."""
        return shuffled(items, student=self.student, key=f"{self.question.id}{part_name}", unlike_given=unlike_given)

    @property
    def answer(self) -> object:
        """The answer currently entered in the controls, in the form the check expects."""
        raise NotImplementedError

    def set_answer(self, value: object) -> None:
        """Enter ``value`` in the controls, as a student would (for tests and the answer key)."""
        raise NotImplementedError

    # --- behaviour ---------------------------------------------------------------------------

    def _on_submit(self, _button: widgets.Button | None = None) -> None:
        result = check(self.question, self.answer)
        self.result = result
        if result.answered:  # saved (and on a hub sent) before the feedback is drawn: drawing wakes the front end
            self.attempts += 1
            self._save("submit", answer=self.answer, correct=result.correct, score=result.score)
        self.feedback.value = feedback_html(result.feedback, tone=_tone(result), note=result.explanation)
        self._update_status()

    def _on_hint(self, _button: widgets.Button | None = None) -> None:
        hints = self.question.hints
        if self.hints_used >= len(hints):
            return
        self.hints_used += 1
        shown = "".join(f"<li>{text_html(h)}</li>" for h in hints[: self.hints_used])
        self.hint_box.value = f'<div class="trotsky-edu-hints"><strong>Hints</strong><ol>{shown}</ol></div>'
        self._update_status()
        self._save("hint")

    def _on_show_answer(self, _button: widgets.Button | None = None) -> None:
        if self.show_answer_button.disabled:
            return
        self.revealed = True
        self.feedback.value = feedback_html(answer_text(self.question), tone="neutral", note=self.question.explanation)
        self._update_status()
        self._save("reveal")

    def _button_states(self) -> tuple[dict[str, object], dict[str, object]]:
        """The Hint and the Show answer button's settings for the hints used, the attempts and the result."""
        total = len(self.question.hints)
        left = total - self.hints_used
        hint = {
            "disabled": left == 0,
            "description": "No hints" if total == 0 else ("Hint" if left else "No more hints"),
            "tooltip": f"Show hint {self.hints_used + 1} of {total}" if left else "All hints are shown",
        }
        ready = self.attempts >= self.show_answer_after or (self.result is not None and self.result.correct is True)
        show_answer = {
            "disabled": not ready,
            "tooltip": "Show the answer and why" if ready else f"Available after {self.show_answer_after} tries or a right answer",
        }
        return hint, show_answer

    def _hints_note(self) -> str:
        """The status line's count of hints ("· hints used: 1 of 2"), empty for a question without hints."""
        total = len(self.question.hints)
        return f" · hints used: {self.hints_used} of {total}" if total else ""

    def _status_html(self) -> str:
        """The line under the buttons: attempts so far and hints used."""
        tries = "1 attempt" if self.attempts == 1 else f"{self.attempts} attempts"
        return f'<span class="trotsky-edu-status">{tries}{self._hints_note()}</span>'

    def _update_status(self) -> None:
        """Bring the buttons and the status line up to date, one message per widget that changed."""
        for button, state in zip((self.hint_button, self.show_answer_button), self._button_states()):
            with button.hold_sync():
                for name, value in state.items():
                    setattr(button, name, value)
        self.status.value = self._status_html()

    def _save(self, action: str, **event) -> None:
        """Record this event in the progress file; a problem there becomes a notice, never an error."""
        if not self.record:
            return
        _noticed(self.notice, lambda: record_answer(
            self.question.lesson, self.question.id, action, hints_used=self.hints_used, **event,
        ))


def _noticed(notice: widgets.HTML, action):
    """Run ``action`` (which reads or writes the progress file); its problems are shown in ``notice``, never raised."""
    result, notices = guarded(action)
    if notices:
        notice.value = feedback_html("\n".join(notices), tone="neutral")
    return result


def guarded(action) -> tuple[object, list[str]]:
    """Run ``action`` (which reads or writes the progress file): its result (None if it failed) and the
    problems to tell the student (a :class:`ProgressError`, or a file set aside), instead of raising them."""
    notices, result = [], None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProgressWarning)
        try:
            result = action()
        except ProgressError as err:
            notices.append(str(err))
    for warning in caught:
        if issubclass(warning.category, ProgressWarning):
            notices.append(str(warning.message))
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return result, notices


def _student() -> str:
    """The student the choices are ordered for; when the progress file cannot tell, one order for everyone."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ProgressWarning)
            return student_id()
    except ProgressError:
        return ""


class SingleChoiceWidget(ExerciseWidget):
    """Radio buttons: pick one option."""

    shuffles = True

    def _controls(self) -> widgets.Widget:
        self.choice = part(
            widgets.RadioButtons, options=self._in_student_order([o.text for o in self.question.options]), value=None,
            description="Your answer:", style=WIDE, layout=_FIT,
        )
        return self.choice

    @property
    def answer(self) -> object:
        return self.choice.value

    def set_answer(self, value: object) -> None:
        self.choice.value = value


class MultipleChoiceWidget(ExerciseWidget):
    """One checkbox per option: pick all that apply."""

    shuffles = True

    def _controls(self) -> widgets.Widget:
        self.boxes = [
            part(widgets.Checkbox, value=False, description=text, indent=False, layout=_FIT)
            for text in self._in_student_order([o.text for o in self.question.options])
        ]
        return part(widgets.VBox, [part(widgets.Label, "Choose all that apply:"), *self.boxes])

    @property
    def answer(self) -> object:
        return [box.description for box in self.boxes if box.value]

    def set_answer(self, value: object) -> None:
        chosen = set(value) if isinstance(value, (list, tuple, set, frozenset)) else {value}
        for box in self.boxes:
            box.value = box.description in chosen


class OrderingWidget(ExerciseWidget):
    """One dropdown per position, starting in the student's own order (never the right one);
    choosing an item already placed elsewhere swaps the two.

    With the keyboard a drop-down changes once per arrow key or typed letter, so choosing one
    item passes through others. Changes to one dropdown in a row therefore count as one move:
    each undoes the swap of the one before, and the run ends as a single swap of the item the
    dropdown started with and the item chosen, leaving every other position as it was.
    """

    shuffles = True

    def _controls(self) -> widgets.Widget:
        items = list(self.question.items)
        start = self._in_student_order(items, unlike_given=True)
        self._syncing = False
        self._last_swap: tuple[widgets.Dropdown, widgets.Dropdown, str] | None = None  # (moved, displaced, start)
        self.positions = [
            part(widgets.Dropdown, options=sorted(items), value=item, description=f"Position {i} of {len(items)}:",
                 style=WIDE, layout=_FIT)
            for i, item in enumerate(start, 1)
        ]
        for dropdown in self.positions:
            dropdown.observe(self._swap, names="value")
        return part(widgets.VBox, [part(widgets.Label, "Put the items in order, position 1 first:"), *self.positions])

    def _swap(self, change: dict) -> None:
        if self._syncing:
            return
        moved, start = change["owner"], change["old"]
        self._syncing = True
        try:
            if self._last_swap is not None and self._last_swap[0] is moved:
                _, displaced, start = self._last_swap
                displaced.value = change["old"]
            self._last_swap = None
            holder = next((d for d in self.positions if d is not moved and d.value == change["new"]), None)
            if holder is not None:
                holder.value = start
                self._last_swap = (moved, holder, start)
        finally:
            self._syncing = False

    def _on_submit(self, _button: widgets.Button | None = None) -> None:
        self._last_swap = None  # a change after submitting is a new move
        super()._on_submit(_button)

    @property
    def answer(self) -> object:
        return [d.value for d in self.positions]

    def set_answer(self, value: object) -> None:
        self._syncing = True
        try:
            for dropdown, item in zip(self.positions, value):
                dropdown.value = item
        finally:
            self._syncing = False


class MatchingWidget(ExerciseWidget):
    """One dropdown per left item, offering every right item in the student's own order."""

    shuffles = True

    def _controls(self) -> widgets.Widget:
        rights = self._in_student_order([p.right for p in self.question.pairs], ":right")
        self.matches = {
            p.left: part(widgets.Dropdown, options=[("Choose…", None), *((r, r) for r in rights)], index=0,
                         description=f"{p.left}:", style=WIDE, layout=_FIT)
            for p in self.question.pairs
        }
        return part(widgets.VBox, list(self.matches.values()))

    @property
    def answer(self) -> object:
        return {left: d.value for left, d in self.matches.items()}

    def set_answer(self, value: object) -> None:
        if not isinstance(value, dict):
            raise TypeError(f"a matching answer is a dict from each left item to a right item, got {value!r}")
        for left, dropdown in self.matches.items():
            dropdown.value = value.get(left)


class EstimateWidget(ExerciseWidget):
    """A number box (whole numbers when the answer and tolerances are whole)."""

    def _controls(self) -> widgets.Widget:
        q = self.question
        whole = all(float(x).is_integer() for x in (q.answer, q.tolerance, q.close))
        box = widgets.IntText if whole else widgets.FloatText
        unit = q.unit if q.unit in ("year", "") else q.unit_plural
        label = f"Your answer ({unit}):" if unit else "Your answer:"
        self.number = part(box, value=0, **answer_label(label, q.prompt), style=WIDE)
        return self.number

    @property
    def answer(self) -> object:
        return self.number.value

    def set_answer(self, value: object) -> None:
        self.number.value = value


class ShortTextWidget(ExerciseWidget):
    """A one-line text box."""

    def _controls(self) -> widgets.Widget:
        self.text = part(widgets.Text, value="", placeholder="Type your answer",
                         **answer_label("Your answer:", self.question.prompt), style=WIDE)
        return self.text

    @property
    def answer(self) -> object:
        return self.text.value

    def set_answer(self, value: object) -> None:
        self.text.value = value


class SourceAnalysisWidget(ExerciseWidget):
    """A written answer about a primary source: kept, compared with a model answer, then self-assessed.

    The excerpt and its question come with guided prompts (who wrote it, when, for whom,
    what it cannot tell us). The student's text is saved in the progress file whenever the
    answer box loses focus (``continuous_update=False``: one save per edit, not per key) and
    is put back when the cell runs again, in any kernel. ``submit_button`` (also
    ``reveal_button``) shows the model answer and rubric only once the student has written
    :data:`~trotsky_edu.exercises.checks.MIN_WRITTEN_WORDS` words; then the student ticks the
    rubric points their answer made and records that self-assessment. Not graded, so there
    is no "Show answer" button.
    """

    submit_label = "Compare with the model answer"
    submit_tooltip = "Save your answer, then see a model answer and the points a good answer makes"

    def __init__(self, question: SourceAnalysis, **options):
        self.compared = False
        self.assessed: list[int] | None = None
        super().__init__(question, **options)
        self._restore(saved_record(question.lesson, question.id) if self.record else None)
        self.response.observe(self._on_write, names="value")

    def _header_html(self) -> str:
        q = self.question
        quote = (
            f'<figure class="trotsky-edu-excerpt"><blockquote>{text_html(q.excerpt)}</blockquote>'
            # ``document`` describes the source ("a cable to the Red Army command, as quoted by ..."); it is not
            # a title, so it is not set in italics as a <cite> would be. A <footer> here would be a page landmark.
            f"<figcaption>— {text_html(q.speaker)}, {text_html(q.date)}, {text_html(q.document)}</figcaption></figure>"
        )
        guide = "".join(f"<li>{text_html(p)}</li>" for p in q.prompts)
        return (
            f"{super()._header_html()}{quote}<p><strong>{text_html(q.question)}</strong></p>"
            f'<div class="trotsky-edu-guide">Before you write, think about:<ul>{guide}</ul></div>'
        )

    def _controls(self) -> widgets.Widget:
        self.reveal_button = self.submit_button
        self.response = part(
            widgets.Textarea, value="", placeholder="Write your answer here; it is saved when you click outside the box",
            **answer_label("Your answer:", self.question.question), rows=6, continuous_update=False, style=WIDE, layout={"width": "95%"},
        )
        return self.response

    def _buttons(self) -> list[widgets.Button]:
        return [self.submit_button, self.hint_button]

    def _after_feedback(self) -> list[widgets.Widget]:
        self.rubric_boxes = [
            part(widgets.Checkbox, value=False, description=line, indent=False, layout=_FIT)
            for line in self.question.rubric
        ]
        self.assess_button = part(
            widgets.Button, description="Record my self-assessment", tooltip="Save which points your answer made",
            layout=_FIT,
        )
        self.assess_button.on_click(self._on_assess)
        # Hidden until the model answer is shown; showing it swaps in the shared visible layout.
        self.rubric_box = part(
            widgets.VBox,
            [part(widgets.Label, "Which of these points did your answer make? Tick them, then record it."),
             *self.rubric_boxes, self.assess_button],
            layout={"display": "none"},
            _dom_classes=("trotsky-edu-self-assessment",),
        )
        return [self.rubric_box]

    def _restore(self, record: dict | None) -> None:
        """Show again what the progress file holds: the text, the comparison, the ticked points."""
        if not record:
            return
        self.response.value = record.get("response", "")
        self.hints_used = min(record.get("hints_used", 0), len(self.question.hints))
        if self.hints_used:
            shown = "".join(f"<li>{text_html(h)}</li>" for h in self.question.hints[: self.hints_used])
            self.hint_box.value = f'<div class="trotsky-edu-hints"><strong>Hints</strong><ol>{shown}</ol></div>'
        if record.get("attempts", 0) > 0:
            self.attempts = record["attempts"]
            self._show_model_answer()
        if "rubric_met" in record:
            self.assessed = [n for n in record["rubric_met"] if 0 <= n < len(self.rubric_boxes)]
            for n in self.assessed:
                self.rubric_boxes[n].value = True
        self._update_status()

    def _on_write(self, change: dict) -> None:
        self._save("write", answer=change["new"])
        self.status.value = self._status_html()

    def _on_submit(self, _button: widgets.Button | None = None) -> None:
        result = check(self.question, self.answer)
        self.result = result
        if not result.answered:
            self.feedback.value = feedback_html(result.feedback, tone="neutral")
            return
        self.attempts += 1
        self._show_model_answer()
        self._update_status()
        self._save("submit", answer=self.answer, correct=None)

    def _show_model_answer(self) -> None:
        self.compared = True
        result = check(self.question, self.answer) if self.answer.strip() else None
        text = result.feedback if result is not None and result.answered else answer_text(self.question)
        self.feedback.value = feedback_html(text, tone="neutral", note=self.question.explanation, note_label="Context:")
        self.rubric_box.layout = shared(widgets.Layout, {})

    def _on_assess(self, _button: widgets.Button | None = None) -> None:
        self.assessed = [n for n, box in enumerate(self.rubric_boxes) if box.value]
        self._update_status()
        self._save("self_assess", answer=self.assessed)

    def _status_html(self) -> str:
        words = len(self.answer.split()) if hasattr(self, "response") else 0
        parts = ["not graded"]
        parts.append(f"your answer is saved ({words} words)" if words and self.record else "write your answer, then compare")
        if self.compared:
            parts.append("compared with the model answer")
        if self.assessed is not None:
            parts.append(f"self-assessment: {len(self.assessed)} of {len(self.question.rubric)} points")
        return f'<span class="trotsky-edu-status">{" · ".join(parts)}{self._hints_note()}</span>'

    @property
    def answer(self) -> object:
        return self.response.value

    def set_answer(self, value: object) -> None:
        self.response.value = value


WIDGETS: dict[type[Question], type[ExerciseWidget]] = {
    SingleChoice: SingleChoiceWidget,
    MultipleChoice: MultipleChoiceWidget,
    Ordering: OrderingWidget,
    Matching: MatchingWidget,
    Estimate: EstimateWidget,
    ShortText: ShortTextWidget,
    SourceAnalysis: SourceAnalysisWidget,
}


def widget_for(question: Question, *, record: bool = True, show_answer_after: int = SHOW_ANSWER_AFTER,
               student: str | None = None) -> ExerciseWidget:
    """The widget that shows ``question``, its choices in ``student``'s order (default: this student's)."""
    return WIDGETS[type(question)](question, record=record, show_answer_after=show_answer_after, student=student)


def exercise(lesson: str, question_id: str, *, record: bool = True, show_answer_after: int = SHOW_ANSWER_AFTER) -> ExerciseWidget:
    """Show question ``question_id`` of ``lesson``'s bank as a widget (the last expression of a cell).

    ``record=False`` keeps answers out of the progress file; "Show answer" becomes
    available after ``show_answer_after`` tries or a right answer.
    """
    if record:
        from trotsky_edu.exercises.progress import progress_path
        from trotsky_edu.hub.outbox import deliver_at_start

        deliver_at_start(progress_path())  # what an earlier kernel could not send to the class service
    return widget_for(find_question(lesson, question_id), record=record, show_answer_after=show_answer_after)
