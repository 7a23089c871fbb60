"""Province-scale learning: 5,000 cohorts and 500,000 enrollments with their attestations, for load tests.

Like ``scale_events.py``, synthetic load written straight into the tables (no activity log): on
PostgreSQL with ``COPY``, elsewhere (the test suite's SQLite) with batched ``INSERT``s of the same
values. The cohorts are offerings of the demo's paths between 2022 and 2026, mostly DATAide's and Plus
numérique's training paths, a few leadership cohorts; learners are people of the province-scale
organizations, with the copies the indicators read (program, kind of path, region) and, in cohorts
that are over, their hours and completion: about 60 % complete, and each completion has its
attestation. Verification codes come from ``secrets``, as real ones do.
"""

import datetime
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.geography.models import Region
from virage.learning.models import (
    Attestation,
    Cohort,
    Enrollment,
    LearningMilestone,
    LearningPath,
    LearningTally,
    new_verification_code,
)
from virage.learning.tallies import tallies_rebuild
from virage.organizations.models import Person

from .seed import DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG

PROVINCE_ENROLLMENTS = 500_000
COHORT_SIZE = (20, 180)
BATCH_SIZE = 10_000
FIRST_DAY = datetime.date(2022, 4, 1)
LAST_DAY = datetime.date(2026, 12, 31)
COMPLETED_SHARE = 0.60
PARTIAL_SHARE = 0.25
CANCELLED_SHARE = 0.06
WAITLISTED_SHARE = 0.03
# Weight of each kind of path among the cohorts: leadership tracks are rare and small.
KIND_WEIGHTS = {LearningPath.Kind.TRAINING: 80, LearningPath.Kind.AWARENESS: 18, LearningPath.Kind.LEADERSHIP: 2}

NO_PATHS = _("The demo's learning paths are missing: province-scale learning needs seed_demo first.")

ENROLLMENT_COLUMNS = (
    "cohort_id",
    "person_id",
    "organization_id",
    "status",
    "source",
    "program_id",
    "path_kind",
    "region_id",
    "enrolled_on",
    "hours_completed",
    "last_progress_on",
    "completed_on",
    "created_at",
    "updated_at",
)
ATTESTATION_COLUMNS = (
    "enrollment_id",
    "code",
    "learner_name",
    "path_title_fr",
    "path_title_en",
    "competencies",
    "hours",
    "completed_on",
    "issuer",
    "language",
    "revocation_reason",
    "created_at",
    "updated_at",
)


@dataclass
class LearningReport:
    cohorts: int = 0
    enrollments: int = 0
    attestations: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: bool = False
    missing_paths: bool = False


def load_learning(
    *,
    seed: int,
    enrollments: int = PROVINCE_ENROLLMENTS,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] = lambda message: None,
) -> LearningReport:
    """Add about ``enrollments`` enrollments in new cohorts, the same ones for the same seed (codes apart)."""
    report = LearningReport()
    if Enrollment.objects.count() >= enrollments:
        report.skipped = True
        return report
    total_started = time.perf_counter()
    rng = random.Random(f"learning-{seed}")
    paths = list(
        LearningPath.objects.filter(program__slug__in=[DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG])
        .select_related("program")
        .annotate(total_hours=Sum("modules__expected_hours"))
        .order_by("pk")
    )
    if not paths:
        # A database seeded with programs but without the demo's learning (the demo's tests): nothing
        # to offer cohorts of, and nothing is invented.
        report.skipped = report.missing_paths = True
        return report
    started = time.perf_counter()
    people = list(
        Person.objects.exclude(email="")
        .filter(is_active=True)
        .order_by("pk")
        .values_list(
            "pk", "organization_id", "organization__region_id", "first_name", "last_name", "preferred_language"
        )
    )
    report.seconds["people"] = time.perf_counter() - started
    with transaction.atomic():
        started = time.perf_counter()
        cohorts, sizes = _create_cohorts(rng, paths, enrollments, len(people))
        report.cohorts = len(cohorts)
        report.seconds["cohorts"] = time.perf_counter() - started
        progress(f"{report.cohorts:,} cohorts")
        started = time.perf_counter()
        completed: list[tuple] = []
        rows = _enrollment_rows(rng, cohorts, sizes, people, completed)
        report.enrollments = _write(Enrollment, ENROLLMENT_COLUMNS, rows, batch_size=batch_size)
        report.seconds["enrollments"] = time.perf_counter() - started
        progress(f"{report.enrollments:,} enrollments")
        started = time.perf_counter()
        ids = _completed_ids(cohorts)
        report.attestations = _write(
            Attestation, ATTESTATION_COLUMNS, _attestation_rows(completed, ids), batch_size=batch_size
        )
        report.seconds["attestations"] = time.perf_counter() - started
        progress(f"{report.attestations:,} attestations")
        started = time.perf_counter()
        for program_id in sorted({path.program_id for path in paths}):
            tallies_rebuild(program_id)
        report.seconds["tallies"] = time.perf_counter() - started
        progress("indicator tallies rebuilt")
        started = time.perf_counter()
    report.seconds["commit"] = time.perf_counter() - started
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Cohort, Enrollment, Attestation, LearningMilestone, LearningTally):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        report.seconds["analyze"] = time.perf_counter() - started
    report.seconds["total"] = time.perf_counter() - total_started
    return report


def _create_cohorts(rng: random.Random, paths: list, enrollments: int, people: int) -> tuple[list[Cohort], list[int]]:
    by_kind: dict[str, list] = {}
    for path in paths:
        by_kind.setdefault(path.kind, []).append(path)
    kinds = [kind for kind in KIND_WEIGHTS if kind in by_kind]
    sizes, cohorts = [], []
    remaining = enrollments
    span = (LAST_DAY - FIRST_DAY).days
    region_ids = list(Region.objects.order_by("code").values_list("pk", flat=True))
    number = 0
    while remaining > 0:
        kind = rng.choices(kinds, weights=[KIND_WEIGHTS[kind] for kind in kinds])[0]
        path = rng.choice(by_kind[kind])
        low, high = COHORT_SIZE if kind != LearningPath.Kind.LEADERSHIP else (8, 15)
        size = min(remaining, rng.randint(low, high), people)
        starts_on = FIRST_DAY + datetime.timedelta(days=rng.randint(0, span))
        number += 1
        cohorts.append(
            Cohort(
                path_id=path.pk,
                program_id=path.program_id,
                name=f"{path.title_fr[:120]} — cohorte {number}",
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(weeks=rng.choice((4, 6, 8, 10))),
                capacity=None,
                language="fr",
                region_id=rng.choice(region_ids) if region_ids and rng.random() < 0.7 else None,
                status=Cohort.Status.CLOSED if starts_on < timezone.localdate() else Cohort.Status.OPEN,
            )
        )
        cohorts[-1].path = path
        sizes.append(size)
        remaining -= size
    Cohort.objects.bulk_create(cohorts, batch_size=BATCH_SIZE)
    return cohorts, sizes


def _enrollment_rows(rng, cohorts, sizes, people, completed: list) -> Iterator[tuple]:
    today = timezone.localdate()
    now = timezone.now()
    everyone = len(people)
    for cohort, size in zip(cohorts, sizes, strict=True):
        path = cohort.path
        total = path.total_hours or Decimal("0")
        over = cohort.ends_on < today
        seen: set[int] = set()
        while len(seen) < size:
            index = rng.randrange(everyone)
            if index in seen:
                continue
            seen.add(index)
            person = people[index]
            draw = rng.random()
            status = Enrollment.Status.ENROLLED
            if draw < CANCELLED_SHARE:
                status = Enrollment.Status.CANCELLED
            elif draw < CANCELLED_SHARE + WAITLISTED_SHARE:
                status = Enrollment.Status.WAITLISTED
            hours, last_progress_on, completed_on = Decimal("0"), None, None
            if status == Enrollment.Status.ENROLLED and over:
                outcome = rng.random()
                if outcome < COMPLETED_SHARE:
                    hours, last_progress_on, completed_on = total, cohort.ends_on, cohort.ends_on
                elif outcome < COMPLETED_SHARE + PARTIAL_SHARE:
                    hours = (total * Decimal(rng.randint(1, 3)) / 4).quantize(Decimal("0.25"))
                    last_progress_on = cohort.starts_on + (cohort.ends_on - cohort.starts_on) / 2
            if completed_on is not None:
                completed.append((len(completed), cohort, person, hours, completed_on))
            yield (
                cohort.pk,
                person[0],
                person[1],
                status,
                Enrollment.Source.STAFF if draw > 0.5 else Enrollment.Source.SELF_SERVICE,
                cohort.program_id,
                path.kind,
                person[2],
                cohort.starts_on - datetime.timedelta(days=rng.randint(3, 30)),
                hours,
                last_progress_on,
                completed_on,
                now,
                now,
            )


def _attestation_rows(completed: list, ids: dict[tuple[int, int], int]) -> Iterator[tuple]:
    """Attestations of the completed enrollments, found by (cohort, person) once they are written.

    The ids are read in full before the first row is yielded: the rows feed a ``COPY``, during
    which the connection can run no other query.
    """
    now = timezone.now()
    for _position, cohort, person, hours, completed_on in completed:
        path = cohort.path
        yield (
            ids[(cohort.pk, person[0])],
            new_verification_code(),
            f"{person[3]} {person[4]}".strip()[:201],
            path.title_fr,
            path.title_en,
            "[]",
            hours,
            completed_on,
            path.program.name_fr,
            person[5] if person[5] in ("fr", "en") else "fr",
            "",
            now,
            now,
        )


def _completed_ids(cohorts) -> dict[tuple[int, int], int]:
    cohort_ids = [cohort.pk for cohort in cohorts]
    ids = {}
    for start in range(0, len(cohort_ids), 1000):
        ids.update(
            {
                (cohort_id, person_id): pk
                for pk, cohort_id, person_id in Enrollment.objects.filter(
                    cohort_id__in=cohort_ids[start : start + 1000], completed_on__isnull=False
                ).values_list("pk", "cohort_id", "person_id")
            }
        )
    return ids


def _write(model, columns, rows: Iterator[tuple], *, batch_size: int) -> int:
    table = model._meta.db_table
    names = ", ".join(columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        adapt_datetime = connection.ops.adapt_datetimefield_value
        adapt_decimal = connection.ops.adapt_decimalfield_value
        batch = []
        for row in rows:
            batch.append(
                tuple(
                    adapt_datetime(value)
                    if isinstance(value, datetime.datetime)
                    else adapt_decimal(value)
                    if isinstance(value, Decimal)
                    else value
                    for value in row
                )
            )
            if len(batch) >= batch_size:
                cursor.executemany(insert, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(insert, batch)
            written += len(batch)
    return written
