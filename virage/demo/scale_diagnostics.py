"""Province-scale diagnostics: 100,000 assessments with their scores and action plans, for load tests.

Like ``scale_learning.py``, synthetic load written straight into the tables (no activity log, no
answers: the pages measured read the stored scores): on PostgreSQL with ``COPY``, elsewhere with
batched ``INSERT``s. Organizations of the province-scale data that take part in DATAide or Plus
numérique are assessed once between 2022 and 2024 (the baseline), and about 40 % of them again in
2025–2026, usually better, more so when they received services. Each submitted assessment has its
six dimension scores, its overall score and level, and its action plan from the program's rules.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.diagnostics import recommendations, scoring
from virage.diagnostics.models import (
    Assessment,
    DimensionCode,
    DimensionScore,
    Question,
    QuestionnaireVersion,
    Recommendation,
    RecommendationRule,
)
from virage.programs.models import Participation

from .scale_learning import _write
from .seed import DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG

PROVINCE_ASSESSMENTS = 100_000
SECOND_ROUND_SHARE = 0.40
FIRST_DAYS = (datetime.date(2022, 3, 1), datetime.date(2024, 12, 31))
SECOND_DAYS = (datetime.date(2025, 1, 6), datetime.date(2026, 10, 30))
NO_QUESTIONNAIRES = _("The demo's questionnaires are missing: province-scale diagnostics need seed_demo first.")

ASSESSMENT_COLUMNS = (
    "program_id", "organization_id", "version_id", "status", "round", "baseline_id", "organization_kind",
    "region_id", "submitted_at", "submitted_on", "is_latest", "answered_count", "question_count",
    "overall_score", "maturity_level", "gain", "events_attended", "paths_completed", "priorities",
    "constraints", "created_at", "updated_at",
)  # fmt: skip
SCORE_COLUMNS = (
    "assessment_id", "code", "score", "answered", "applicable", "questions", "gain", "program_id",
    "organization_id", "organization_kind", "region_id", "is_latest",
)  # fmt: skip
RECOMMENDATION_COLUMNS = ("assessment_id", "rule_id", "position", "dimension", "score", "theme_id")


@dataclass
class DiagnosticsReport:
    assessments: int = 0
    scores: int = 0
    recommendations: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: bool = False
    missing_questionnaires: bool = False


def _clamp(value: float) -> Decimal:
    return scoring.rounded(Decimal(str(max(0.0, min(100.0, value)))))


def load_diagnostics(
    *, seed: int, assessments: int = PROVINCE_ASSESSMENTS, progress: Callable[[str], None] = lambda message: None
) -> DiagnosticsReport:
    """Add about ``assessments`` submitted assessments (first rounds and second rounds)."""
    report = DiagnosticsReport()
    if Assessment.objects.count() >= assessments:
        report.skipped = True
        return report
    versions = list(
        QuestionnaireVersion.objects.filter(
            questionnaire__program__slug__in=[DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG],
            status=QuestionnaireVersion.Status.PUBLISHED,
        ).select_related("questionnaire")
    )
    if not versions:
        report.skipped = report.missing_questionnaires = True
        return report
    total_started = time.perf_counter()
    rng = random.Random(f"diagnostics-{seed}")
    by_program: dict[int, dict[str, QuestionnaireVersion]] = {}
    question_counts = {}
    for version in versions:
        question_counts[version.pk] = Question.objects.filter(dimension__version=version).count()
        for kind in version.questionnaire.organization_kinds:
            by_program.setdefault(version.questionnaire.program_id, {})[kind] = version
    rules = {
        program_id: [
            recommendations.RuleFacts(rule.pk, rule.priority, rule.dimension, rule.below_score, rule.needed_theme_id)
            for rule in RecommendationRule.objects.filter(program_id=program_id, is_active=True)
        ]
        for program_id in by_program
    }
    started = time.perf_counter()
    already = set(Assessment.objects.values_list("program_id", "organization_id"))
    candidates = [
        row
        for row in Participation.objects.filter(program_id__in=list(by_program))
        .order_by("pk")
        .values_list("program_id", "organization_id", "organization__kind", "organization__region_id")
        if (row[0], row[1]) not in already and row[2] in by_program[row[0]]
    ]
    rng.shuffle(candidates)
    first_count = min(len(candidates), round(assessments / (1 + SECOND_ROUND_SHARE)))
    chosen = candidates[:first_count]
    report.seconds["participations"] = time.perf_counter() - started
    now = timezone.now()
    codes = list(DimensionCode.values)
    firsts, seconds_ = [], []
    with transaction.atomic():
        started = time.perf_counter()
        for program_id, organization_id, kind, region_id in chosen:
            version = by_program[program_id][kind]
            base = rng.uniform(15, 60)
            scores = [_clamp(rng.gauss(base, 12)) for _code in codes]
            firsts.append((program_id, organization_id, kind, region_id, version, scores, _day(rng, FIRST_DAYS)))
        rows = (_assessment_row(item, round_=1, baseline=None, now=now, question_counts=question_counts,
                                latest=False) for item in firsts)  # fmt: skip
        report.assessments += _write(Assessment, ASSESSMENT_COLUMNS, rows, batch_size=10_000)
        first_ids = _ids(round_=1)
        progress(f"{report.assessments:,} first assessments")
        second_share = min(1.0, (assessments - len(firsts)) / max(1, len(firsts)))
        for item in firsts:
            if rng.random() >= second_share:
                continue
            events = rng.choice((0, 0, 1, 1, 2, 3, 4, 6))
            paths = 1 if rng.random() < 0.3 else 0
            lift = rng.gauss(4 + 2.5 * events + 6 * paths, 7)
            scores = [_clamp(float(score) + lift + rng.gauss(0, 5)) for score in item[5]]
            seconds_.append((*item[:5], scores, _day(rng, SECOND_DAYS), item, events, paths))
        latest_firsts = {(item[0], item[1]) for item in firsts} - {(item[0], item[1]) for item in seconds_}
        rows = (_assessment_row(item, round_=2, baseline=first_ids[(item[0], item[1])], now=now,
                                question_counts=question_counts, latest=True) for item in seconds_)  # fmt: skip
        report.assessments += _write(Assessment, ASSESSMENT_COLUMNS, rows, batch_size=10_000)
        second_ids = _ids(round_=2)
        _mark_latest(first_ids, latest_firsts)
        report.seconds["assessments"] = time.perf_counter() - started
        progress(f"{report.assessments:,} assessments")
        started = time.perf_counter()
        score_rows = _score_rows(firsts, seconds_, first_ids, second_ids, latest_firsts, codes)
        report.scores = _write(DimensionScore, SCORE_COLUMNS, score_rows, batch_size=10_000)
        report.seconds["scores"] = time.perf_counter() - started
        progress(f"{report.scores:,} dimension scores")
        started = time.perf_counter()
        plan_rows = _plan_rows(firsts, seconds_, first_ids, second_ids, rules, codes)
        report.recommendations = _write(Recommendation, RECOMMENDATION_COLUMNS, plan_rows, batch_size=10_000)
        report.seconds["recommendations"] = time.perf_counter() - started
        progress(f"{report.recommendations:,} recommendations")
        started = time.perf_counter()
    report.seconds["commit"] = time.perf_counter() - started
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Assessment, DimensionScore, Recommendation):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        report.seconds["analyze"] = time.perf_counter() - started
    report.seconds["total"] = time.perf_counter() - total_started
    return report


def _day(rng: random.Random, bounds) -> datetime.date:
    return bounds[0] + datetime.timedelta(days=rng.randint(0, (bounds[1] - bounds[0]).days))


def _overall(scores: list[Decimal]) -> Decimal:
    return scoring.rounded(sum(scores, Decimal("0")) / len(scores))


def _assessment_row(item, *, round_: int, baseline, now, question_counts, latest: bool) -> tuple:
    program_id, organization_id, kind, region_id, version, scores, day = item[:7]
    overall = _overall(scores)
    gain = events = paths = None
    if round_ > 1:
        first = item[7]
        gain = overall - _overall(first[5])
        events, paths = item[8], item[9]
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    count = question_counts[version.pk]
    return (
        program_id, organization_id, version.pk, Assessment.Status.SUBMITTED, round_, baseline, kind, region_id,
        moment, day, latest, count, count, overall, scoring.maturity_level(overall), gain, events or 0, paths or 0,
        "", "", now, now,
    )  # fmt: skip


def _ids(*, round_: int) -> dict[tuple[int, int], int]:
    return {
        (program_id, organization_id): pk
        for pk, program_id, organization_id in Assessment.objects.filter(round=round_)
        .values_list("pk", "program_id", "organization_id")
        .iterator(chunk_size=10_000)
    }


def _mark_latest(first_ids: dict, latest_firsts: set) -> None:
    ids = [first_ids[key] for key in latest_firsts]
    for start in range(0, len(ids), 10_000):
        Assessment.objects.filter(pk__in=ids[start : start + 10_000]).update(is_latest=True)


def _score_rows(firsts, seconds_, first_ids, second_ids, latest_firsts, codes):
    for item in firsts:
        program_id, organization_id, kind, region_id, _version, scores, _day_ = item[:7]
        latest = (program_id, organization_id) in latest_firsts
        for code, score in zip(codes, scores, strict=True):
            yield (first_ids[(program_id, organization_id)], code, score, 4, 4, 4, None, program_id, organization_id,
                   kind, region_id, latest)  # fmt: skip
    for item in seconds_:
        program_id, organization_id, kind, region_id, _version, scores, _day_, first = item[:8]
        for code, score, before in zip(codes, scores, first[5], strict=True):
            yield (second_ids[(program_id, organization_id)], code, score, 4, 4, 4, score - before, program_id,
                   organization_id, kind, region_id, True)  # fmt: skip


def _plan_rows(firsts, seconds_, first_ids, second_ids, rules, codes):
    for items, ids in ((firsts, first_ids), (seconds_, second_ids)):
        for item in items:
            program_id, organization_id = item[0], item[1]
            matches = recommendations.match_rules(rules[program_id], dict(zip(codes, item[5], strict=True)), ())
            for position, match in enumerate(matches, start=1):
                yield (ids[(program_id, organization_id)], match.rule_id, position, match.dimension, match.score, None)
