"""Tallies of the learning indicators: kept up to date by the services, rebuilt from the enrollments.

The indicators (organizations trained, leaders supported, people certified, training hours) are
distinct counts over hundreds of thousands of enrollments at province scale. Two tables make them
cheap to read:

- ``LearningMilestone``: the first day each organization or person counts for an indicator of a
  program (organizations trained: first completion of a *training* path by one of its people; people
  certified: first completion of any path; leaders supported: first active enrollment in a
  *leadership* path). Recomputed from that subject's enrollments whenever one of them changes;
- ``LearningTally``: per program, indicator, region and day, how many milestones were reached, and
  the hours of the modules completed by enrolled learners (credited on the day of each enrollment's
  latest completed module). Adjusted by the difference each time a milestone or an enrollment's
  hours move.

``tallies_rebuild(program)`` recomputes both from the enrollments alone: the province-scale seed
uses it, it repairs the tables if ever needed, and the tests check that the incremental upkeep gives
the same figures.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, Sum

from .models import Enrollment, LearningMilestone, LearningPath, LearningTally

TRAINED = LearningMilestone.Indicator.ORGANIZATIONS_TRAINED
LEADERS = LearningMilestone.Indicator.LEADERS_SUPPORTED
CERTIFIED = LearningMilestone.Indicator.PEOPLE_CERTIFIED
HOURS = LearningTally.Indicator.TRAINING_HOURS
ONE = Decimal("1")


def _add(*, program_id: int, indicator: str, region_id, day: datetime.date, value: Decimal) -> None:
    """Add ``value`` to the tally of (program, indicator, region, day), creating it when missing."""
    if not value:
        return
    key = {"program_id": program_id, "indicator": indicator, "region_id": region_id, "day": day}
    if LearningTally.objects.filter(**key).update(value=F("value") + value):
        return
    try:
        with transaction.atomic():
            LearningTally.objects.create(**key, value=value)
    except IntegrityError:  # pragma: no cover — no unique key today; kept should one be added.
        LearningTally.objects.filter(**key).update(value=F("value") + value)


def hours_key(enrollment: Enrollment) -> tuple | None:
    """What an enrollment adds to the training hours: (region, day, hours), or None."""
    if enrollment.status != Enrollment.Status.ENROLLED or not enrollment.last_progress_on:
        return None
    if not enrollment.hours_completed:
        return None
    return (enrollment.region_id, enrollment.last_progress_on, enrollment.hours_completed)


def hours_moved(*, program_id: int, before: tuple | None, after: tuple | None) -> None:
    """Move an enrollment's hours from its old (region, day) to its new one."""
    if before == after:
        return
    if before is not None:
        _add(program_id=program_id, indicator=HOURS, region_id=before[0], day=before[1], value=-before[2])
    if after is not None:
        _add(program_id=program_id, indicator=HOURS, region_id=after[0], day=after[1], value=after[2])


def _first(queryset, field: str):
    """(earliest ``field``, region) of ``queryset``, or None when it has no such row.

    The region is the smallest of the rows' regions, as in ``tallies_rebuild``: the enrollments of
    one organization or person all copy the same organization's region, so it is that region.
    """
    row = queryset.exclude(**{f"{field}__isnull": True}).aggregate(day=Min(field), region=Min("region_id"))
    return (row["day"], row["region"]) if row["day"] is not None else None


def _set_milestone(*, program_id: int, indicator: str, subject_id: int, reached) -> None:
    """Make the milestone say ``reached`` ((day, region) or None) and move its tally accordingly."""
    current = LearningMilestone.objects.filter(program_id=program_id, indicator=indicator, subject_id=subject_id)
    row = current.first()
    before = (row.reached_on, row.region_id) if row else None
    if before == reached:
        return
    if row is not None:
        _add(program_id=program_id, indicator=indicator, region_id=row.region_id, day=row.reached_on, value=-ONE)
        if reached is None:
            row.delete()
        else:
            row.reached_on, row.region_id = reached
            row.save(update_fields=["reached_on", "region", "updated_at"])
    elif reached is not None:
        LearningMilestone.objects.create(
            program_id=program_id,
            indicator=indicator,
            subject_id=subject_id,
            reached_on=reached[0],
            region_id=reached[1],
        )
    if reached is not None:
        _add(program_id=program_id, indicator=indicator, region_id=reached[1], day=reached[0], value=ONE)


def milestones_refresh(*, program_id: int, organization_id: int, person_id: int) -> None:
    """Recompute the three milestones an enrollment of this organization and person can change."""
    enrollments = Enrollment.objects.filter(program_id=program_id)
    _set_milestone(
        program_id=program_id,
        indicator=TRAINED,
        subject_id=organization_id,
        reached=_first(
            enrollments.filter(organization_id=organization_id, path_kind=LearningPath.Kind.TRAINING), "completed_on"
        ),
    )
    _set_milestone(
        program_id=program_id,
        indicator=CERTIFIED,
        subject_id=person_id,
        reached=_first(enrollments.filter(person_id=person_id), "completed_on"),
    )
    _set_milestone(
        program_id=program_id,
        indicator=LEADERS,
        subject_id=person_id,
        reached=_first(
            enrollments.filter(
                person_id=person_id, path_kind=LearningPath.Kind.LEADERSHIP, status=Enrollment.Status.ENROLLED
            ),
            "enrolled_on",
        ),
    )


def enrollment_changed(enrollment: Enrollment, *, hours_before: tuple | None, milestones: bool = True) -> None:
    """Bring the tallies in line after ``enrollment`` changed (status, hours, completion).

    ``milestones=False`` when only its hours moved (neither its status nor its completion day), which
    is most progress updates: the milestones cannot have changed.
    """
    hours_moved(program_id=enrollment.program_id, before=hours_before, after=hours_key(enrollment))
    if not milestones:
        return
    milestones_refresh(
        program_id=enrollment.program_id, organization_id=enrollment.organization_id, person_id=enrollment.person_id
    )


@transaction.atomic
def tallies_rebuild(program_id: int) -> None:
    """Recompute the milestones and tallies of a program from its enrollments (a few aggregate queries)."""
    LearningTally.objects.filter(program_id=program_id).delete()
    LearningMilestone.objects.filter(program_id=program_id).delete()
    enrollments = Enrollment.objects.filter(program_id=program_id)
    milestones = []
    # The region: the smallest among the subject's enrollments, as ``_first`` takes it.
    for indicator, subject, queryset, field in (
        (
            TRAINED,
            "organization_id",
            enrollments.filter(path_kind=LearningPath.Kind.TRAINING, completed_on__isnull=False),
            "completed_on",
        ),
        (CERTIFIED, "person_id", enrollments.filter(completed_on__isnull=False), "completed_on"),
        (
            LEADERS,
            "person_id",
            enrollments.filter(path_kind=LearningPath.Kind.LEADERSHIP, status=Enrollment.Status.ENROLLED),
            "enrolled_on",
        ),
    ):
        rows = queryset.order_by().values(subject).annotate(day=Min(field), region=Min("region_id"))
        milestones += [
            LearningMilestone(
                program_id=program_id,
                indicator=indicator,
                subject_id=row[subject],
                reached_on=row["day"],
                region_id=row["region"],
            )
            for row in rows.iterator(chunk_size=5000)
        ]
    LearningMilestone.objects.bulk_create(milestones, batch_size=5000)
    counts = (
        LearningMilestone.objects.filter(program_id=program_id)
        .order_by()
        .values("indicator", "region_id", "reached_on")
        .annotate(total=Count("id"))
    )
    tallies = [
        LearningTally(
            program_id=program_id,
            indicator=row["indicator"],
            region_id=row["region_id"],
            day=row["reached_on"],
            value=Decimal(row["total"]),
        )
        for row in counts
    ]
    hours = (
        enrollments.filter(status=Enrollment.Status.ENROLLED, last_progress_on__isnull=False, hours_completed__gt=0)
        .order_by()
        .values("region_id", "last_progress_on")
        .annotate(total=Sum("hours_completed"))
    )
    tallies += [
        LearningTally(
            program_id=program_id,
            indicator=HOURS,
            region_id=row["region_id"],
            day=row["last_progress_on"],
            value=row["total"],
        )
        for row in hours
    ]
    LearningTally.objects.bulk_create(tallies, batch_size=5000)
