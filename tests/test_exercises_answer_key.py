"""The answer key: self_check answers every question wrong, then right, then asks for the answer."""

import pytest
import yaml

import trotsky_edu
from trotsky_edu.exercises import answer_key
from trotsky_edu.exercises.answer_key import right_answer, self_check, wrong_answer
from trotsky_edu.exercises.bank import list_banks, load_bank, read_bank
from trotsky_edu.exercises.checks import check

EVERY_QUESTION = [q for lesson in list_banks() for q in load_bank(lesson)]


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(path))
    return path


def test_self_check_prints_a_deterministic_summary_and_records_nothing(capsys, progress_file):
    assert trotsky_edu.self_check("demo") is None
    assert capsys.readouterr().out == (
        "8 questions checked: 7 auto-graded answered right and wrong as expected; "
        "1 source analysis revealed its model answer.\n"
    )
    assert not progress_file.exists()


@pytest.mark.parametrize("lesson", list_banks())
def test_self_check_passes_for_every_bundled_bank(lesson, capsys):
    self_check(lesson)
    assert "checked:" in capsys.readouterr().out


def test_self_check_names_each_question_that_fails(monkeypatch):
    monkeypatch.setattr(answer_key, "right_answer", wrong_answer)
    with pytest.raises(AssertionError) as caught:
        self_check("demo")
    message = str(caught.value)
    assert message.startswith("self_check('demo') found 7 problem(s):")
    assert "demo-alma-ata: the right answer 'Nobody in particular' was not accepted ('Not yet.')" in message


def test_self_check_catches_a_wrong_answer_marked_right(monkeypatch):
    monkeypatch.setattr(answer_key, "wrong_answer", right_answer)
    with pytest.raises(AssertionError, match="demo-alma-ata: the wrong answer 'Alma-Ata' was not marked wrong"):
        self_check("demo")


def test_self_check_catches_show_answer_not_showing_the_answer(monkeypatch):
    monkeypatch.setattr(answer_key, "answer_text", lambda question: "an answer the widget never shows")
    with pytest.raises(AssertionError) as caught:
        self_check("demo")
    assert "demo-alma-ata: 'Show answer' did not show the answer after a right answer." in str(caught.value)


def test_self_check_summary_without_source_analysis(tmp_path, monkeypatch, capsys):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"lesson": "t", "questions": [
        {"id": "n", "type": "short_text", "prompt": "Who?", "explanation": "x", "answers": ["Trotsky"]}]}))
    monkeypatch.setattr(answer_key, "load_bank", lambda lesson: read_bank(path))
    self_check("t")
    assert capsys.readouterr().out == "1 question checked: 1 auto-graded answered right and wrong as expected.\n"


@pytest.mark.parametrize("question", [q for q in EVERY_QUESTION if q.type != "source_analysis"], ids=lambda q: q.id)
def test_right_answer_is_accepted_and_wrong_answer_rejected(question):
    assert check(question, right_answer(question)).correct is True
    wrong = check(question, wrong_answer(question))
    assert wrong.correct is False and wrong.answered


def test_source_analysis_has_no_wrong_answer():
    question = load_bank("demo").question("demo-testament")
    with pytest.raises(ValueError, match="not graded"):
        wrong_answer(question)


def test_self_check_sends_nothing_to_the_browser(monkeypatch, capsys):
    """Its widgets are never shown, so none of them may open a comm to the front end."""
    import comm

    opened = []
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: opened.append(kwargs) or comm.DummyComm(**kwargs))
    self_check("demo")
    assert opened == []
    trotsky_edu.exercise("demo", "demo-alma-ata")  # shown widgets still get real comms afterwards
    assert opened and all(kwargs["target_name"] == "jupyter.widget" for kwargs in opened)
