from django.http import Http404
from django.utils.translation import gettext_lazy as _

from virage.accounts.scope import scope_for
from virage.core.errors import parse_id

from .models import Program
from .selectors import programs_for

NOT_MANAGER = _("Only the program's managers can do this.")
NOT_ADMIN = _("Only platform administrators can create programs.")


def can_create_program(user) -> tuple[bool, str]:
    if scope_for(user).is_admin:
        return True, ""
    return False, str(NOT_ADMIN)


def can_manage_program(user, program: Program) -> tuple[bool, str]:
    scope = scope_for(user)
    if scope.is_admin or program.pk in scope.managed_program_ids:
        return True, ""
    return False, str(NOT_MANAGER)


def can_see_members(user, program: Program) -> tuple[bool, str]:
    scope = scope_for(user)
    if scope.is_admin or program.pk in scope.managed_program_ids or program.pk in scope.coordinated_regions:
        return True, ""
    return False, str(NOT_MANAGER)


def access_program_by_slug(user, slug: str) -> Program:
    try:
        return programs_for(user).get(slug=str(slug)[:60])
    except Program.DoesNotExist as error:
        raise Http404 from error


def access_membership_by_id(user, program: Program, membership_id):
    """An active membership of ``program`` that ``user`` may manage; 404 otherwise."""
    from virage.accounts.models import Membership

    pk = parse_id(membership_id)
    if pk is None or not can_manage_program(user, program)[0]:
        raise Http404
    try:
        return Membership.objects.select_related("user", "program").get(program=program, pk=pk, is_active=True)
    except Membership.DoesNotExist as error:
        raise Http404 from error


def access_program_by_id(user, program_id) -> Program:
    pk = parse_id(program_id)
    if pk is None:
        raise Http404
    try:
        return programs_for(user).get(pk=pk)
    except Program.DoesNotExist as error:
        raise Http404 from error
