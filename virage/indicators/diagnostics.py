"""Diagnostics indicators of a program: organizations whose support needs are identified (their
first assessment submitted), per region, against the target; and the maturity gain (from
``diagnostics.selectors.program_gain``).

An organization counts once, on the day its first assessment in the program was submitted, so the
regions add up to the program's figure. One aggregate query over the submitted first assessments
(index ``assessment_program_round_idx``).
"""

from django.db.models import Count

from virage.diagnostics.models import Assessment
from virage.programs.models import Indicator, Program, Target

from .learning import progress


def needs_identified(program: Program, *, start=None, end=None, region_ids=None) -> dict:
    """How many organizations had their needs identified in the period, in all and per region (2 queries)."""
    assessments = Assessment.objects.filter(program=program, round=1, status=Assessment.Status.SUBMITTED)
    if start is not None:
        assessments = assessments.filter(submitted_on__gte=start)
    if end is not None:
        assessments = assessments.filter(submitted_on__lt=end)
    if region_ids is not None:
        assessments = assessments.filter(region_id__in=sorted(region_ids))
    rows = list(
        assessments.order_by()
        .values("region__code", "region__name")
        .annotate(count=Count("id"))
        .order_by("region__code")
    )
    total = sum(row["count"] for row in rows)
    target = Target.objects.filter(program=program, indicator=Indicator.SUPPORT_NEEDS_IDENTIFIED).first()
    return {
        "total": total,
        "by_region": rows,
        "progress": progress(total, {"value": target.value, "due_on": target.due_on} if target else None),
    }
