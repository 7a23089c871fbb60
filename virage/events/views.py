"""Staff pages of events: lists, creation and editing, roll call, walk-ins and exports.

Views parse input, check access through permissions.py, call one service and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from virage.core.activity import history_for
from virage.core.forms import add_service_errors
from virage.core.pagination import SEARCH_COUNT_CAP, CappedPaginator
from virage.core.spreadsheets import csv_response, xlsx_response
from virage.organizations.selectors import organizations_for
from virage.programs.selectors import programs_run_by

from . import services
from .forms import EventFilterForm, EventForm, WalkInForm, parse_attended
from .models import Registration
from .permissions import (
    access_event_by_id,
    access_registration_by_id,
    can_create_event,
    can_list_events,
    can_manage_event,
    require,
)
from .selectors import event_counts, registrants_for
from .selectors import event_list as select_events

PAGE_SIZE = 50
EXPORT_FORMATS = {"csv", "xlsx"}


@login_required
def event_list(request):
    require(can_list_events(request.user))
    form = EventFilterForm(request.GET or None, programs=programs_run_by(request.user))
    filters = form.filters()
    events = select_events(request.user, **filters)
    paginator = CappedPaginator(events, PAGE_SIZE, cap=SEARCH_COUNT_CAP if filters["query"] else None)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {
            "form": form,
            "when": filters["when"],
            "page_obj": page,
            "events": page.object_list,
            "can_create": can_create_event(request.user)[0],
        },
    )


def _save_event(request, form, *, event=None):
    """Call the service with the form's data; field errors of the model come back onto the form."""
    try:
        if event is None:
            return services.event_create(
                actor=request.user, data=form.service_data(), topics=form.cleaned_data.get("topics") or ()
            )
        return services.event_update(
            actor=request.user, event=event, data=form.service_data(), topics=form.cleaned_data.get("topics") or ()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
def event_create(request):
    require(can_create_event(request.user))
    form = EventForm(request.POST or None, user=request.user, programs=programs_run_by(request.user))
    if request.method == "POST" and form.is_valid():
        event = _save_event(request, form)
        if event is not None:
            messages.success(request, _("The event %(title)s was created.") % {"title": event})
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form})


@login_required
def event_edit(request, pk):
    event = access_event_by_id(request.user, pk)
    require(can_manage_event(request.user, event))
    form = EventForm(request.POST or None, instance=event, user=request.user, programs=None)
    if request.method == "POST" and form.is_valid():
        saved = _save_event(request, form, event=event)
        if saved is not None:
            messages.success(request, _("The event was saved."))
            return redirect(saved)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def event_detail(request, pk):
    event = access_event_by_id(request.user, pk)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "topics": event.topics.all(),
            "counts": event_counts(event),
            "registrants": registrants_for(event),
            "can_manage": can_manage_event(request.user, event)[0],
            "history": history_for(event)[:100],
            "is_over": event.ends_at < timezone.now(),
        },
    )


def _toggle_prefix(event) -> str:
    """The start of every attendance toggle's address of this event: the registration's id and "/" follow."""
    return reverse("events:attendance_toggle", args=[event.pk, 0]).removesuffix("0/")


def roll_call_labels(registrations) -> dict[str, str]:
    """The buttons' words, and each registrant's accessible labels ("Léa Roy: present"), translated once."""
    present, absent = _("%(name)s: present"), _("%(name)s: absent")
    for registration in registrations:
        registration.present_label = present % {"name": registration.full_name}
        registration.absent_label = absent % {"name": registration.full_name}
    return {"present": _("Present"), "absent": _("Absent")}


def _roll_call_context(request, event, walk_in_form):
    registrants = list(registrants_for(event, statuses=[Registration.Status.CONFIRMED]))
    return {
        "event": event,
        "toggle_prefix": _toggle_prefix(event),
        "labels": roll_call_labels(registrants),
        "registrants": registrants,
        "counts": event_counts(event),
        "walk_in_form": walk_in_form,
    }


@login_required
def roll_call(request, pk):
    """The roll call page; a POST here adds a walk-in, who is marked present at once."""
    event = access_event_by_id(request.user, pk)
    require(can_manage_event(request.user, event))
    form = WalkInForm(request.POST or None, organizations=organizations_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_walk_in(
                event=event,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                organization=data["organization"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added and marked present.") % {"name": registration.full_name})
            return redirect("events:roll_call", pk=event.pk)
    return render(request, "events/roll_call.html", _roll_call_context(request, event, form))


@login_required
@require_POST
def attendance_toggle(request, pk, registration_pk):
    """Mark one registrant present or absent: the row again for htmx, the page again without it."""
    event = access_event_by_id(request.user, pk)
    registration = access_registration_by_id(request.user, event, registration_pk)
    attended = parse_attended(request.POST.get("attended"))
    if attended is None:
        return HttpResponseBadRequest(_("Choose present or absent."))
    if registration.status != Registration.Status.CONFIRMED:
        return HttpResponseBadRequest(_("Only confirmed registrants are on the roll call."))
    registration = services.attendance_mark(registration=registration, attended=attended, actor=request.user)
    if request.htmx:
        # The row, and the "present of confirmed" line swapped out of band so it stays true.
        return render(
            request,
            "events/_roll_call_row.html",
            {
                "event": event,
                "registration": registration,
                "labels": roll_call_labels([registration]),
                "counts": event_counts(event),
                # Only the row sent back to htmx brings the counter along, out of band.
                "oob_counts": True,
                "toggle_prefix": _toggle_prefix(event),
            },
        )
    return redirect("events:roll_call", pk=event.pk)


def _export_rows(event):
    for registration in registrants_for(event).iterator(chunk_size=2000):
        organization = registration.organization
        yield [
            registration.last_name,
            registration.first_name,
            registration.email,
            organization.display_name if organization else "",
            organization.neq if organization else "",
            registration.get_status_display(),
            registration.get_source_display(),
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            {True: _("Present"), False: _("Absent")}.get(registration.attended, ""),
            "" if registration.minutes_present is None else registration.minutes_present,
            registration.get_attendance_source_display(),
        ]


@login_required
def registrants_export(request, pk, file_format):
    event = access_event_by_id(request.user, pk)
    require(can_manage_event(request.user, event))
    if file_format not in EXPORT_FORMATS:
        raise Http404
    header = [
        _("Last name"),
        _("First name"),
        _("E-mail address"),
        _("Organization"),
        _("NEQ"),
        _("Status"),
        _("Source"),
        _("Registered at"),
        _("Attendance"),
        _("Minutes present"),
        _("Attendance recorded by"),
    ]
    filename = f"inscrits-{event.pk}-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "csv":
        return csv_response(filename=filename, header=header, rows=_export_rows(event))
    return xlsx_response(filename=filename, sheet_title=_("Registrants"), header=header, rows=_export_rows(event))
