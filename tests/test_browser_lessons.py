"""Can a student use every lesson in a real JupyterLab, in a real browser?

nbval never runs widget callbacks in a browser nor looks at images, so these tests start
JupyterLab on a copy of the lessons, open each notebook in headless Chromium, run all
cells, answer one exercise of every type the notebook shows by clicking and typing, and
check the feedback, the images and their alt text, and the browser console.
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


def _answer(widget, question: bank.Question) -> None:
    """Enter the right answer through the page, as a student would."""
    if isinstance(question, bank.SingleChoice):
        right = next(o.text for o in question.options if o.correct)
        widget.get_by_label(right, exact=True).check()
    elif isinstance(question, bank.MultipleChoice):
        for option in question.options:
            if option.correct:
                widget.get_by_label(option.text, exact=True).check()
    elif isinstance(question, bank.Ordering):
        for position, item in enumerate(question.items):
            widget.locator(".widget-dropdown select").nth(position).select_option(label=item)
    elif isinstance(question, bank.Matching):
        for row, pair in enumerate(question.pairs):
            widget.locator(".widget-dropdown select").nth(row).select_option(label=pair.right)
    elif isinstance(question, bank.Estimate):
        box = widget.locator(".widget-inline-hbox input").first
        box.fill(str(question.answer))
        box.press("Enter")
    elif isinstance(question, bank.ShortText):
        box = widget.locator(".widget-text input").first
        box.fill(question.answers[0])
        box.press("Enter")
    elif isinstance(question, bank.SourceAnalysis):
        widget.locator("textarea").fill("Written under pressure; compare with what the speaker said later.")


def _check_feedback(widget, question: bank.Question) -> None:
    if isinstance(question, bank.SourceAnalysis):
        widget.get_by_role("button", name="Compare with the model answer").click()
        sync_api.expect(widget.locator(".trotsky-edu-feedback")).to_contain_text(question.model_answer[:40], timeout=20_000)
        sync_api.expect(widget.locator(".trotsky-edu-self-assessment")).to_be_visible()
    else:
        widget.get_by_role("button", name="Submit").click()
        sync_api.expect(widget.locator(".trotsky-edu-feedback.trotsky-edu-correct")).to_be_visible(timeout=20_000)


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
def test_student_runs_notebook_and_answers_every_exercise_type(lab, browser, notebook):
    with _run_in_lab(lab, browser, notebook.relative_to(ROOT).as_posix(), screenshot=f"{notebook.stem}.png") as page:
        tracebacks = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']", has_text="Traceback")
        assert tracebacks.count() == 0, tracebacks.first.inner_text()

        images = page.locator(".jp-OutputArea-output img")
        if notebook.parent.name == "lessons" and not notebook.stem.startswith("00"):
            assert images.count() >= 2, "a lesson shows at least two plots"
        for i in range(images.count()):
            image = images.nth(i)
            assert (image.get_attribute("alt") or "").strip(), f"image {i} has no alt text"
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"image {i} did not render"

        answered = set()
        for question in _shown_questions(notebook):
            kind = type(question).__name__
            if kind in answered:
                continue
            widget = page.locator(f".trotsky-edu-q-{question.id}").first
            widget.scroll_into_view_if_needed()
            _answer(widget, question)
            _check_feedback(widget, question)
            answered.add(kind)
        assert answered, "the notebook shows no exercise"


@pytest.mark.flaky(reruns=2)
def test_the_succession_explorer_redraws_both_charts_for_the_year_a_student_picks(lab, browser):
    """The slider at the centre of lesson 03, moved with the keyboard: both charts follow it, with alt text."""
    with _run_in_lab(lab, browser, "lessons/03-succession.ipynb", screenshot="03-succession-explorer.png") as page:
        explorer = page.locator(".widget-interact").first
        explorer.scroll_into_view_if_needed()
        posts, alliances = explorer.locator("img").nth(0), explorer.locator("img").nth(1)
        sync_api.expect(alliances).to_have_attribute("alt", re.compile("as they stood in December 1923"))
        handle = explorer.locator(".noUi-handle").first
        handle.focus()
        started = time.perf_counter()
        for _ in range(3):  # 1923 -> 1926, one key press a year
            handle.press("ArrowRight")
        sync_api.expect(explorer.locator(".widget-readout")).to_have_text("1926")
        sync_api.expect(alliances).to_have_attribute("alt", re.compile("as they stood in June 1926"), timeout=30_000)
        sync_api.expect(alliances).to_have_attribute("alt", re.compile("United Opposition"))
        sync_api.expect(posts).to_have_attribute("alt", re.compile("from 1922 to 1926"))
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


def test_the_class_report_opens_offline_and_every_chart_has_its_alt_text(browser, tmp_path):
    """The teacher's report, opened from disk in Chromium with the network refused: every chart drawn, each with alt
    text; a student's pasted script is shown as text and never runs."""
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
        images = page.locator("main img")
        assert images.count() == made.options["question_id"].nunique()
        for i in range(images.count()):
            image = images.nth(i)
            assert "chosen on the first try" in (image.get_attribute("alt") or "")
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"chart {i} did not render"
        sync_api.expect(page.locator("blockquote", has_text="<script>alert(")).to_have_count(
            int((made.writings["text"].str.contains("<script>")).sum()))
        assert dialogs == [] and all(url.startswith("file:") for url in requests)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "class-report.png"))
    finally:
        page.close()
