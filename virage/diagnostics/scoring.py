"""Scores of an assessment, computed from plain facts so that they can be checked by hand.

- **A question's score** (0–100): the chosen option's score; for a multiple choice, the sum of the
  chosen options' scores, capped at 100. "Not applicable" gives no score.
- **A dimension's score** (0–100): the weighted mean of its questions' scores,
  ``Σ weight × score / Σ weight``, over the questions answered with something other than "not
  applicable". Unanswered and not-applicable questions are out of the denominator. A dimension
  where no question counts has no score (``None``); one where some questions are still unanswered
  is *partial* (the scores of the questions answered so far, flagged as such).
- **The overall score**: the mean of the dimensions' scores (as shown, rounded to one decimal),
  over the dimensions that have one.
- **The maturity level**: from the overall score, see ``LEVELS``.

Scores are ``Decimal`` rounded half up to one decimal, as shown on the results page and in the CSV.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import MaturityLevel

HUNDRED = Decimal("100")
ONE_DECIMAL = Decimal("0.1")

# (lowest overall score, level): an overall score belongs to the last level whose bound it reaches.
LEVELS = (
    (Decimal("0"), MaturityLevel.BASIC),
    (Decimal("25"), MaturityLevel.DEVELOPING),
    (Decimal("50"), MaturityLevel.ESTABLISHED),
    (Decimal("75"), MaturityLevel.ADVANCED),
)


@dataclass(frozen=True)
class QuestionFacts:
    id: int
    dimension: str
    weight: Decimal


@dataclass(frozen=True)
class AnswerFacts:
    question_id: int
    score: Decimal | None  # None: not applicable
    is_not_applicable: bool = False


@dataclass(frozen=True)
class DimensionResult:
    code: str
    score: Decimal | None
    answered: int
    applicable: int
    questions: int

    @property
    def is_partial(self) -> bool:
        return self.answered < self.questions


def rounded(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def question_score(option_scores: Iterable[Decimal], *, multiple: bool) -> Decimal | None:
    """The score of a question from the scores of the chosen options (None when none is chosen)."""
    scores = [Decimal(score) for score in option_scores]
    if not scores:
        return None
    if multiple:
        return min(HUNDRED, sum(scores, Decimal("0")))
    if len(scores) != 1:
        raise ValueError("A single-answer question has one chosen option.")
    return scores[0]


def dimension_results(questions: Iterable[QuestionFacts], answers: Iterable[AnswerFacts]) -> dict[str, DimensionResult]:
    """Each dimension's score, in the order the dimensions first appear among ``questions``."""
    by_question = {answer.question_id: answer for answer in answers}
    totals: dict[str, dict] = {}
    for question in questions:
        total = totals.setdefault(
            question.dimension,
            {"weighted": Decimal("0"), "weights": Decimal("0"), "answered": 0, "not_applicable": 0, "questions": 0},
        )
        total["questions"] += 1
        answer = by_question.get(question.id)
        if answer is None:
            continue
        total["answered"] += 1
        if answer.is_not_applicable or answer.score is None:
            total["not_applicable"] += 1
            continue
        total["weighted"] += Decimal(question.weight) * Decimal(answer.score)
        total["weights"] += Decimal(question.weight)
    return {
        code: DimensionResult(
            code=code,
            score=rounded(total["weighted"] / total["weights"]) if total["weights"] else None,
            answered=total["answered"],
            applicable=total["questions"] - total["not_applicable"],
            questions=total["questions"],
        )
        for code, total in totals.items()
    }


def overall_score(results: Iterable[DimensionResult]) -> Decimal | None:
    scores = [result.score for result in results if result.score is not None]
    if not scores:
        return None
    return rounded(sum(scores, Decimal("0")) / len(scores))


def maturity_level(score: Decimal | None) -> str:
    if score is None:
        return ""
    level = LEVELS[0][1]
    for bound, name in LEVELS:
        if score >= bound:
            level = name
    return level


def level_bounds() -> list[tuple[str, Decimal, Decimal]]:
    """(level, lowest, highest) for the legend of the results page."""
    bounds = []
    for index, (low, name) in enumerate(LEVELS):
        high = LEVELS[index + 1][0] - ONE_DECIMAL if index + 1 < len(LEVELS) else HUNDRED
        bounds.append((name, low, high))
    return bounds
