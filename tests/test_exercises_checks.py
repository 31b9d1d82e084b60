"""Checking answers: pure functions, one per type, that grade and explain and never raise."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trotsky_edu.exercises.bank import (
    Estimate,
    Matching,
    MultipleChoice,
    Option,
    Ordering,
    Pair,
    ShortText,
    SingleChoice,
    SourceAnalysis,
    list_banks,
    load_bank,
)
from trotsky_edu.exercises.checks import (
    Result,
    answer_text,
    check,
    check_estimate,
    check_matching,
    check_multiple_choice,
    check_ordering,
    check_short_text,
    check_single_choice,
    format_number,
    parse_number,
    reveal_source_analysis,
)

COMMON = {"lesson": "t", "prompt": "Q?", "explanation": "Because."}
SINGLE = SingleChoice(id="s", options=(
    Option("Mensheviks", True, "Yes: Martov's side."),
    Option("Bolsheviks", False, "Not in 1903."),
    Option("Bund", False, ""),
), **COMMON)
MULTIPLE = MultipleChoice(id="m", options=(
    Option("Turkey", True, "Yes: 1929-1933."),
    Option("France", True, "Yes: 1933-1935."),
    Option("Germany", False, "No: refused him."),
), **COMMON)
ORDER = Ordering(id="o", items=("a", "b", "c", "d", "e"), **COMMON)
MATCH = Matching(id="x", pairs=(Pair("Martov", "Mensheviks"), Pair("Lenin", "Bolsheviks"), Pair("Mercader", "NKVD")), **COMMON)
YEAR = Estimate(id="e", answer=1905, tolerance=1, close=3, unit="year", unit_plural="years", **COMMON)
CROWD = Estimate(id="c", answer=300000, tolerance=50000, close=150000, unit="person", unit_plural="people", **COMMON)
SHORT = ShortText(id="t", answers=("Alma-Ata", "Almaty"), **COMMON)
NAME = ShortText(id="n", answers=("Trotsky",), **COMMON)
SOURCE = SourceAnalysis(
    id="sa", lesson="t", prompt="Read.", excerpt="Life is beautiful.", speaker="Trotsky", date="1940",
    document="Testament", question="Why?", model_answer="Because he wrote for posterity.",
    rubric=("Uses context.", "Quotes the excerpt."),
)
ALL = [SINGLE, MULTIPLE, ORDER, MATCH, YEAR, CROWD, SHORT, NAME, SOURCE]


def test_result_is_frozen():
    result = Result(correct=True, score=1.0, feedback="ok", explanation="")
    with pytest.raises(AttributeError):
        result.correct = False


# --- single choice ------------------------------------------------------------------------


def test_single_choice_right_option_is_correct_with_its_feedback_and_the_explanation():
    result = check_single_choice(SINGLE, "Mensheviks")
    assert (result.correct, result.score) == (True, 1.0)
    assert result.feedback.startswith("Correct.") and "Martov's side" in result.feedback
    assert result.explanation == "Because."


def test_single_choice_wrong_option_gives_that_options_feedback_and_no_explanation():
    result = check_single_choice(SINGLE, "Bolsheviks")
    assert (result.correct, result.score, result.explanation) == (False, 0.0, "")
    assert result.feedback == "Not yet. Not in 1903."


@pytest.mark.parametrize("answer", [None, "", "mensheviks", 0, ["Mensheviks"]])
def test_single_choice_without_a_known_option_is_not_counted_as_an_attempt(answer):
    result = check_single_choice(SINGLE, answer)
    assert result.answered is False and result.correct is False
    assert "Choose" in result.feedback


# --- multiple choice ----------------------------------------------------------------------


@pytest.mark.parametrize("answer", [["Turkey", "France"], ("France", "Turkey"), {"Turkey", "France"}, ["Turkey", "France", "Turkey"]])
def test_multiple_choice_exactly_the_right_options_in_any_order_with_duplicates_is_correct(answer):
    result = check_multiple_choice(MULTIPLE, answer)
    assert (result.correct, result.score) == (True, 1.0)


def test_multiple_choice_wrong_pick_gets_its_misconception_but_not_the_count_of_right_options():
    result = check_multiple_choice(MULTIPLE, ["Turkey", "Germany"])
    assert result.correct is False
    assert result.score == 0.0  # one right minus one wrong
    assert result.feedback == "Not yet: one of your choices is not right.\n- Germany — No: refused him."
    assert "Turkey" not in result.feedback and "2" not in result.feedback  # neither which right, nor how many
    assert check_multiple_choice(MULTIPLE, ["Turkey"]).score == 0.5


def test_multiple_choice_names_one_wrong_pick_at_a_time_in_the_order_given():
    """Ticking everything and reading the feedback must not list every wrong option at once."""
    everything = [o.text for o in MULTIPLE.options]
    wrong = [o.text for o in MULTIPLE.options if not o.correct]
    for order in (everything, list(reversed(everything))):
        feedback = check_multiple_choice(MULTIPLE, order).feedback
        named = [text for text in wrong if f"- {text} —" in feedback]
        assert named == [next(t for t in order if t in wrong)]


def test_multiple_choice_with_only_right_picks_says_something_is_missing():
    result = check_multiple_choice(MULTIPLE, ["Turkey"])
    assert result.correct is False
    assert "everything you chose is right, but something is missing" in result.feedback


def test_multiple_choice_single_string_counts_as_one_choice():
    assert check_multiple_choice(MULTIPLE, "Turkey").score == 0.5


@pytest.mark.parametrize("answer", [[], None, ["Atlantis"], 5, {"Turkey": True}])
def test_multiple_choice_with_nothing_chosen_is_unanswered(answer):
    assert check_multiple_choice(MULTIPLE, answer).answered is False


# --- ordering -----------------------------------------------------------------------------


def test_ordering_correct_order_is_correct():
    result = check_ordering(ORDER, list("abcde"))
    assert (result.correct, result.score) == (True, 1.0)


def test_ordering_one_swap_gets_partial_credit_and_says_how_many_are_placed_not_which():
    result = check_ordering(ORDER, ["a", "c", "b", "d", "e"])
    assert result.correct is False
    assert result.score == pytest.approx(0.9)
    assert result.feedback == "Not yet: 3 of 5 are in the right place."


def test_ordering_reversed_scores_zero():
    assert check_ordering(ORDER, list("edcba")).score == 0.0


def test_ordering_with_an_item_twice_says_which_is_doubled_and_which_is_missing():
    result = check_ordering(ORDER, ["a", "a", "c", "d", "e"])
    assert result.answered is False
    assert "more than once: a" in result.feedback and "not placed: b" in result.feedback


@pytest.mark.parametrize("answer", [None, "abcde", list("abcd"), [1, 2, 3, 4, 5], {"a": 1}])
def test_ordering_incomplete_or_wrong_type_is_unanswered(answer):
    assert check_ordering(ORDER, answer).answered is False


# --- matching -----------------------------------------------------------------------------


def test_matching_all_pairs_right_is_correct():
    result = check_matching(MATCH, {"Martov": "Mensheviks", "Lenin": "Bolsheviks", "Mercader": "NKVD"})
    assert (result.correct, result.score) == (True, 1.0)


def test_matching_says_how_many_pairs_are_right_not_which_and_scores_the_share_right():
    result = check_matching(MATCH, {"Martov": "Bolsheviks", "Lenin": "Mensheviks", "Mercader": "NKVD"})
    assert result.correct is False
    assert result.score == pytest.approx(1 / 3)
    assert result.feedback == "Not yet: 1 of 3 pairs are right."


@pytest.mark.parametrize("answer", [{}, {"Martov": "Mensheviks"}, {"Martov": None, "Lenin": "x", "Mercader": "NKVD"},
                                    {"Martov": ["unhashable"], "Lenin": {}, "Mercader": "NKVD"}, None, ["Martov"]])
def test_matching_with_items_left_unmatched_is_unanswered(answer):
    result = check_matching(MATCH, answer)
    assert result.answered is False


# --- estimate -----------------------------------------------------------------------------


def test_estimate_exact_answer_is_correct():
    assert check_estimate(YEAR, 1905).feedback == "Correct: 1905."


def test_estimate_within_tolerance_is_correct_and_says_so():
    result = check_estimate(YEAR, 1906)
    assert result.correct is True
    assert "within 1 year" in result.feedback


def test_estimate_within_close_band_gets_half_credit_and_a_direction():
    result = check_estimate(YEAR, 1903)
    assert (result.correct, result.score) == (False, 0.5)
    assert result.feedback == "Close: within 3 years, but not close enough. Try a little later."


def test_estimate_far_off_says_how_far_and_which_way():
    result = check_estimate(YEAR, 1917)
    assert (result.correct, result.score) == (False, 0.0)
    assert result.feedback == "Not yet: more than 3 years out. Try earlier."


def test_estimate_of_a_quantity_uses_its_unit_and_higher_lower():
    assert check_estimate(CROWD, 100000).feedback == "Not yet: more than 150,000 people out. Try higher."
    assert "within 50,000 people" in check_estimate(CROWD, 340000).feedback


def test_estimate_without_a_close_band_still_gives_a_direction():
    exact = Estimate(id="z", answer=1940, unit="year", unit_plural="years", **COMMON)
    assert check_estimate(exact, 1941).feedback == "Not yet: not right. Try earlier."


@pytest.mark.parametrize("text", ["1905", " 1905 ", "1,905", "1905.0", "1 905"])
def test_estimate_reads_numbers_typed_as_text(text):
    assert check_estimate(YEAR, text).correct is True


@pytest.mark.parametrize("answer", ["", "about 1905", None, True, math.nan, math.inf, "1e999", [1905], 10**400])
def test_estimate_without_a_usable_number_is_unanswered(answer):
    result = check_estimate(YEAR, answer)
    assert result.answered is False
    assert "Enter a number, like 1905" in result.feedback


def test_parse_number_handles_unicode_minus_and_rejects_long_text():
    assert parse_number("−12") == -12
    assert parse_number("1" * 200) is None


@pytest.mark.parametrize(("value", "text"), [(1905, "1905"), (300000, "300,000"), (0.5, "0.5"), (2.25, "2.25"), (-3.0, "-3")])
def test_format_number(value, text):
    assert format_number(value) == text


# --- short text ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Alma-Ata", "alma ata", "ALMA-ATA ", "Almaty", "Алма-Ата", "the Alma-Ata"])
def test_short_text_accepts_variants(typed):
    assert check_short_text(SHORT, typed).correct is True


@pytest.mark.parametrize("typed", ["Trotskii", "Trotskiy", "trotsky", "Троцкий"])
def test_short_text_accepts_transliterations_and_names_the_usual_spelling(typed):
    result = check_short_text(NAME, typed)
    assert result.correct is True
    assert "usually written 'Trotsky'" in result.feedback


def test_short_text_usual_spelling_needs_no_note():
    assert check_short_text(NAME, "Trotsky").feedback == "Correct."


def test_short_text_near_miss_suggests_the_spelling():
    result = check_short_text(NAME, "Trotksy")
    assert result.correct is False
    assert result.feedback == "Close: check the spelling."


def test_short_text_wrong_answer():
    assert check_short_text(NAME, "Stalin").feedback == "Not yet."


@pytest.mark.parametrize("typed", ["", "   ", "\n\t", None, ["Trotsky"]])
def test_short_text_empty_is_unanswered(typed):
    assert check_short_text(NAME, typed).answered is False


def test_short_text_very_long_answer_is_wrong_with_a_reason():
    result = check_short_text(NAME, "Trotsky " * 10_000)
    assert result.correct is False and "characters long" in result.feedback


def test_short_text_punctuation_only_is_wrong_not_an_error():
    assert check_short_text(NAME, "?!").correct is False


# --- source analysis ----------------------------------------------------------------------


def test_source_analysis_is_not_graded_and_reveals_model_answer_and_rubric():
    result = reveal_source_analysis(SOURCE, "He is looking back on his whole life.")
    assert result.correct is None and result.answered is True
    assert "Model answer: Because he wrote for posterity." in result.feedback
    assert "- Uses context.\n- Quotes the excerpt." in result.feedback


@pytest.mark.parametrize("response", ["", "  ", None, 3, "He is looking back."])
def test_source_analysis_reveals_nothing_until_the_student_has_written_enough(response):
    result = reveal_source_analysis(SOURCE, response)
    assert result.answered is False
    assert result.feedback.startswith("Write your own answer first (at least 5 words)")
    assert "posterity" not in result.feedback and "Uses context" not in result.feedback


# --- dispatch and answer text ---------------------------------------------------------------


def test_check_dispatches_on_the_question_type():
    assert check(SINGLE, "Mensheviks").correct is True
    assert check(SOURCE, "one two three four five").correct is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (SINGLE, "Answer: Mensheviks"),
        (MULTIPLE, "Answer: Turkey; France"),
        (ORDER, "Answer, in order:\n1. a\n2. b\n3. c\n4. d\n5. e"),
        (MATCH, "Answer:\n- Martov → Mensheviks\n- Lenin → Bolsheviks\n- Mercader → NKVD"),
        (YEAR, "Answer: 1905 (anything from 1904 to 1906 is accepted)"),
        (SHORT, "Answer: Alma-Ata (also accepted: Almaty)"),
        (NAME, "Answer: Trotsky"),
    ],
)
def test_answer_text_states_the_right_answer(question, expected):
    assert answer_text(question) == expected


def test_answer_text_of_source_analysis_is_the_model_answer_and_rubric():
    assert "Model answer: Because he wrote for posterity." in answer_text(SOURCE)


# --- fuzzing: nothing a student can enter makes a check raise -------------------------------

BANK_QUESTIONS = [q for lesson in list_banks() for q in load_bank(lesson)]
TEXTS = sorted({t for q in ALL + BANK_QUESTIONS for t in (
    [o.text for o in getattr(q, "options", ())] + list(getattr(q, "items", ()))
    + [p.right for p in getattr(q, "pairs", ())] + [p.left for p in getattr(q, "pairs", ())]
    + list(getattr(q, "answers", ()))
)})
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary() | st.sampled_from(TEXTS)
ANSWERS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=10) | st.tuples(inner, inner) | st.frozensets(st.sampled_from(TEXTS))
    | st.dictionaries(st.sampled_from(TEXTS) | st.text(), inner, max_size=8),
    max_leaves=20,
)


def _well_formed(result):
    assert isinstance(result, Result)
    assert result.correct in (True, False, None)
    assert 0.0 <= result.score <= 1.0
    assert isinstance(result.feedback, str) and result.feedback
    assert isinstance(result.explanation, str)


@settings(max_examples=300, deadline=None)
@given(question=st.sampled_from(ALL + BANK_QUESTIONS), answer=ANSWERS)
def test_checks_never_raise_and_always_return_a_result(question, answer):
    _well_formed(check(question, answer))


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=0, max_size=5000))
def test_short_text_and_estimate_accept_any_unicode_text(text):
    for question in (NAME, SHORT, YEAR, CROWD, SOURCE):
        _well_formed(check(question, text))


@settings(max_examples=200, deadline=None)
@given(order=st.permutations(list("abcde")))
def test_any_permutation_scores_between_0_and_1_and_only_the_right_one_is_correct(order):
    result = check_ordering(ORDER, order)
    assert result.correct is (order == list("abcde"))
    assert 0.0 <= result.score <= 1.0
