"""What a signed-in person's memberships let them reach, computed once per request."""

from dataclasses import dataclass, field

from .models import Membership, Role


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    managed_program_ids: frozenset[int] = frozenset()
    # program id -> ids of the regions the person coordinates in that program
    coordinated_regions: dict[int, frozenset[int]] = field(default_factory=dict)
    coached_organization_ids: frozenset[int] = frozenset()
    contact_organization_ids: frozenset[int] = frozenset()
    funder_program_ids: frozenset[int] = frozenset()
    reviewer_program_ids: frozenset[int] = frozenset()
    coach_program_ids: frozenset[int] = frozenset()
    contact_program_ids: frozenset[int] = frozenset()

    @property
    def program_ids(self) -> frozenset[int]:
        return (
            self.managed_program_ids
            | frozenset(self.coordinated_regions)
            | self.funder_program_ids
            | self.reviewer_program_ids
            | self.coach_program_ids
            | self.contact_program_ids
        )

    @property
    def is_staff_of_some_program(self) -> bool:
        """Program managers and regional coordinators: the people who run programs."""
        return self.is_admin or bool(self.managed_program_ids or self.coordinated_regions)

    @property
    def sees_personal_information(self) -> bool:
        """Funder viewers and reviewers-only never see people's details in the registry."""
        return self.is_admin or bool(
            self.managed_program_ids
            or self.coordinated_regions
            or self.coached_organization_ids
            or self.contact_organization_ids
        )


ANONYMOUS_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The scope of ``user``, cached on the user object for the rest of the request (4 queries)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    cached = getattr(user, "_virage_scope", None)
    if cached is not None:
        return cached
    managed, funders, reviewers, coaches, contacts = set(), set(), set(), set(), set()
    coordinated: dict[int, set[int]] = {}
    coached, contact_orgs = set(), set()
    memberships = (
        Membership.objects.filter(user=user, is_active=True, program__is_active=True)
        .prefetch_related("regions", "organizations")
        .only("id", "program_id", "role")
    )
    for membership in memberships:
        program_id = membership.program_id
        if membership.role == Role.PROGRAM_MANAGER:
            managed.add(program_id)
        elif membership.role == Role.REGIONAL_COORDINATOR:
            coordinated.setdefault(program_id, set()).update(region.pk for region in membership.regions.all())
        elif membership.role == Role.COACH:
            coaches.add(program_id)
            coached.update(organization.pk for organization in membership.organizations.all())
        elif membership.role == Role.ORGANIZATION_CONTACT:
            contacts.add(program_id)
            contact_orgs.update(organization.pk for organization in membership.organizations.all())
        elif membership.role == Role.FUNDER_VIEWER:
            funders.add(program_id)
        elif membership.role == Role.REVIEWER:
            reviewers.add(program_id)
    # People linked to an account are that account's contact records in their organizations.
    contact_orgs.update(user.contact_records.filter(is_active=True).values_list("organization_id", flat=True))
    scope = Scope(
        is_admin=user.is_superuser,
        managed_program_ids=frozenset(managed),
        coordinated_regions={program: frozenset(regions) for program, regions in coordinated.items()},
        coached_organization_ids=frozenset(coached),
        contact_organization_ids=frozenset(contact_orgs),
        funder_program_ids=frozenset(funders),
        reviewer_program_ids=frozenset(reviewers),
        coach_program_ids=frozenset(coaches),
        contact_program_ids=frozenset(contacts),
    )
    user._virage_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after a membership change in the same request."""
    if hasattr(user, "_virage_scope"):
        del user._virage_scope
