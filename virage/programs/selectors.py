"""Reads of programs, scoped to the user's memberships."""

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects

from virage.accounts.models import Membership
from virage.accounts.scope import scope_for
from virage.organizations.models import Organization

from .models import Program, Target


def programs_for(user) -> QuerySet[Program]:
    scope = scope_for(user)
    queryset = Program.objects.select_related("operator")
    if scope.is_admin:
        return queryset
    return queryset.filter(pk__in=sorted(scope.program_ids), is_active=True)


def programs_run_by(user) -> QuerySet[Program]:
    """Programs to which ``user`` may add organizations: those they manage or coordinate."""
    scope = scope_for(user)
    programs = programs_for(user).filter(is_active=True)
    if scope.is_admin:
        return programs
    return programs.filter(pk__in=sorted(scope.managed_program_ids | set(scope.coordinated_regions)))


def public_programs() -> QuerySet[Program]:
    return Program.objects.filter(is_active=True, accepts_registrations=True).order_by("name_fr")


def program_list(user) -> QuerySet[Program]:
    return (
        programs_for(user)
        .annotate(organization_count=Count("participations", distinct=True))
        .order_by("-starts_on", "name_fr")
    )


def with_program_details(program: Program) -> Program:
    """``program`` with what its page shows (partners, regions, targets, funding) read in bulk."""
    prefetch_related_objects(
        [program],
        "partners",
        "regions",
        Prefetch("targets", queryset=Target.objects.order_by("indicator")),
        "funding_agreements__funder",
    )
    return program


def program_members(program: Program) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(program=program, is_active=True)
        .select_related("user")
        .prefetch_related("regions", "organizations")
        .order_by("role", "user__last_name", "user__first_name")
    )


def program_organizations_by_region(program: Program) -> list[dict]:
    """Organizations of the program per region, with small counts hidden (shown to funders)."""
    rows = (
        Organization.objects.filter(participations__program=program)
        .exclude(status=Organization.Status.ARCHIVED)
        .values("region__code", "region__name")
        .annotate(count=Count("id"))
        .order_by("region__code")
    )
    threshold = settings.SMALL_COUNT_THRESHOLD
    return [
        {
            "code": row["region__code"],
            "name": row["region__name"],
            "count": row["count"] if row["count"] >= threshold else None,
        }
        for row in rows
    ]


def program_summary(program: Program) -> dict:
    organizations = Organization.objects.filter(participations__program=program).exclude(
        status=Organization.Status.ARCHIVED
    )
    counts = organizations.aggregate(total=Count("id"), regions=Count("region", distinct=True))
    return {"organizations": counts["total"], "regions": counts["regions"]}
