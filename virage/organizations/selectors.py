"""Reads of organizations and people, already scoped to what the user may see."""

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from virage.accounts.scope import scope_for
from virage.core.text import fold

from .models import Organization, Person


def _participation_model():
    # Participation belongs to programs, a higher app; reach it through the relation, not an import.
    return Organization._meta.get_field("participations").related_model


def visible_organizations_filter(user) -> Q | None:
    """The condition on Organization for what ``user`` may see; None means everything."""
    scope = scope_for(user)
    if scope.is_admin:
        return None
    condition = Q(pk__in=[])
    if scope.managed_program_ids:
        participation = _participation_model()
        condition |= Q(
            Exists(participation.objects.filter(organization=OuterRef("pk"), program_id__in=scope.managed_program_ids))
        )
    coordinated = set().union(*scope.coordinated_regions.values()) if scope.coordinated_regions else set()
    if coordinated:
        condition |= Q(region_id__in=sorted(coordinated))
    own = scope.coached_organization_ids | scope.contact_organization_ids
    if own:
        condition |= Q(pk__in=sorted(own))
    return condition


def organizations_for(user) -> QuerySet[Organization]:
    """Every organization ``user`` may see (archived and merged ones included)."""
    condition = visible_organizations_filter(user)
    queryset = Organization.objects.all()
    return queryset if condition is None else queryset.filter(condition)


SORTS = {
    "name": ("name_folded", "id"),
    "-name": ("-name_folded", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "region": ("region__code", "name_folded", "id"),
    "municipality": ("municipality__name", "name_folded", "id"),
}


def organization_list(
    user,
    *,
    query: str = "",
    region_id: int | None = None,
    mrc_id: int | None = None,
    kind: str = "",
    program_id: int | None = None,
    status: str = "",
    sort: str = "name",
) -> QuerySet[Organization]:
    """The organization list with its filters, sorted, with what each row shows joined in."""
    queryset = organizations_for(user)
    folded = fold(query)
    if folded:
        digits = "".join(char for char in query if char.isdigit())
        # "Contains" covers "starts with"; the ordering below puts the names that start with it first.
        name_match = Q(name_folded__contains=folded)
        if len(digits) >= 9:
            name_match |= Q(neq=digits) | Q(charity_number__startswith=digits[:9])
        queryset = queryset.filter(name_match)
    if region_id:
        queryset = queryset.filter(region_id=region_id)
    if mrc_id:
        queryset = queryset.filter(mrc_id=mrc_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if program_id:
        participation = _participation_model()
        queryset = queryset.filter(
            Exists(participation.objects.filter(organization=OuterRef("pk"), program_id=program_id))
        )
    # Without an explicit status, the list shows what is alive: pending and active organizations.
    queryset = queryset.filter(status=status) if status else queryset.exclude(status=Organization.Status.ARCHIVED)
    ordering = SORTS.get(sort, SORTS["name"])
    if folded and ordering == SORTS["name"]:
        # Names that start with the words searched come first. Sorting on this expression also stops
        # PostgreSQL from walking the whole name index in alphabetical order in search of rare matches
        # (100 ms at 250,000 organizations): it reads them from the trigram index (docs/performance.md).
        starts_first = Case(When(name_folded__startswith=folded, then=Value(0)), default=Value(1))
        ordering = (starts_first, *ordering)
    return queryset.select_related("municipality", "region", "mrc").order_by(*ordering)


def similar_organizations(*, legal_name: str, usual_name: str = "", municipality_id: int, exclude_id=None):
    """Organizations of the same municipality whose name folds to the same words."""
    names = {fold(legal_name), fold(usual_name)} - {""}
    if not names or not municipality_id:
        return Organization.objects.none()
    condition = Q()
    for name in names:
        condition |= Q(name_folded__contains=name)
    queryset = Organization.objects.filter(condition, municipality_id=municipality_id).exclude(
        status=Organization.Status.ARCHIVED
    )
    if exclude_id:
        queryset = queryset.exclude(pk=exclude_id)
    return queryset.select_related("municipality")[:10]


def people_for(user) -> QuerySet[Person]:
    """People of the organizations ``user`` may see, or none if the user may not see personal data."""
    scope = scope_for(user)
    if not scope.sees_personal_information:
        return Person.objects.none()
    condition = visible_organizations_filter(user)
    queryset = Person.objects.select_related("organization")
    if condition is None:
        return queryset
    return queryset.filter(organization__in=Organization.objects.filter(condition).values("pk"))


def pending_registrations(user) -> QuerySet[Organization]:
    return organization_list(user, status=Organization.Status.PENDING, sort="-created")
