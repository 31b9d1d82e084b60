"""Item-writing rules: each give-away is reported with the bank file, the question id and the fix; good items pass."""

import copy

import pytest
import yaml

from trotsky_edu.exercises.bank import load_bank, read_bank
from trotsky_edu.exercises.item_rules import bank_problems, copied_options, guessing_problems
from trotsky_edu.exercises.progress import course_lessons

GOOD_HINTS = [
    "Look at the section on the 1903 congress and what each side wanted of a member.",
    "Ask which side valued a broad membership over a tight organisation.",
    "Lenin had counted on him; think about why he felt let down afterwards.",
]
GOOD = {
    "id": "t-split", "type": "single_choice", "kind": "cause", "objective": "O1",
    "prompt": "At the 1903 congress, which side did Trotsky take, and why?",
    "options": [
        {"text": "Lenin's, for a party of disciplined professionals", "correct": False,
         "feedback": "Lenin expected that, but Trotsky voted the other way at the congress."},
        {"text": "Martov's, for a party open to sympathisers", "correct": True, "feedback": "Yes."},
        {"text": "Plekhanov's, for the old guard of émigré leaders", "correct": False,
         "feedback": "Plekhanov sided with Lenin in 1903, so there was no third side to take."},
    ],
    "explanation": "He sided with Martov.",
    "hints": GOOD_HINTS,
}


def bank_file(tmp_path, *questions, lesson="01-test"):
    path = tmp_path / f"{lesson}.yaml"
    path.write_text(yaml.safe_dump({"lesson": lesson, "questions": list(questions)}, allow_unicode=True))
    return path


def problems(tmp_path, *questions, lesson="01-test"):
    return bank_problems(read_bank(bank_file(tmp_path, *questions, lesson=lesson)))


def changed(**fields):
    question = copy.deepcopy(GOOD)
    question.update(fields)
    return question


def test_a_well_written_question_has_no_problem(tmp_path):
    assert problems(tmp_path, GOOD) == []


def test_every_bundled_bank_follows_the_rules():
    for lesson in [*course_lessons(), "demo"]:
        assert bank_problems(load_bank(lesson)) == [], lesson


def test_every_message_names_the_bank_file_and_the_question(tmp_path):
    found = problems(tmp_path, changed(kind=None, hints=[]))
    assert found and all(p.startswith(f"{tmp_path / '01-test.yaml'}, question 't-split'") for p in found)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (changed(kind=None), "has no 'kind' — say what kind of thinking it asks for"),
        (changed(objective=None), "has no 'objective' — name the lesson objective"),
        (changed(hints=GOOD_HINTS[:1]), "has 1 hint(s) — write 2 or 3: the first points to the evidence"),
        (changed(hints=["Think hard about it.", *GOOD_HINTS[1:]]), "the first hint should point to the evidence"),
        (changed(hints=[*GOOD_HINTS[:2], "Two of these are correct."]), "announces how many options are right"),
        (changed(hints=[*GOOD_HINTS[:2], "He wanted a party open to sympathisers."]),
         "shares the words open, sympathiser with the right option"),
        (changed(options=[*GOOD["options"][:2], {"text": "None of the above", "correct": False,
                                                  "feedback": "There is a right answer among the options."}]),
         "is an 'all/none of the above' option"),
        (changed(options=[*GOOD["options"][:2], {"text": "Plekhanov's old guard", "correct": False, "feedback": "No."}]),
         "a wrong option needs feedback that says why it is wrong"),
        (changed(options=[GOOD["options"][0] | {"text": "Lenin's"}, GOOD["options"][1],
                          GOOD["options"][2] | {"text": "Plekhanov's"}]),
         "the right option stands out by length"),
    ],
    ids=["kind", "objective", "one hint", "first hint", "count", "answer words", "none of the above",
         "distractor feedback", "length"],
)
def test_each_give_away_is_reported_with_its_fix(tmp_path, question, expected):
    assert any(expected in p for p in problems(tmp_path, question)), problems(tmp_path, question)


def test_a_demo_bank_needs_no_objective(tmp_path):
    assert problems(tmp_path, changed(objective=None), lesson="demo") == []


def test_short_text_hints_may_not_hold_the_answer_or_its_first_letters(tmp_path):
    base = {"id": "t-name", "type": "short_text", "kind": "recall", "objective": "O1", "prompt": "Who killed him?",
            "answers": ["Ramón Mercader", "Mercader"], "explanation": "Mercader."}
    leaks = {
        "It begins with 'Mer'.": "gives away letters of the answer",
        "Read the last section: his name is Mercader.": "contains the accepted answer 'Mercader'",
        "Look at the section on 1940. M-E-R": "spells out the start of the answer",
        "Look at the section on 1940: 'Merc'": "spells out the start of the answer",
    }
    for leak, expected in leaks.items():
        question = base | {"hints": ["Look at the section on August 1940.", leak]}
        assert any(expected in p for p in problems(tmp_path, question)), leak
    assert problems(tmp_path, base | {"hints": ["Look at the section on August 1940.", "He used a false name."]}) == []


def test_estimate_hints_may_not_hold_the_number_or_the_finished_sum(tmp_path):
    base = {"id": "t-days", "type": "estimate", "kind": "chronology", "objective": "O1", "prompt": "How many days?",
            "answer": 23, "explanation": "23."}
    for leak, expected in {"10 + 13 = 23": "gives the finished arithmetic", "It was 23.": "contains the answer 23"}.items():
        question = base | {"hints": ["Look at the calendar section.", leak]}
        assert any(expected in p for p in problems(tmp_path, question)), leak
    ok = base | {"hints": ["Look at the calendar section.", "Add the 13 days of the gap to the 10 you counted."]}
    assert problems(tmp_path, ok) == []


def test_matching_hints_may_not_pair_an_item_with_its_match(tmp_path):
    question = {"id": "t-match", "type": "matching", "kind": "recall", "objective": "O1", "prompt": "Match them.",
                "pairs": [{"left": "Martov", "right": "Led the Mensheviks"}, {"left": "Lenin", "right": "Led the Bolsheviks"}],
                "explanation": "x", "hints": ["Look at the 1903 section.", "Martov's side became the Mensheviks."]}
    assert any("names 'Martov' together with words of its match (menshevik)" in p for p in problems(tmp_path, question))


def test_right_options_concentrated_in_one_written_position_are_reported(tmp_path):
    first = [changed(id=f"t-{n}", options=[GOOD["options"][1], GOOD["options"][0], GOOD["options"][2]]) for n in range(3)]
    assert any("the right option is written at position 1 in 3 of 3 single-choice questions" in p
               for p in problems(tmp_path, *first))
    mixed = [first[0], changed(id="t-1"), changed(id="t-2", options=[*GOOD["options"][::2], GOOD["options"][1]])]
    assert not any("is written at position" in p for p in problems(tmp_path, *mixed))


def test_a_bank_whose_right_options_are_usually_the_longest_is_reported(tmp_path):
    longest = {"text": "Martov's, for a party open to all sympathisers", "correct": True, "feedback": "Yes."}
    questions = [changed(id=f"t-{n}", options=[GOOD["options"][0] | {"text": "Lenin's"}, longest,
                                               GOOD["options"][2] | {"text": "Plekhanov's old guard"}]) for n in range(3)]
    assert any("the right option is the longest in 3 of 3 single-choice questions" in p for p in problems(tmp_path, *questions))


def test_multiple_choice_with_every_right_option_written_first_is_reported(tmp_path):
    option = {"correct": False, "feedback": "This one is wrong for a reason stated here."}
    right = [{"text": f"True statement {n}", "correct": True, "feedback": "True."} for n in "ab"]
    wrong = [option | {"text": f"False statement {n}"} for n in "cd"]
    base = changed(type="multiple_choice", hints=GOOD_HINTS)
    questions = [base | {"id": f"t-{n}", "options": right + wrong} for n in range(2)]
    assert any("every right option is written before every wrong one" in p for p in problems(tmp_path, *questions))
    questions[1]["options"] = [right[0], wrong[0], right[1], wrong[1]]
    assert not any("written before every wrong one" in p for p in problems(tmp_path, *questions))


def test_options_copied_from_the_text_above_are_found_by_their_words(tmp_path):
    question = read_bank(bank_file(tmp_path, changed(options=[
        {"text": "Newly elected soviets, open to socialist and anarchist groups", "correct": True},
        {"text": "Lenin's party", "correct": False, "feedback": "x"}]))).question("t-split")
    text = "The sailors asked for *newly elected soviets* — open to socialist and anarchist groups — and more."
    assert list(copied_options(question, text)) == ["Newly elected soviets, open to socialist and anarchist groups"]
    assert list(copied_options(question, "The sailors wanted soviets elected anew, with every left party in them.")) == []


def test_guessing_far_from_chance_either_way_is_reported_with_the_questions_to_fix(tmp_path):
    def bank(name, hint_word_on_right):
        questions = []
        for n in range(6):
            options = copy.deepcopy(GOOD["options"])
            options[1 if hint_word_on_right else 0]["text"] += " (like the Iskra board)"
            hints = [*GOOD_HINTS[:2], "Think of the Iskra board."]
            questions.append(changed(id=f"{name}-{n}", options=options, hints=hints))
        return read_bank(bank_file(tmp_path, *questions, lesson=f"0{int(hint_word_on_right)}-{name}"))

    def by_hints(banks):
        return [p for p in guessing_problems(banks) if "with the hints" in p]

    [toward] = by_hints([bank("toward", True)])
    assert "shares most words with the hints scores 3.00× chance" in toward and "toward-0" in toward
    [away] = by_hints([bank("away", False)])
    assert "scores 0.00× chance" in away and "so avoiding it pays" in away and "away-5" in away
