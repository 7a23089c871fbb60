"""Who may do what with organizations and people. Every view and API endpoint goes through here."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from virage.accounts.scope import scope_for
from virage.core.errors import parse_id

from .models import ImportBatch, Organization, Person
from .selectors import organizations_for, people_for

NOT_STAFF = _("Only program managers and regional coordinators can do this.")
NOT_IN_SCOPE = _("This organization is outside the regions and programs you work with.")
ARCHIVED = _("This organization is archived.")
NOT_PENDING = _("Only a registration waiting for validation can be validated or merged.")
NO_PERSONAL_INFORMATION = _("Your role gives access to aggregate figures only.")


def can_list_organizations(user) -> tuple[bool, str]:
    scope = scope_for(user)
    if scope.is_admin or scope.sees_personal_information:
        return True, ""
    return False, str(NO_PERSONAL_INFORMATION)


def can_create_organization(user) -> tuple[bool, str]:
    scope = scope_for(user)
    if scope.is_staff_of_some_program:
        return True, ""
    return False, str(NOT_STAFF)


def can_import_organizations(user) -> tuple[bool, str]:
    return can_create_organization(user)


def _manages(user, organization: Organization) -> bool:
    """Program staff whose scope includes ``organization``."""
    scope = scope_for(user)
    if scope.is_admin:
        return True
    coordinated = set().union(*scope.coordinated_regions.values()) if scope.coordinated_regions else set()
    if organization.region_id in coordinated:
        return True
    if scope.managed_program_ids:
        return organization.participations.filter(program_id__in=scope.managed_program_ids).exists()
    return False


def can_edit_organization(user, organization: Organization) -> tuple[bool, str]:
    if organization.status == Organization.Status.ARCHIVED:
        return False, str(ARCHIVED)
    if organization.pk in scope_for(user).contact_organization_ids or _manages(user, organization):
        return True, ""
    return False, str(NOT_IN_SCOPE)


def can_archive_organization(user, organization: Organization) -> tuple[bool, str]:
    if organization.status == Organization.Status.ARCHIVED:
        return False, str(ARCHIVED)
    if _manages(user, organization):
        return True, ""
    return False, str(NOT_STAFF)


def can_restore_organization(user, organization: Organization) -> tuple[bool, str]:
    if organization.status != Organization.Status.ARCHIVED:
        return False, ""
    if _manages(user, organization):
        return True, ""
    return False, str(NOT_STAFF)


def can_validate_registration(user, organization: Organization) -> tuple[bool, str]:
    if organization.status != Organization.Status.PENDING:
        return False, str(NOT_PENDING)
    if _manages(user, organization):
        return True, ""
    return False, str(NOT_STAFF)


def can_add_person(user, organization: Organization) -> tuple[bool, str]:
    return can_edit_organization(user, organization)


def can_edit_person(user, person: Person) -> tuple[bool, str]:
    return can_edit_organization(user, person.organization)


def can_see_history(user, organization: Organization) -> tuple[bool, str]:
    if scope_for(user).sees_personal_information:
        return True, ""
    return False, str(NO_PERSONAL_INFORMATION)


def access_organization_by_id(user, organization_id) -> Organization:
    """The organization if ``user`` may see it; otherwise 404, exactly as if it did not exist."""
    pk = parse_id(organization_id)
    if pk is None:
        raise Http404
    try:
        return organizations_for(user).select_related("municipality", "mrc", "region").get(pk=pk)
    except Organization.DoesNotExist as error:
        raise Http404 from error


def access_person_by_id(user, person_id) -> Person:
    pk = parse_id(person_id)
    if pk is None:
        raise Http404
    try:
        return people_for(user).get(pk=pk)
    except Person.DoesNotExist as error:
        raise Http404 from error


def require(allowed: tuple[bool, str]) -> None:
    """Raise 404 when a permission check fails, so a forbidden object looks like a missing one."""
    if not allowed[0]:
        raise Http404(allowed[1])


def access_import_batch_by_token(user, token) -> ImportBatch:
    """The import batch ``user`` uploaded with this token; 404 for any other, as if it did not exist."""
    require(can_import_organizations(user))
    token = str(token)
    if not token or len(token) > ImportBatch._meta.get_field("token").max_length:
        raise Http404
    batch = ImportBatch.objects.select_related("program").filter(token=token, uploaded_by=user).first()
    if batch is None:
        raise Http404
    return batch
