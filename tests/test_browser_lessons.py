"""Can a student use every lesson in a real JupyterLab, in a real browser?

nbval never runs widget callbacks in a browser nor looks at images, so these tests start
JupyterLab on a copy of the lessons, open each notebook in headless Chromium, run all
cells, answer every exercise with the keyboard alone (and some by clicking), and check the
feedback, the controls' names in Chromium's accessibility tree, the images and their alt
text, and the browser console. axe-core (installed by `make test`) checks the notebooks'
outputs in JupyterLab, every page of the rendered course in both editions, and the class
report: nothing serious or critical is allowed in the course's own content; JupyterLab's own
violations are reported (``artifacts/browser/axe-jupyterlab-*.json``) without failing.
A screenshot per notebook is saved under ``artifacts/browser/``.

Under heavy load JupyterLab occasionally stalls a Run All (a cell never starts) or logs a
widget error from its own timing; such a run is retried, at most twice, in a fresh page.
A notebook that fails three times in a row fails the suite.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from trotsky_edu.exercises import bank
from trotsky_edu.exercises.order import shuffled
from trotsky_edu.exercises.progress import lesson_completion, read_progress

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # `make test` installs it
NOTEBOOKS = sorted(ROOT.glob("lessons/[0-9][0-9]-*.ipynb")) + sorted(ROOT.glob("examples/*.ipynb"))
ARTIFACTS = ROOT / "artifacts" / "browser"
TOKEN = "trotsky-edu-browser-test"
STUDENT = "browser-student"  # the hub user the Lab's kernels run for
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
EXERCISE_CALL = re.compile(r"""exercise\(\s*["']([\w-]+)["']\s*,\s*["']([\w-]+)["']""")
# Settings a student's Lab would not need but a headless test does: every cell in the DOM,
# and no news or update checks reaching for the network.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false", "checkForUpdates": false}',
}

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("/usr/bin/chromium is missing: `make setup` installs Debian's chromium package.")
    pytest.skip("Debian's chromium is not installed (make setup installs it as root)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its address, and the progress file its kernels write to."""

    url: str
    progress: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the lessons on 127.0.0.1; stopped with its kernels afterwards."""
    home = tmp_path_factory.mktemp("lab")
    work = home / "course"
    for folder in ("lessons", "examples"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, work / folder)
    settings = home / "settings"
    for name, text in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(text, encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "TROTSKY_EDU_PROGRESS": str(home / "progress.json"), "JUPYTERHUB_USER": STUDENT}
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
            f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={work}", "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            f"--LabApp.workspaces_dir={home / 'workspaces'}", f"--LabApp.user_settings_dir={settings}",
            "--KernelManager.transport=ipc",
        ],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {home / 'lab.log'}") from None
                time.sleep(0.3)
        yield Lab(url, home / "progress.json")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open_and_clear(page, url: str, notebook: str) -> None:
    """Open a notebook once its kernel is ready, and clear the outputs saved in it."""
    page.goto(f"{url}/lab/tree/{notebook}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_function("window.jupyterapp && window.jupyterapp.commands.hasCommand('runmenu:run-all')", timeout=60_000)
    # Run only once the notebook's own kernel is connected and idle: running earlier
    # executes before the widget manager is attached, and widgets show as plain text.
    page.wait_for_function(
        """() => {
            const panel = window.jupyterapp.shell.currentWidget;
            const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
            return Boolean(kernel) && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
        }""",
        timeout=120_000,
    )
    # Saved outputs would satisfy the waits below before anything ran: clear them first.
    page.evaluate("() => window.jupyterapp.commands.execute('editmenu:clear-all')")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].every(p => p.textContent.trim() === '[ ]:')",
        timeout=30_000,
    )
    page.wait_for_timeout(1000)  # let renders of the cleared outputs settle before errors count


def _run_all(page) -> None:
    """Run every cell of the open notebook and wait until all have run and the kernel is idle."""
    page.evaluate("() => { window.jupyterapp.commands.execute('runmenu:run-all'); }")
    _wait_until_run(page)


def _wait_until_run(page) -> None:
    """Wait until every code cell of the open notebook has run and the kernel is idle."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
            const idle = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
            return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t)) && idle !== null;
        }""",
        timeout=150_000,  # a lesson runs in seconds; a stalled Run All should fail fast and be retried
    )


def _shown_questions(notebook: Path) -> list[bank.Question]:
    """The questions a notebook shows with exercise(lesson, id), in order."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    return [bank.find_question(lesson, qid) for lesson, qid in dict.fromkeys(EXERCISE_CALL.findall(text))]


# --- a keyboard-only student ---------------------------------------------------------------------
# Controls are found by their accessible names (options are in each student's own order), and every key press is
# followed by a check that the focus is still in the exercise.

FOCUS = """(exercise) => {
    const a = document.activeElement;
    return {inside: exercise.contains(a), tag: a.tagName, type: a.type || '',
            name: a.tagName === 'BUTTON' ? a.textContent.trim() : (a.labels && a.labels[0] ? a.labels[0].textContent.trim() : ''),
            chosen: a.tagName === 'SELECT' && a.selectedOptions[0] ? a.selectedOptions[0].textContent.replace(/\u00a0/g, ' ') : null,
            checked: Boolean(a.checked)};
}"""


class Keyboard:
    """The page's keyboard, kept to one exercise: every key must leave the focus inside it."""

    def __init__(self, page, widget, question: bank.Question):
        self.page, self.widget, self.question = page, widget, question

    def focused(self) -> dict:
        return self.widget.evaluate(FOCUS)

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        now = self.focused()
        assert now["inside"], f"{self.question.id}: the focus left the exercise after {key}"
        return now

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        assert self.focused()["inside"], f"{self.question.id}: the focus left the exercise while typing"

    def tab_to(self, test, what: str, limit: int = 40) -> dict:
        """Press Tab until ``test(focused)`` holds (forward only, as a student moving on)."""
        for _ in range(limit):
            now = self.press("Tab")
            if test(now):
                return now
        raise AssertionError(f"{self.question.id}: Tab never reached {what}")

    def tab_to_button(self, name: str) -> None:
        self.tab_to(lambda f: f["tag"] == "BUTTON" and f["name"] == name, f"the {name} button")

    def choose(self, option: str, settle=lambda: None) -> None:
        """Type the first word of ``option`` in the focused drop-down, then use the arrows until it is chosen.

        Every key changes the drop-down; ``settle()`` waits after each for what the kernel does about it.
        """
        labels = self.page.evaluate("() => [...document.activeElement.options].map(o => o.textContent.replace(/\\u00a0/g, ' '))")
        word = option.split(" ")[0]
        now = None
        for char in word if word.isascii() else word[0]:
            now = self.press(char)
            settle()
        for _ in labels:  # typing lands on an option starting with the word: the arrows go on from there
            if now["chosen"] == option:
                break
            now = self.press("ArrowDown" if labels.index(now["chosen"]) < labels.index(option) else "ArrowUp")
            settle()
        assert now["chosen"] == option, now


def _answer_by_keyboard(page, widget, question: bank.Question) -> None:
    """Answer ``question`` rightly with the keys each control uses natively, then press its button with Enter."""
    keys = Keyboard(page, widget, question)
    first = widget.locator("input, select, textarea").first
    first.focus()  # arriving at the exercise; from here on, only keys
    if isinstance(question, bank.SingleChoice):
        right = next(o.text for o in question.options if o.correct)
        now = keys.press("Space")
        for _ in question.options:  # ArrowDown moves the choice through the group, wrapping round
            if now["name"] == right:
                break
            now = keys.press("ArrowDown")
        assert now["name"] == right and now["checked"], now
    elif isinstance(question, bank.MultipleChoice):
        right = {o.text for o in question.options if o.correct}
        now = keys.focused()
        for n in range(len(question.options)):
            if now["name"] in right:
                now = keys.press("Space")
            if n < len(question.options) - 1:
                now = keys.tab_to(lambda f: f["type"] == "checkbox", "the next option")
    elif isinstance(question, bank.Ordering):
        handle = widget.element_handle()

        def swapped() -> None:
            """Until the kernel has swapped, the item just chosen shows in two positions."""
            page.wait_for_function("(exercise) => { const shown = [...exercise.querySelectorAll('select')].map(s => s.value);"
                                   " return new Set(shown).size === shown.length; }", arg=handle, timeout=20_000)

        for position, item in enumerate(question.items, 1):
            if position > 1:
                keys.tab_to(lambda f: f["tag"] == "SELECT", f"position {position}")
            assert keys.focused()["name"] == f"Position {position} of {len(question.items)}:"
            keys.choose(item, settle=swapped)
    elif isinstance(question, bank.Matching):
        rights = {pair.left: pair.right for pair in question.pairs}
        for n in range(len(question.pairs)):
            if n:
                keys.tab_to(lambda f: f["tag"] == "SELECT", "the next pair")
            keys.choose(rights[keys.focused()["name"].removesuffix(":")])
    elif isinstance(question, bank.Estimate):
        keys.press("Control+A")
        keys.type(str(question.answer))
    elif isinstance(question, bank.ShortText):
        keys.type(question.answers[0])
    elif isinstance(question, bank.SourceAnalysis):
        keys.type("Written under pressure; compare it with what the speaker said later.")
    button = "Compare with the model answer" if isinstance(question, bank.SourceAnalysis) else "Submit"
    keys.tab_to_button(button)
    live = widget.locator(".trotsky-edu-live").nth(1)  # hints, feedback, notice: the feedback
    sync_api.expect(live).to_have_attribute("aria-live", "polite")
    live.evaluate("region => { region.dataset.before = 'yes'; }")  # the same region must carry the feedback
    keys.press("Enter")
    if isinstance(question, bank.SourceAnalysis):
        sync_api.expect(live.locator(".trotsky-edu-feedback")).to_contain_text(question.model_answer[:40], timeout=20_000)
        sync_api.expect(widget.locator(".trotsky-edu-self-assessment")).to_be_visible()
    else:
        sync_api.expect(live.locator(".trotsky-edu-feedback.trotsky-edu-correct")).to_be_visible(timeout=20_000)
    assert live.evaluate("region => region.dataset.before") == "yes"
    assert keys.focused()["name"] == button, "the focus stays on the button while the feedback is read out"


def _accessible_names(page, question: bank.Question) -> dict[str, list[str]]:
    """Chromium's accessibility tree for one exercise: the names of its controls, by role."""
    cdp = page.context.new_cdp_session(page)
    try:
        found = cdp.send("Runtime.evaluate", {"expression": f"document.querySelector('.trotsky-edu-q-{question.id}')"})
        names = {}
        for role in ("radio", "checkbox", "combobox", "textbox", "spinbutton", "button"):
            nodes = cdp.send("Accessibility.queryAXTree", {"objectId": found["result"]["objectId"], "role": role})["nodes"]
            names[role] = [node.get("name", {}).get("value", "") for node in nodes if not node.get("ignored")]
        return names
    finally:
        cdp.detach()


def _check_names(page, question: bank.Question) -> None:
    """Every control is named for what it is for: the option, the position, the matched item, the question."""
    names = _accessible_names(page, question)
    assert all(name.strip() for controls in names.values() for name in controls), names
    assert {"Hint"} <= set(names["button"])
    if isinstance(question, bank.SingleChoice):
        assert sorted(names["radio"]) == sorted(o.text for o in question.options)
    elif isinstance(question, bank.MultipleChoice):
        assert sorted(names["checkbox"]) == sorted(o.text for o in question.options)
    elif isinstance(question, bank.Ordering):
        n = len(question.items)
        assert names["combobox"] == [f"Position {i} of {n}:" for i in range(1, n + 1)]
    elif isinstance(question, bank.Matching):
        assert names["combobox"] == [f"{pair.left}:" for pair in question.pairs]
    else:
        asked = question.question if isinstance(question, bank.SourceAnalysis) else question.prompt
        [box] = names["spinbutton"] if isinstance(question, bank.Estimate) else names["textbox"]
        assert box.startswith("Your answer") and asked in box, box


AXE_RUN = """async (context) => {
    const result = await axe.run(context, {resultTypes: ['violations']});
    return result.violations.map(v => ({rule: v.id, impact: v.impact, count: v.nodes.length,
                                        where: v.nodes.slice(0, 3).map(n => n.html.slice(0, 120))}));
}"""


def _axe(page, context: dict | str) -> list[dict]:
    """axe-core's violations in ``context`` (an axe include/exclude context, or a selector) of the page."""
    assert AXE.exists(), f"axe-core is missing: `make test` installs it ({AXE.relative_to(ROOT)})"
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, context)


def _serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def _report_lab_violations(notebook: str, violations: list[dict]) -> None:
    """JupyterLab's own violations, outside the course's content: kept in artifacts/browser/, never failing a test."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-jupyterlab-{Path(notebook).stem}.json").write_text(json.dumps(violations, indent=1), encoding="utf-8")
    print(f"JupyterLab's own axe violations around {notebook}:",
          ", ".join(f"{v['rule']} ({v['impact']}) x{v['count']}" for v in violations) or "none")


@contextmanager
def _run_in_lab(lab: Lab, browser, notebook: str, *, screenshot: str):
    """A laptop-sized page on which ``notebook`` has been opened, cleared and run all.

    Afterwards, whatever happened, the page is saved as ``screenshot`` under ``artifacts/browser/``;
    then the console must hold no errors from the run on.
    """
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_locator_handler(
        page.locator(".jp-Dialog:has-text('Select Kernel')"),
        lambda dialog: dialog.locator("button.jp-mod-accept").click(),
    )
    try:
        _open_and_clear(page, lab.url, notebook)
        # Saved widget outputs have no saved state (it is stripped on purpose), so Lab may log
        # "model not found" while drawing them before they are cleared: only the run counts.
        errors.clear()
        _run_all(page)
        yield page
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / screenshot))
        page.close()
    assert errors == [], errors


@pytest.mark.flaky(reruns=2)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_keyboard_only_student_answers_every_exercise_and_the_content_passes_axe(lab, browser, notebook):
    """Run all; every plot has alt text; every exercise answered with the keyboard alone (no click), its controls named
    in Chromium's accessibility tree; then axe-core finds nothing serious in the notebook's outputs."""
    with _run_in_lab(lab, browser, notebook.relative_to(ROOT).as_posix(), screenshot=f"{notebook.stem}.png") as page:
        assert page.evaluate("() => window.jupyterapp.isPluginActivated('trotsky-edu:exercise-keyboard')")
        tracebacks = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']", has_text="Traceback")
        assert tracebacks.count() == 0, tracebacks.first.inner_text()

        images = page.locator(".jp-OutputArea-output img")
        if notebook.parent.name == "lessons" and not notebook.stem.startswith("00"):
            assert images.count() >= 2, "a lesson shows at least two plots"
        for i in range(images.count()):
            image = images.nth(i)
            assert (image.get_attribute("alt") or "").strip(), f"image {i} has no alt text"
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"image {i} did not render"
            described_by = image.get_attribute("aria-describedby")
            if described_by:  # the long description it names is on the page, once, with words in it
                description = page.locator(f"[id='{described_by}']")
                assert description.count() == 1, f"image {i}: {described_by} names {description.count()} elements"
                assert description.text_content().strip(), f"image {i}: its long description is empty"

        questions = _shown_questions(notebook)
        assert questions, "the notebook shows no exercise"
        for question in questions:
            widget = page.locator(f".trotsky-edu-q-{question.id}").first
            widget.scroll_into_view_if_needed()
            _check_names(page, question)
            _answer_by_keyboard(page, widget, question)

        own = _axe(page, {"include": [[".jp-OutputArea-output"]]})
        _report_lab_violations(notebook.name, _axe(page, {"exclude": [[".jp-OutputArea-output"]]}))
        assert _serious(own) == [], own


@pytest.mark.flaky(reruns=2)
def test_the_succession_explorer_redraws_both_charts_for_the_year_a_student_picks(lab, browser):
    """The slider at the centre of lesson 03, moved with the keyboard: both charts follow it, with alt text and a
    long description (the generated text under each image) that names the year chosen."""
    with _run_in_lab(lab, browser, "lessons/03-succession.ipynb", screenshot="03-succession-explorer.png") as page:
        explorer = page.locator(".widget-interact").first
        explorer.scroll_into_view_if_needed()
        posts_text, alliances_text = (explorer.locator(".trotsky-edu-figure details").nth(i) for i in (0, 1))
        for i in range(2):
            sync_api.expect(explorer.locator("img").nth(i)).to_have_attribute("alt", re.compile(r"\w"))
        sync_api.expect(alliances_text).to_contain_text("as they stood in December 1923")
        handle = explorer.locator(".noUi-handle").first
        handle.focus()
        started = time.perf_counter()
        for _ in range(3):  # 1923 -> 1926, one key press a year
            handle.press("ArrowRight")
        sync_api.expect(explorer.locator(".widget-readout")).to_have_text("1926")
        sync_api.expect(alliances_text).to_contain_text("as they stood in June 1926", timeout=30_000)
        sync_api.expect(alliances_text).to_contain_text("United Opposition")
        sync_api.expect(posts_text).to_contain_text("from 1922 to 1926")
        print(f"explorer redraw after the key presses: {time.perf_counter() - started:.2f} s")
        assert explorer.locator("img").count() == 2  # redrawn in place, not added below
        for i in range(2):
            assert explorer.locator("img").nth(i).evaluate("img => img.complete && img.naturalWidth > 0")


@pytest.mark.flaky(reruns=2)
def test_a_self_study_learner_gets_hints_one_at_a_time_and_the_answer_after_three_tries(lab, browser):
    """The help a learner alone relies on, through the page: Hint, three wrong tries, then Show answer."""
    question = bank.find_question("demo", "demo-split-1903")
    wrong = [o.text for o in question.options if not o.correct]
    right = next(o.text for o in question.options if o.correct)
    with _run_in_lab(lab, browser, "examples/exercise-types.ipynb", screenshot="exercise-types-help.png") as page:
        widget = page.locator(f".trotsky-edu-q-{question.id}").first
        widget.scroll_into_view_if_needed()
        show_answer = widget.get_by_role("button", name="Show answer")
        sync_api.expect(show_answer).to_be_disabled()
        for shown in (1, 2):
            widget.get_by_role("button", name="Hint").click()
            sync_api.expect(widget.locator(".trotsky-edu-hints li")).to_have_count(shown)
        sync_api.expect(widget.locator(".trotsky-edu-hints li").first).to_contain_text(question.hints[0][:30])
        for attempt, option in enumerate(wrong[:3], start=1):
            widget.get_by_label(option, exact=True).check()
            widget.get_by_role("button", name="Submit").click()
            sync_api.expect(widget.locator(".trotsky-edu-status")).to_contain_text(
                "1 attempt" if attempt == 1 else f"{attempt} attempts")
            sync_api.expect(widget.locator(".trotsky-edu-feedback.trotsky-edu-incorrect")).to_be_visible()
        sync_api.expect(show_answer).to_be_enabled()
        show_answer.click()
        sync_api.expect(widget.locator(".trotsky-edu-feedback")).to_contain_text(right)


@pytest.mark.flaky(reruns=2)
def test_the_progress_widget_counts_an_answer_after_refresh(lab, browser):
    """Answer a question of lesson 00 in the page, press Refresh: the lesson's row counts it, and its bar shows."""
    with _run_in_lab(lab, browser, "lessons/00-start-here.ipynb", screenshot="00-start-here-progress.png") as page:
        before = read_progress(path=lab.progress)  # other tests of this module may have answered some already
        done = lesson_completion("00-start-here", before)
        expected = done.answered + ("start-source-surname" not in before.get("00-start-here", {}))
        widget = page.locator(".trotsky-edu-q-start-source-surname").first
        widget.scroll_into_view_if_needed()
        widget.locator("textarea").fill("He took the name from a jailer; a pen name hides a person and protects him.")
        widget.get_by_role("button", name="Compare with the model answer").click()
        sync_api.expect(widget.locator(".trotsky-edu-feedback")).to_be_visible()
        progress = page.locator(".trotsky-edu-progress").first
        progress.scroll_into_view_if_needed()
        progress.get_by_role("button", name="Refresh").click()
        row = progress.locator("tr", has=page.locator("th", has_text="00-start-here"))
        sync_api.expect(row).to_contain_text(f"{expected} of {done.total}")
        sync_api.expect(progress.locator(".jupyter-widget-hprogress, .widget-hprogress").first).to_be_visible()


@pytest.mark.flaky(reruns=2)
def test_a_student_sees_their_own_order_and_their_written_answer_survives_a_kernel_restart(lab, browser):
    """The options come in this student's order, not as written; after Restart and Run All the order is the
    same and the written answer is back in its box, with the comparison and the ticked rubric point."""
    choice = bank.find_question("demo", "demo-split-1903")
    written = bank.find_question("demo", "demo-testament")
    expected = shuffled([o.text for o in choice.options], student=f"hub:{STUDENT}", key=choice.id)
    assert expected != [o.text for o in choice.options]
    text = "He looks back on forty-three years and insists that he never changed his cause."

    def shown_order(page):
        radios = page.locator(f".trotsky-edu-q-{choice.id}").first.locator(".widget-radio-box label")
        return [radios.nth(i).inner_text().strip() for i in range(radios.count())]

    with _run_in_lab(lab, browser, "examples/exercise-types.ipynb", screenshot="exercise-types-restart.png") as page:
        assert shown_order(page) == expected
        widget = page.locator(f".trotsky-edu-q-{written.id}").first
        widget.scroll_into_view_if_needed()
        widget.locator("textarea").fill(text)
        widget.get_by_role("button", name="Compare with the model answer").click()
        assessment = widget.locator(".trotsky-edu-self-assessment")
        sync_api.expect(assessment).to_be_visible()
        assessment.get_by_label(written.rubric[0], exact=True).check()
        assessment.get_by_role("button", name="Record my self-assessment").click()
        sync_api.expect(widget.locator(".trotsky-edu-status")).to_contain_text("self-assessment: 1 of")

        # A kernel restart, as a student would do it: outputs cleared, then Restart Kernel and Run All.
        page.evaluate("() => window.jupyterapp.commands.execute('editmenu:clear-all')")
        sync_api.expect(page.locator(".trotsky-edu-self-assessment")).to_have_count(0)
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
        page.locator(".jp-Dialog button.jp-mod-accept").click()
        _wait_until_run(page)
        widget = page.locator(f".trotsky-edu-q-{written.id}").first
        widget.scroll_into_view_if_needed()
        sync_api.expect(widget.locator("textarea")).to_have_value(text)
        sync_api.expect(widget.locator(".trotsky-edu-feedback")).to_contain_text(written.model_answer[:40])
        sync_api.expect(widget.locator(".trotsky-edu-self-assessment").get_by_label(written.rubric[0], exact=True)).to_be_checked()
        assert shown_order(page) == expected


def test_the_class_report_opens_offline_and_every_chart_states_its_point(browser, tmp_path):
    """The teacher's report, opened from disk in Chromium with the network refused: every chart's bars drawn, as long
    as their counts, each chart captioned with its point; a student's pasted script is shown as text and never runs."""
    from trotsky_edu import report
    from trotsky_edu.classreport.sample import make_sample_class

    make_sample_class(tmp_path / "class", students=8)
    made = report(tmp_path / "class")
    page_file = made.write_html(tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests, dialogs = [], []

    def offline(route):
        requests.append(route.request.url)
        route.continue_() if route.request.url.startswith("file:") else route.abort()

    def dialog_opened(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.route("**/*", offline)
    page.on("dialog", dialog_opened)
    try:
        page.goto(page_file.as_uri())
        charts = page.locator("main table.bars")
        assert charts.count() == made.options["question_id"].nunique()
        for i in range(charts.count()):
            chart = charts.nth(i)
            assert "chosen on the first try" in chart.locator("caption").inner_text()
            counts = [int(text) for text in chart.locator("tbody td").all_inner_texts()]
            widths = [bar.bounding_box()["width"] for bar in chart.locator("tbody .bar").all()]
            widest = max(counts)
            assert widths[counts.index(widest)] > 50, f"chart {i}: the commonest option's bar is not drawn"
            assert all(abs(w / widths[counts.index(widest)] - c / widest) < 0.05 for w, c in zip(widths, counts)), i
        sync_api.expect(page.locator("blockquote", has_text="<script>alert(")).to_have_count(
            int((made.writings["text"].str.contains("<script>")).sum()))
        assert dialogs == [] and all(url.startswith("file:") for url in requests)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "class-report.png"))
    finally:
        page.close()


def test_the_rendered_course_in_both_editions_and_the_class_report_pass_axe(browser, tmp_path):
    """Every page `trotsky-edu render` writes, student and instructor edition, and the class report: axe-core finds
    no violation at all (AA contrast, header cells with text, links told apart by more than colour, landmarks)."""
    from trotsky_edu import report
    from trotsky_edu.classreport.sample import make_sample_class
    from trotsky_edu.cli import main

    for edition in ("student", "instructor"):
        options = ["--instructor"] if edition == "instructor" else []
        assert main(["render", "--lessons", str(ROOT / "lessons"), "--out", str(tmp_path / edition), *options]) == 0
    make_sample_class(tmp_path / "class", students=8)
    report(tmp_path / "class").write_html(tmp_path / "report.html")
    pages = sorted(tmp_path.glob("*/*.html")) + [tmp_path / "report.html"]
    lessons = len(list(ROOT.glob("lessons/[0-9][0-9]-*.ipynb")))
    assert len(pages) == 2 * (lessons + 1) + 1  # each lesson and the index, in each edition, and the report
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        found = {}
        for path in pages:
            page.goto(path.as_uri())
            found[path.relative_to(tmp_path).as_posix()] = _axe(page, "html")
    finally:
        page.close()
    assert {name: violations for name, violations in found.items() if violations} == {}
