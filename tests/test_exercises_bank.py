"""Question banks: loading, and validation that reports every problem with file, id, field and fix."""

import copy

import pytest
import yaml

from trotsky_edu.exercises.bank import (
    TYPES,
    Bank,
    BankError,
    Estimate,
    SourceAnalysis,
    find_question,
    list_banks,
    load_bank,
    read_bank,
    validate_banks,
)

VALID = {
    "single_choice": {
        "id": "q-single", "type": "single_choice", "prompt": "Which?", "explanation": "Why.",
        "options": [{"text": "A", "correct": True, "feedback": "Yes"}, {"text": "B", "correct": False}],
    },
    "multiple_choice": {
        "id": "q-multi", "type": "multiple_choice", "prompt": "Which?", "explanation": "Why.",
        "options": [{"text": "A", "correct": True}, {"text": "B", "correct": False}],
    },
    "ordering": {"id": "q-order", "type": "ordering", "prompt": "Order", "explanation": "Why.", "items": ["a", "b", "c", "d"]},
    "matching": {
        "id": "q-match", "type": "matching", "prompt": "Match", "explanation": "Why.",
        "pairs": [{"left": "L1", "right": "R1"}, {"left": "L2", "right": "R2"}],
    },
    "estimate": {"id": "q-est", "type": "estimate", "prompt": "When?", "explanation": "Why.", "answer": 1905},
    "short_text": {"id": "q-short", "type": "short_text", "prompt": "Who?", "explanation": "Why.", "answers": ["Trotsky"]},
    "source_analysis": {
        "id": "q-source", "type": "source_analysis", "excerpt": "Words.", "speaker": "Trotsky", "date": "1940",
        "document": "Testament", "question": "Why?", "model_answer": "Because.", "rubric": ["Uses context."],
    },
}


def write_bank(tmp_path, questions, *, lesson="t-lesson", extra=None):
    path = tmp_path / f"{lesson}.yaml"
    path.write_text(yaml.safe_dump({"lesson": lesson, "questions": questions, **(extra or {})}, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(tmp_path, questions, **kwargs):
    with pytest.raises(BankError) as caught:
        read_bank(write_bank(tmp_path, questions, **kwargs))
    return caught.value.problems


def variant(kind, **changes):
    question = copy.deepcopy(VALID[kind])
    for key, value in changes.items():
        if value is None:
            question.pop(key, None)
        else:
            question[key] = value
    return question


# --- the bundled banks ------------------------------------------------------------------------


def test_every_bundled_bank_is_valid_and_ids_are_unique_across_the_course():
    assert validate_banks() == []


def test_demo_bank_has_every_question_type():
    assert {q.type for q in load_bank("demo")} == set(TYPES)


def test_list_banks_includes_demo_and_not_the_readme():
    banks = list_banks()
    assert "demo" in banks and "README" not in banks


def test_find_question_returns_the_typed_question():
    question = find_question("demo", "demo-soviet-year")
    assert isinstance(question, Estimate)
    assert (question.answer, question.close, question.units(2), question.lesson) == (1905, 2, "years", "demo")


def test_unknown_lesson_names_the_banks_there_are_and_read_bank():
    with pytest.raises(BankError, match=r"no question bank for lesson 'nope'.*demo.*read_bank\(path\)"):
        load_bank("nope")


def test_unknown_question_suggests_the_nearest_id():
    with pytest.raises(BankError, match=r"Did you mean 'demo-alma-ata'\?"):
        find_question("demo", "demo-alma-atta")


# --- reading files ------------------------------------------------------------------------------


def test_every_valid_type_reads(tmp_path):
    bank = read_bank(write_bank(tmp_path, list(VALID.values())))
    assert isinstance(bank, Bank)
    assert [q.type for q in bank] == list(VALID)
    assert bank.ids() == [q["id"] for q in VALID.values()]


def test_source_analysis_prompt_defaults_and_explanation_is_optional(tmp_path):
    question = read_bank(write_bank(tmp_path, [VALID["source_analysis"]])).question("q-source")
    assert isinstance(question, SourceAnalysis)
    assert question.prompt.startswith("Read the excerpt") and question.explanation == ""


def test_empty_bank_of_a_new_lesson_is_valid(tmp_path):
    assert len(read_bank(write_bank(tmp_path, []))) == 0


def test_estimate_defaults_close_to_tolerance_and_plural_unit(tmp_path):
    question = read_bank(write_bank(tmp_path, [variant("estimate", tolerance=2, unit="year")])).question("q-est")
    assert (question.tolerance, question.close, question.unit_plural) == (2, 2, "years")


def test_numbers_and_dates_yaml_parsed_become_text(tmp_path):
    path = tmp_path / "t-lesson.yaml"
    path.write_text(
        "lesson: t-lesson\nquestions:\n"
        "  - {id: q1, type: single_choice, prompt: Year?, explanation: x, options: [{text: 1917, correct: true}, {text: 1918, correct: false}]}\n"
        "  - {id: q2, type: source_analysis, excerpt: e, speaker: s, date: 1940-02-27, document: d, question: q, model_answer: m, rubric: [r]}\n",
        encoding="utf-8",
    )
    bank = read_bank(path)
    assert [o.text for o in bank.question("q1").options] == ["1917", "1918"]
    assert bank.question("q2").date == "1940-02-27"


def test_a_single_hint_string_counts_as_one_hint(tmp_path):
    question = read_bank(write_bank(tmp_path, [variant("short_text", hints="Think of Kazakhstan.")])).question("q-short")
    assert question.hints == ("Think of Kazakhstan.",)


def test_edits_to_a_file_are_seen_on_the_next_read(tmp_path):
    path = write_bank(tmp_path, [VALID["short_text"]])
    assert read_bank(path).question("q-short").answers == ("Trotsky",)
    write_bank(tmp_path, [variant("short_text", answers=["Bronstein"])])
    assert read_bank(path).question("q-short").answers == ("Bronstein",)


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "field", "says"),
    [
        (variant("short_text", prompt=None), "prompt", "is missing"),
        (variant("short_text", explanation=None), "explanation", "is missing"),
        (variant("short_text", type="short_txt"), "type", "did you mean 'short_text'"),
        (variant("short_text", hint=["x"]), "hint", "did you mean 'hints'"),
        (variant("short_text", options=[]), "options", "belongs to single_choice and multiple_choice questions"),
        (variant("short_text", id="Bad Id"), "id", "lower-case letters, digits and hyphens"),
        (variant("short_text", hints=["1", "2", "3", "4"]), "hints", "at most 3"),
        (variant("short_text", hints=["ok", ""]), "hints[1]", "is empty"),
        (variant("short_text", source="wp-nowhere"), "source", "not a source_id in data/sources.csv"),
        (variant("short_text", answers=["—"]), "answers[0]", "no letters or digits"),
        (variant("short_text", answers="Trotsky"), "answers", "must be a list"),
        (variant("short_text", answers=[True]), "answers[0]", "put the text in quotes"),
        (variant("short_text", prompt={"a": 1}), "prompt", "must be text"),
        (variant("single_choice", options=[{"text": "A", "correct": True}, {"text": "B", "correct": True}]),
         "options", "exactly one"),
        (variant("single_choice", options=[{"text": "A", "correct": "yes"}, {"text": "B", "correct": False}]),
         "options[0].correct", "true or false"),
        (variant("single_choice", options=[{"text": "A", "correct": True}]), "options", "at least 2"),
        (variant("single_choice", options=[{"text": "A", "correct": True}, {"text": "A", "correct": False}]),
         "options", "'A' appears twice"),
        (variant("single_choice", options=[{"text": "A", "correct": True}, {"text": "B", "corect": False}]),
         "options[1].corect", "unknown key"),
        (variant("multiple_choice", options=[{"text": "A", "correct": False}, {"text": "B", "correct": False}]),
         "options", "no option marked correct"),
        (variant("ordering", items=["a", "b", "c"]), "items", "at least 4"),
        (variant("ordering", items=list("abcdefghi")), "items", "at most 8"),
        (variant("ordering", items=["a", "b", "c", "a"]), "items", "'a' appears twice"),
        (variant("ordering", event_ids=["e1"]), "event_ids", "1 ids for 4 items"),
        (variant("matching", pairs=[{"left": "L1", "right": "R"}, {"left": "L2", "right": "R"}]), "pairs", "the right item 'R' appears twice"),
        (variant("matching", pairs=[{"left": "L1", "right": ""}, {"left": "L2", "right": "R2"}]), "pairs[0]", "non-empty left"),
        (variant("matching", pairs="L1=R1"), "pairs", "must be a list"),
        (variant("estimate", answer="1905"), "answer", "a number without quotes"),
        (variant("estimate", answer=None), "answer", "is missing"),
        (variant("estimate", tolerance=-1), "tolerance", "at least 0"),
        (variant("estimate", tolerance=5, close=2), "close", "must not be smaller than tolerance"),
        (variant("source_analysis", model_answer=None), "model_answer", "is missing"),
        (variant("source_analysis", rubric=[]), "rubric", "at least 1"),
    ],
)
def test_each_problem_names_file_question_field_and_fix(tmp_path, question, field, says):
    problems = problems_of(tmp_path, [question])
    expected_start = f"t-lesson.yaml, question {question['id']!r}, field {field!r}:"
    assert any(p.split(tmp_path.as_posix() + "/")[-1].startswith(expected_start) and says in p for p in problems), problems


def test_all_problems_are_reported_at_once(tmp_path):
    questions = [variant("short_text", prompt=None), variant("estimate", answer="x"), variant("ordering", items=["a"])]
    with pytest.raises(BankError) as caught:
        read_bank(write_bank(tmp_path, questions))
    assert len(caught.value.problems) == 3
    message = str(caught.value)
    assert message.startswith(f"The question bank {tmp_path / 't-lesson.yaml'} has 3 problem(s):")
    assert all(p in message for p in caught.value.problems)


def test_a_question_without_an_id_is_named_by_its_position(tmp_path):
    problems = problems_of(tmp_path, [VALID["short_text"], variant("estimate", id=None)])
    assert any("question #2, field 'id': is missing" in p for p in problems)


def test_two_questions_with_one_id_are_reported(tmp_path):
    problems = problems_of(tmp_path, [VALID["short_text"], variant("estimate", id="q-short")])
    assert any("'q-short', field 'id': used by two questions" in p for p in problems)


def test_lesson_field_must_match_the_file_name(tmp_path):
    problems = problems_of(tmp_path, [VALID["short_text"]], extra={"lesson": "01-other"})
    assert any("field 'lesson': must be 't-lesson'" in p for p in problems)


def test_unknown_top_level_key_is_reported(tmp_path):
    problems = problems_of(tmp_path, [VALID["short_text"]], extra={"title": "x"})
    assert any("unknown top-level key 'title'" in p for p in problems)


@pytest.mark.parametrize(("text", "says"), [
    ("- just a list\n", "must be a mapping with the keys 'lesson' and 'questions'"),
    ("lesson: t-lesson\nquestions: 5\n", "must be a list of questions"),
    ("lesson: t-lesson\nquestions:\n  - just text\n", "question #1: must be a mapping"),
])
def test_wrong_shapes_are_explained(tmp_path, text, says):
    path = tmp_path / "t-lesson.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BankError, match=says):
        read_bank(path)


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "t-lesson.yaml"
    path.write_text("lesson: t-lesson\nquestions:\n  - id: a\n    prompt: [unclosed\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"t-lesson.yaml \(line \d+, column \d+\): this is not valid YAML"):
        read_bank(path)


def test_a_key_written_twice_is_an_error_not_silently_overwritten(tmp_path):
    path = tmp_path / "t-lesson.yaml"
    path.write_text("lesson: t-lesson\nquestions:\n  - id: a\n    prompt: one\n    prompt: two\n", encoding="utf-8")
    with pytest.raises(BankError, match="the key 'prompt' is written twice"):
        read_bank(path)


def test_yaml_tags_that_build_python_objects_are_refused(tmp_path):
    path = tmp_path / "t-lesson.yaml"
    path.write_text("lesson: !!python/object/apply:os.getcwd []\nquestions: []\n", encoding="utf-8")
    with pytest.raises(BankError, match="not valid YAML"):
        read_bank(path)


def test_missing_file_is_explained(tmp_path):
    with pytest.raises(BankError, match="Cannot read the question bank .*Check the path"):
        read_bank(tmp_path / "absent.yaml")


def test_validate_banks_finds_ids_used_in_two_files(tmp_path):
    write_bank(tmp_path, [VALID["short_text"]], lesson="01-a")
    write_bank(tmp_path, [VALID["short_text"]], lesson="02-b")
    assert validate_banks(tmp_path) == [
        "02-b.yaml, question 'q-short', field 'id': already used in 01-a.yaml; ids must be unique across the course."
    ]


def test_validate_banks_collects_problems_of_every_file(tmp_path):
    write_bank(tmp_path, [variant("short_text", prompt=None)], lesson="01-a")
    write_bank(tmp_path, [variant("estimate", answer=None)], lesson="02-b")
    problems = validate_banks(tmp_path)
    assert len(problems) == 2 and problems[0].startswith("01-a.yaml") and problems[1].startswith("02-b.yaml")
