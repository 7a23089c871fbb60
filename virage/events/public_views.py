"""The public calendar: no sign-in. Shows published events only, and nothing about who registered."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from virage.core.errors import parse_id
from virage.core.ratelimits import TOO_MANY_REQUESTS, TOO_MANY_SUBMISSIONS, public_form_limited
from virage.programs.forms import ConsentForm
from virage.programs.models import Program

from . import services
from .ical import event_calendar, event_file_name
from .models import Event, Registration
from .public_forms import PublicRegistrationForm

# A public calendar lists what is coming, not an archive: enough for a year of weekly events.
CALENDAR_LIMIT = 200
REGISTERED = _("Your registration is confirmed. A confirmation e-mail is on its way.")
WAITLISTED = _("The event is full: you are on the waiting list. An e-mail confirms it.")
CANCELLED = _("Your registration is cancelled.")


def _public_events():
    """Events the public may see: published (or cancelled, so registrants learn it) in an active program."""
    return (
        Event.objects.filter(program__is_active=True)
        .filter(status__in=(Event.Status.PUBLISHED, Event.Status.CANCELLED))
        .select_related("program", "municipality")
        .annotate(confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)))
    )


def _seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.confirmed_count, 0)


def _access_public_event(pk) -> Event:
    event_id = parse_id(pk)
    if event_id is None:
        raise Http404
    return get_object_or_404(_public_events(), pk=event_id)


def _registration_closed_reason(event: Event) -> str:
    """Why the form is not shown, or empty when registration is open (the service checks again on POST)."""
    now = timezone.now()
    if event.status == Event.Status.CANCELLED:
        return str(services.EVENT_CANCELLED)
    if now >= event.ends_at:
        return str(services.EVENT_PAST)
    if event.registration_deadline and now > event.registration_deadline:
        return str(services.REGISTRATION_CLOSED)
    return ""


def program_calendar(request, slug):
    program = get_object_or_404(Program, slug=slug, is_active=True)
    events = list(
        _public_events()
        .filter(program=program, status=Event.Status.PUBLISHED, ends_at__gt=timezone.now())
        .order_by("starts_at", "id")[:CALENDAR_LIMIT]
    )
    months = []
    for event in events:
        event.seats_left = _seats_left(event)
        month = timezone.localtime(event.starts_at).date().replace(day=1)
        if not months or months[-1]["month"] != month:
            months.append({"month": month, "events": []})
        months[-1]["events"].append(event)
    return render(request, "events/public/calendar.html", {"program": program, "months": months})


def event_page(request, pk):
    event = _access_public_event(pk)
    event.seats_left = _seats_left(event)
    closed_reason = _registration_closed_reason(event)
    data = request.POST if request.method == "POST" and not closed_reason else None
    language = (translation.get_language() or "fr")[:2]
    form = PublicRegistrationForm(data, initial={"language": language}, prefix="registration")
    consent_form = ConsentForm(data, prefix="consent")
    if request.method == "POST" and closed_reason:
        messages.error(request, closed_reason)
    limited = public_form_limited(request, "event-registration")
    if data is not None:
        # Both forms are validated (no short-circuit) so that every error shows at once.
        valid = [form.is_valid(), consent_form.is_valid()]
        if limited:
            form.add_error(None, TOO_MANY_SUBMISSIONS)
        elif all(valid):
            registration = _register(event, form, consent_form)
            if registration is not None:
                waitlisted = registration.status == Registration.Status.WAITLISTED
                messages.success(request, WAITLISTED if waitlisted else REGISTERED)
                return redirect("calendar:event", pk=event.pk)
    return render(
        request,
        "events/public/event.html",
        {"event": event, "form": form, "consent_form": consent_form, "closed_reason": closed_reason},
        status=TOO_MANY_REQUESTS if limited else 200,
    )


def _register(event: Event, form: PublicRegistrationForm, consent_form: ConsentForm) -> Registration | None:
    """Call the service; its refusals become form errors (None is returned then)."""
    data = form.cleaned_data
    try:
        return services.public_registration_create(
            event=event,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            language=data["language"],
            consents=consent_form.answers(),
            organization=data["existing_organization"],
            new_organization=data["new_organization"],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, field_messages in error.message_dict.items():
                target = field if field in ("first_name", "last_name", "email", "language") else None
                if field in ("legal_name", "kind", "municipality"):
                    target = {"legal_name": "organization", "kind": "organization_kind"}.get(
                        field, "organization_municipality"
                    )
                form.add_error(target, field_messages)
        else:
            form.add_error(None, error.messages)
    return None


def event_ics(request, pk):
    event = _access_public_event(pk)
    response = HttpResponse(event_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event_file_name(event)}"'
    return response


def cancel(request, token):
    registration = get_object_or_404(
        Registration.objects.select_related("event", "event__program", "event__municipality"),
        cancel_token=str(token)[:64],
    )
    if request.method == "POST" and registration.status != Registration.Status.CANCELLED:
        try:
            services.public_registration_cancel(registration=registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, CANCELLED)
        return redirect("calendar:cancel", token=registration.cancel_token)
    return render(request, "events/public/cancel.html", {"registration": registration, "event": registration.event})
