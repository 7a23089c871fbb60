"""Reads of diagnostics shared by pages, the PDF and the API: the questionnaire to answer, results,
peers, lists, and the program's maturity gain.

Results, peers and gains read the stored scores (``DimensionScore``, ``Assessment.overall_score``),
never the answers, so that each is a fixed number of small indexed queries at province scale.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from . import scoring
from .models import (
    Answer,
    Assessment,
    Dimension,
    DimensionCode,
    DimensionScore,
    Question,
    Recommendation,
)
from .permissions import assessments_for

# Peer averages are shown only for groups of at least this many other organizations.
PEER_MINIMUM = 10
GAIN_BUCKETS = (
    ("loss_10", None, Decimal("-10")),
    ("loss", Decimal("-10"), Decimal("0")),
    ("gain_0_10", Decimal("0"), Decimal("10")),
    ("gain_10_20", Decimal("10"), Decimal("20")),
    ("gain_20", Decimal("20"), None),
)
EVENT_BANDS = (("none", 0, 0), ("one_or_two", 1, 2), ("three_or_more", 3, None))
PATH_BANDS = (("none", 0, 0), ("one_or_more", 1, None))


def questionnaire_of(assessment: Assessment) -> list[Dimension]:
    """The dimensions of the assessment's version with their questions, options and the answers given (4 queries)."""
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(assessment=assessment).prefetch_related("options")
    }
    dimensions = list(
        Dimension.objects.filter(version_id=assessment.version_id).prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("options"))
        )
    )
    for dimension in dimensions:
        dimension.answered = 0
        for question in dimension.questions.all():
            question.answer = answers.get(question.pk)
            if question.answer is not None:
                dimension.answered += 1
                chosen = (
                    {option.pk for option in question.answer.options.all()}
                    if question.is_multiple
                    else {question.answer.option_id}
                )
            else:
                chosen = set()
            question.chosen = chosen
        dimension.question_total = len(dimension.questions.all())
    return dimensions


@dataclass
class DimensionRow:
    code: str
    label: str
    score: Decimal | None
    answered: int = 0
    applicable: int = 0
    questions: int = 0
    baseline: Decimal | None = None
    gain: Decimal | None = None
    peers: Decimal | None = None


@dataclass
class Results:
    assessment: Assessment
    rows: list[DimensionRow]
    baseline: Assessment | None
    peer_count: int
    peer_overall: Decimal | None
    peers_shown: bool
    plan: list[Recommendation] = field(default_factory=list)


def _label(code: str) -> str:
    return str(DimensionCode(code).label) if code in DimensionCode.values else code


def peer_averages(assessment: Assessment) -> tuple[dict[str, tuple[Decimal, int]], Decimal | None, int]:
    """Averages of the organizations of the same kind and region in the program, their latest
    assessments, this organization left out (2 queries). Groups under ``PEER_MINIMUM`` are not returned.
    """
    scores = (
        DimensionScore.objects.filter(
            program_id=assessment.program_id,
            organization_kind=assessment.organization_kind,
            region_id=assessment.region_id,
            is_latest=True,
            score__isnull=False,
        )
        .exclude(organization_id=assessment.organization_id)
        .order_by()
        .values("code")
        .annotate(average=Avg("score"), count=Count("id"))
    )
    by_code = {
        row["code"]: (scoring.rounded(Decimal(row["average"])), row["count"])
        for row in scores
        if row["count"] >= PEER_MINIMUM
    }
    overall = (
        Assessment.objects.filter(
            program_id=assessment.program_id,
            organization_kind=assessment.organization_kind,
            region_id=assessment.region_id,
            is_latest=True,
            overall_score__isnull=False,
        )
        .exclude(organization_id=assessment.organization_id)
        .aggregate(average=Avg("overall_score"), count=Count("id"))
    )
    count = overall["count"] or 0
    if count < PEER_MINIMUM:
        return by_code, None, count
    return by_code, scoring.rounded(Decimal(overall["average"])), count


def plan_of(assessment: Assessment) -> list[Recommendation]:
    """The action plan: recommendations with their rule's paths, topics and themes (4 queries)."""
    return list(
        Recommendation.objects.filter(assessment=assessment)
        .select_related("rule", "theme")
        .prefetch_related("rule__learning_paths", "rule__event_topics", "rule__expertise_themes")
        .order_by("position")
    )


def results_of(assessment: Assessment, *, with_peers: bool = True) -> Results:
    """Scores per dimension, beside the first assessment's and the peers' (a fixed number of queries)."""
    own = {row.code: row for row in DimensionScore.objects.filter(assessment=assessment)}
    baseline = None
    baseline_scores: dict = {}
    if assessment.baseline_id:
        baseline = Assessment.objects.filter(pk=assessment.baseline_id).first()
        baseline_scores = dict(
            DimensionScore.objects.filter(assessment_id=assessment.baseline_id).values_list("code", "score")
        )
    peers, peer_overall, peer_count = peer_averages(assessment) if with_peers else ({}, None, 0)
    rows = []
    for code in DimensionCode.values:
        score = own.get(code)
        if score is None and code not in baseline_scores:
            continue
        rows.append(
            DimensionRow(
                code=code,
                label=_label(code),
                score=score.score if score else None,
                answered=score.answered if score else 0,
                applicable=score.applicable if score else 0,
                questions=score.questions if score else 0,
                baseline=baseline_scores.get(code),
                gain=score.gain if score else None,
                peers=peers[code][0] if code in peers else None,
            )
        )
    return Results(
        assessment=assessment,
        rows=rows,
        baseline=baseline,
        peer_count=peer_count,
        peer_overall=peer_overall,
        peers_shown=peer_overall is not None,
        plan=plan_of(assessment),
    )


def preview_of(assessment: Assessment) -> list[DimensionRow]:
    """Scores so far of an assessment in progress (partial dimensions flagged), from its answers."""
    from .services import compute_results

    return [
        DimensionRow(
            code=result.code,
            label=_label(result.code),
            score=result.score,
            answered=result.answered,
            applicable=result.applicable,
            questions=result.questions,
        )
        for result in compute_results(assessment).values()
    ]


SORTS = {
    "recent": ("-created_at", "-id"),
    "score": ("-overall_score", "-id"),
    "-score": ("overall_score", "id"),
    "name": ("organization__name_folded", "id"),
}


def assessment_list(
    user,
    *,
    program_id: int | None = None,
    status: str = "",
    region_id: int | None = None,
    kind: str = "",
    score_min: Decimal | None = None,
    score_max: Decimal | None = None,
    sort: str = "recent",
) -> QuerySet[Assessment]:
    """The staff list with its filters, what each row shows joined in."""
    queryset = assessments_for(user).select_related("organization", "program", "region", "assisted_by")
    if program_id:
        queryset = queryset.filter(program_id=program_id)
    if status in Assessment.Status.values:
        queryset = queryset.filter(status=status)
    if region_id:
        queryset = queryset.filter(region_id=region_id)
    if kind:
        queryset = queryset.filter(organization_kind=kind)
    if score_min is not None:
        queryset = queryset.filter(overall_score__gte=score_min)
    if score_max is not None:
        queryset = queryset.filter(overall_score__lte=score_max)
    return queryset.order_by(*SORTS.get(sort, SORTS["recent"]))


def organization_assessments(user, organization_id: int) -> QuerySet[Assessment]:
    return (
        assessments_for(user)
        .filter(organization_id=organization_id)
        .select_related("program", "assisted_by")
        .order_by("program__name_fr", "-round")
    )


def _band_filter(field_name: str, low: int, high: int | None) -> Q:
    condition = Q(**{f"{field_name}__gte": low})
    if high is not None:
        condition &= Q(**{f"{field_name}__lte": high})
    return condition


def program_gain(program, *, region_ids=None) -> dict:
    """The program's maturity gain: each organization's latest assessment against its first one.

    Average gain and how many organizations; their distribution in bands; the average gain by
    services received between the two (events attended, learning paths completed); the average
    gain per dimension. Three aggregate queries over the latest assessments only.
    """
    latest = Assessment.objects.filter(program=program, is_latest=True, gain__isnull=False)
    if region_ids is not None:
        latest = latest.filter(region_id__in=sorted(region_ids))
    aggregates = {"count": Count("id"), "average": Avg("gain"), "baseline_average": Avg("baseline__overall_score")}
    aggregates["latest_average"] = Avg("overall_score")
    for name, low, high in GAIN_BUCKETS:
        condition = Q()
        if low is not None:
            condition &= Q(gain__gte=low)
        if high is not None:
            condition &= Q(gain__lt=high)
        aggregates[f"bucket_{name}"] = Count("id", filter=condition)
    for name, low, high in EVENT_BANDS:
        condition = _band_filter("events_attended", low, high)
        aggregates[f"events_{name}_count"] = Count("id", filter=condition)
        aggregates[f"events_{name}_average"] = Avg("gain", filter=condition)
    for name, low, high in PATH_BANDS:
        condition = _band_filter("paths_completed", low, high)
        aggregates[f"paths_{name}_count"] = Count("id", filter=condition)
        aggregates[f"paths_{name}_average"] = Avg("gain", filter=condition)
    row = latest.aggregate(**aggregates)

    def average(value):
        return scoring.rounded(Decimal(value)) if value is not None else None

    dimensions = DimensionScore.objects.filter(program=program, is_latest=True, gain__isnull=False)
    if region_ids is not None:
        dimensions = dimensions.filter(region_id__in=sorted(region_ids))
    per_dimension = {
        item["code"]: (average(item["average"]), item["count"])
        for item in dimensions.order_by().values("code").annotate(average=Avg("gain"), count=Count("id"))
    }
    return {
        "count": row["count"],
        "average": average(row["average"]),
        "baseline_average": average(row["baseline_average"]),
        "latest_average": average(row["latest_average"]),
        "buckets": [(name, low, high, row[f"bucket_{name}"]) for name, low, high in GAIN_BUCKETS],
        "by_events": [
            (name, low, high, row[f"events_{name}_count"], average(row[f"events_{name}_average"]))
            for name, low, high in EVENT_BANDS
        ],
        "by_paths": [
            (name, low, high, row[f"paths_{name}_count"], average(row[f"paths_{name}_average"]))
            for name, low, high in PATH_BANDS
        ],
        "dimensions": [
            (code, _label(code), *per_dimension[code]) for code in DimensionCode.values if code in per_dimension
        ],
        "threshold": settings.SMALL_COUNT_THRESHOLD,
    }
