"""Scoring against cases computed by hand (see scoring.py for the rules)."""

from decimal import Decimal

import pytest

from virage.diagnostics import scoring
from virage.diagnostics.scoring import AnswerFacts, QuestionFacts

D = Decimal


def test_a_dimension_is_the_weighted_mean_of_its_questions():
    # (2 × 100 + 1 × 60) / (2 + 1) = 260 / 3 = 86.666… → 86.7
    questions = [QuestionFacts(1, "digital_strategy", D("2")), QuestionFacts(2, "digital_strategy", D("1"))]
    answers = [AnswerFacts(1, D("100")), AnswerFacts(2, D("60"))]
    result = scoring.dimension_results(questions, answers)["digital_strategy"]
    assert result.score == D("86.7")
    assert (result.answered, result.applicable, result.questions) == (2, 2, 2)
    assert not result.is_partial


def test_a_multiple_choice_adds_the_chosen_options_up_to_100():
    assert scoring.question_score([D("50"), D("40")], multiple=True) == D("90")
    assert scoring.question_score([D("50"), D("40"), D("30")], multiple=True) == D("100")
    assert scoring.question_score([], multiple=True) is None
    with pytest.raises(ValueError):
        scoring.question_score([D("50"), D("40")], multiple=False)


def test_not_applicable_leaves_the_question_out_of_the_denominator():
    # Question 2 is not applicable: only question 1 counts, 40 × 2 / 2 = 40 (not 80 / 3 = 26.7).
    questions = [QuestionFacts(1, "green_digital", D("2")), QuestionFacts(2, "green_digital", D("1"))]
    answers = [AnswerFacts(1, D("40")), AnswerFacts(2, None, is_not_applicable=True)]
    result = scoring.dimension_results(questions, answers)["green_digital"]
    assert result.score == D("40.0")
    assert (result.answered, result.applicable) == (2, 1)


def test_a_dimension_where_nothing_applies_has_no_score_and_is_left_out_of_the_overall():
    questions = [QuestionFacts(1, "automation_ai", D("1")), QuestionFacts(2, "green_digital", D("1"))]
    answers = [AnswerFacts(1, None, is_not_applicable=True), AnswerFacts(2, D("75"))]
    results = scoring.dimension_results(questions, answers)
    assert results["automation_ai"].score is None
    assert scoring.overall_score(results.values()) == D("75.0")


def test_a_partially_answered_dimension_scores_its_answered_questions_and_says_so():
    # Three questions, weights 1, 1, 2; only the first two answered: (100 + 20) / 2 = 60.
    questions = [
        QuestionFacts(1, "people_skills", D("1")),
        QuestionFacts(2, "people_skills", D("1")),
        QuestionFacts(3, "people_skills", D("2")),
    ]
    result = scoring.dimension_results(questions, [AnswerFacts(1, D("100")), AnswerFacts(2, D("20"))])["people_skills"]
    assert result.score == D("60.0")
    assert result.is_partial and result.answered == 2 and result.questions == 3


def test_the_overall_score_is_the_mean_of_the_rounded_dimension_scores():
    # 86.7, 40.0 and 33.3 (100 / 3): (86.7 + 40.0 + 33.3) / 3 = 53.333… → 53.3
    questions = [
        QuestionFacts(1, "digital_strategy", D("2")),
        QuestionFacts(2, "digital_strategy", D("1")),
        QuestionFacts(3, "data_security", D("1")),
        QuestionFacts(4, "automation_ai", D("1")),
        QuestionFacts(5, "automation_ai", D("2")),
    ]
    answers = [
        AnswerFacts(1, D("100")),
        AnswerFacts(2, D("60")),
        AnswerFacts(3, D("40")),
        AnswerFacts(4, D("100")),
        AnswerFacts(5, D("0")),
    ]
    results = scoring.dimension_results(questions, answers)
    assert [result.score for result in results.values()] == [D("86.7"), D("40.0"), D("33.3")]
    assert scoring.overall_score(results.values()) == D("53.3")


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (D("0"), "basic"),
        (D("24.9"), "basic"),
        (D("25"), "developing"),
        (D("49.9"), "developing"),
        (D("50.0"), "established"),
        (D("75"), "advanced"),
        (D("100"), "advanced"),
        (None, ""),
    ],
)
def test_maturity_levels(score, level):
    assert scoring.maturity_level(score) == level


def test_rounding_is_half_up():
    assert scoring.rounded(D("62.45")) == D("62.5")
    assert scoring.rounded(D("62.44")) == D("62.4")
