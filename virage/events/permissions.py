"""Who may see and run events on the staff side. Every view and API endpoint goes through here."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from virage.accounts.scope import scope_for
from virage.core.errors import parse_id

from .models import Event
from .selectors import events_for

NOT_EVENT_STAFF = _("Only the program's managers and regional coordinators can do this.")
NOT_MANAGER_OF_EVENT = _("This event is outside the programs and regions you work with.")
REGION_OUTSIDE_YOURS = _("As a regional coordinator, you can only create events in your regions.")
REGION_REQUIRED_FOR_COORDINATOR = _(
    "As a regional coordinator, choose a municipality or a region among yours: province-wide events are "
    "created by the program's managers."
)


def can_list_events(user) -> tuple[bool, str]:
    if scope_for(user).is_staff_of_some_program:
        return True, ""
    return False, str(NOT_EVENT_STAFF)


def can_create_event(user, program=None) -> tuple[bool, str]:
    """Managers and coordinators of ``program`` (any program they run when None), and administrators."""
    scope = scope_for(user)
    if scope.is_admin:
        return True, ""
    if program is None:
        return can_list_events(user)
    if program.pk in scope.managed_program_ids or program.pk in scope.coordinated_regions:
        return True, ""
    return False, str(NOT_EVENT_STAFF)


def can_place_event(user, program, region_id: int | None) -> tuple[bool, str]:
    """Whether ``user`` may hold an event of ``program`` in ``region_id`` (None: province-wide)."""
    scope = scope_for(user)
    if scope.is_admin or program.pk in scope.managed_program_ids:
        return True, ""
    regions = scope.coordinated_regions.get(program.pk)
    if regions is None:
        return False, str(NOT_EVENT_STAFF)
    if region_id is None:
        return False, str(REGION_REQUIRED_FOR_COORDINATOR)
    if region_id not in regions:
        return False, str(REGION_OUTSIDE_YOURS)
    return True, ""


def can_manage_event(user, event: Event) -> tuple[bool, str]:
    """Edit, take the roll call, add walk-ins, export registrants."""
    scope = scope_for(user)
    if scope.is_admin or event.program_id in scope.managed_program_ids:
        return True, ""
    if event.region_id is not None and event.region_id in scope.coordinated_regions.get(event.program_id, ()):
        return True, ""
    return False, str(NOT_MANAGER_OF_EVENT)


def require(allowed: tuple[bool, str]) -> None:
    """Raise 404 when a permission check fails, so a forbidden event looks like a missing one."""
    if not allowed[0]:
        raise Http404(allowed[1])


def access_event_by_id(user, event_id) -> Event:
    """The event with this id if ``user`` may see it on staff pages; 404 for missing and forbidden alike."""
    pk = parse_id(event_id)
    if pk is None:
        raise Http404
    try:
        return events_for(user).select_related("program", "municipality", "region", "series").get(pk=pk)
    except Event.DoesNotExist as error:
        raise Http404 from error


def access_registration_by_id(user, event: Event, registration_id):
    """A registration of ``event``, which ``user`` must manage; 404 otherwise."""
    from .models import Registration

    pk = parse_id(registration_id)
    if pk is None or not can_manage_event(user, event)[0]:
        raise Http404
    try:
        return Registration.objects.select_related("organization").get(event=event, pk=pk)
    except Registration.DoesNotExist as error:
        raise Http404 from error


def access_attendance_import(user, event: Event, token):
    """An attendance import of ``event`` that ``user`` uploaded and may still manage; 404 otherwise."""
    from .models import AttendanceImport

    token = str(token)
    if not can_manage_event(user, event)[0] or not token or len(token) > 64:
        raise Http404
    try:
        return AttendanceImport.objects.select_related("event").get(event=event, token=token, uploaded_by=user)
    except AttendanceImport.DoesNotExist as error:
        raise Http404 from error
