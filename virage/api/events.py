"""Events, their registrations and attendance.

The same selectors, permission checks and services as the staff pages: the API sees and changes
exactly what the web interface lets the same person see and change, with the same messages.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.fields import empty
from rest_framework.response import Response

from virage.core.errors import MAX_ID
from virage.events.forms import (
    DEADLINE_AFTER_END,
    ORGANIZATION_UNKNOWN,
    PLACE_REQUIRED,
    REGION_CONFLICTS_WITH_MUNICIPALITY,
)
from virage.events.models import Event, Registration
from virage.events.permissions import (
    access_event_by_id,
    access_registration_by_id,
    can_create_event,
    can_list_events,
    can_manage_event,
    can_place_event,
)
from virage.events.selectors import event_list, registrants_for
from virage.events.services import (
    attendance_mark,
    event_create,
    event_update,
    registration_cancel,
    registration_create,
)
from virage.geography.models import Municipality, Region
from virage.geography.selectors import find_region
from virage.organizations.selectors import organizations_for
from virage.programs.selectors import programs_for, programs_run_by

from .errors import DetailSerializer, ValidationErrorSerializer
from .geography import PlaceSerializer
from .organizations import UNKNOWN_MUNICIPALITY, _query_parameters

EVENT_PROGRAM_NOT_RUN = _("You can only create events in a program you manage or coordinate.")
UNKNOWN_REGION = _("No Quebec region has this code (2 digits, for example 06 for Montréal).")
TIME_ZONE_REQUIRED = _("Give the time with its offset from UTC, for example 2026-11-23T13:30:00-05:00.")
# The roll call's own message (see events.views.attendance_toggle), so both read the same.
NOT_ON_ROLL_CALL = _("Only confirmed registrants are on the roll call.")

# Event fields a client may send as they are; places and the program are translated from codes.
PLAIN_EVENT_FIELDS = (
    "kind",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "language",
    "starts_at",
    "ends_at",
    "online_url",
    "address",
    "capacity",
    "registration_deadline",
    "counts_toward_sensitization",
    "attendance_threshold_minutes",
    "attendance_threshold_percent",
    "status",
)
# The interface's languages, named once in the schema (see SPECTACULAR_SETTINGS).
LANGUAGE_CHOICES = settings.LANGUAGES
# The largest value a positive integer column holds on every database Virage runs on.
MAX_INTEGER = 2**31 - 1


# Serializers


class EventProgramSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class EventCountsSerializer(serializers.Serializer):
    confirmed = serializers.IntegerField(source="confirmed_count", read_only=True)
    waitlisted = serializers.IntegerField(source="waitlisted_count", read_only=True)
    attended = serializers.IntegerField(source="attended_count", read_only=True)


class EventSerializer(serializers.ModelSerializer):
    """An event as the API shows it, with its registration counts."""

    program = EventProgramSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.CharField(read_only=True, help_text=_("In the language of the request, French by default."))
    municipality = PlaceSerializer(read_only=True, allow_null=True)
    region = PlaceSerializer(read_only=True, allow_null=True, help_text=_("Empty for a province-wide event."))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    counts = EventCountsSerializer(source="*", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail")
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "program",
            "kind",
            "kind_label",
            "title",
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "language",
            "starts_at",
            "ends_at",
            "online_url",
            "municipality",
            "address",
            "region",
            "capacity",
            "registration_deadline",
            "counts_toward_sensitization",
            "attendance_threshold_minutes",
            "attendance_threshold_percent",
            "status",
            "status_label",
            "counts",
            "created_at",
            "updated_at",
            "url",
            "web_url",
        ]
        read_only_fields = fields


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time that must carry its offset: a bare time would be ambiguous."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if isinstance(value, str) and not _has_offset(value):
            raise ValidationError(TIME_ZONE_REQUIRED)
        return parsed


def _has_offset(text: str) -> bool:
    time_part = text.strip().partition("T")[2] or text.strip().partition(" ")[2]
    return time_part.upper().endswith("Z") or "+" in time_part or "-" in time_part


def _text(help_text=None) -> serializers.CharField:
    # Lengths and URLs are checked by the model, so the API gives the same messages as the pages.
    return serializers.CharField(required=False, allow_blank=True, help_text=help_text)


def _number(help_text=None) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, allow_null=True, max_value=MAX_INTEGER, help_text=help_text)


class EventWriteSerializer(serializers.Serializer):
    """What a client may send to change an event. Fields left out keep their value."""

    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    title_fr = serializers.CharField(help_text=_("At most 200 characters."))
    title_en = _text()
    description_fr = _text()
    description_en = _text()
    language = serializers.ChoiceField(choices=Event.Language.choices, required=False)
    starts_at = AwareDateTimeField(help_text=_("ISO 8601 with its offset, for example 2026-11-23T13:30:00-05:00."))
    ends_at = AwareDateTimeField(help_text=_("ISO 8601 with its offset; after the start."))
    online_url = _text(_("A complete address, for example https://zoom.us/j/123."))
    municipality = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Geographic code of the municipality where the event takes place (5 digits); sets the region."),
    )
    address = _text()
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Code of the region an online event serves (2 digits). Empty with no municipality: province-wide."),
    )
    capacity = _number(_("Empty: no limit."))
    registration_deadline = AwareDateTimeField(required=False, allow_null=True, help_text=_("Empty: until the end."))
    counts_toward_sensitization = serializers.BooleanField(required=False)
    attendance_threshold_minutes = _number(_("Minimum minutes present to count as having attended."))
    # Bounded here: the model's own message for this constraint cannot be formatted (it holds a bare "%").
    attendance_threshold_percent = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Minimum share of the event present (%), 50 by default."),
    )
    status = serializers.ChoiceField(choices=Event.Status.choices, required=False)

    def validate_municipality(self, value):
        code = (value or "").strip()
        if not code:
            return None
        municipality = None
        if code.isascii() and code.isdigit() and len(code) <= 5:
            municipality = Municipality.objects.select_related("region").filter(code=code.zfill(5)).first()
        if municipality is None:
            raise ValidationError(UNKNOWN_MUNICIPALITY)
        return municipality

    def validate_region(self, value):
        code = (value or "").strip()
        if not code:
            return None
        region = None
        if code.isascii() and code.isdigit() and len(code) <= 2:
            region = Region.objects.filter(code=code.zfill(2)).first()
        if region is None:
            raise ValidationError(UNKNOWN_REGION)
        return region


class EventCreateSerializer(EventWriteSerializer):
    program = serializers.SlugField(
        max_length=60, help_text=_("Short name of the program, among those you manage or coordinate.")
    )


class EventFilterSerializer(serializers.Serializer):
    when = serializers.ChoiceField(
        choices=[("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All"))],
        required=False,
        default="upcoming",
        help_text=_("Upcoming events (not over yet) come soonest first; past events most recent first."),
    )
    program = serializers.SlugField(
        required=False, allow_blank=True, max_length=60, help_text=_("Short name of a program.")
    )
    kind = serializers.ChoiceField(choices=Event.Kind.choices, required=False, allow_blank=True)
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Administrative region: code (06) or name.")
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text=_("Part of the title."))


class RegistrationOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)
    organization = RegistrationOrganizationSerializer(read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = Registration
        # The cancellation key is the registrant's own link: it never leaves the server.
        fields = [
            "id",
            "event",
            "first_name",
            "last_name",
            "email",
            "language",
            "organization",
            "status",
            "status_label",
            "source",
            "source_label",
            "attended",
            "minutes_present",
            "attendance_source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RegistrationCreateSerializer(serializers.Serializer):
    first_name = serializers.CharField(help_text=_("At most 100 characters."))
    last_name = serializers.CharField(help_text=_("At most 100 characters."))
    email = serializers.CharField(help_text=_("One registration per e-mail address and event."))
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, default="fr")
    organization = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Id of an organization you work with, optional."),
    )


class RequiredBooleanField(serializers.BooleanField):
    # DRF reads a boolean missing from a form-encoded body as false (an unticked checkbox); here
    # a missing answer is an error, whatever the body's encoding, so nobody is marked absent by omission.
    default_empty_html = empty


class AttendanceSerializer(serializers.Serializer):
    attended = RequiredBooleanField(help_text=_("Present (true) or absent (false)."))
    minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_INTEGER, help_text=_("Minutes present, optional.")
    )


# Helpers


def _events(user):
    return event_list(user, when="all")


def _check(allowed: tuple[bool, str]) -> None:
    if not allowed[0]:
        raise PermissionDenied(allowed[1])


def _place_of(data: dict, event: Event | None):
    """The municipality and region the event will have once ``data`` is applied."""
    municipality = data.get("municipality", event.municipality if event else None)
    if "region" in data:
        region = data["region"]
    elif "municipality" in data:
        # A new municipality (or none) replaces the region that came with the old one.
        region = None
    else:
        region = event.region if event else None
    return municipality, region


def _check_event(user, program, data: dict, event: Event | None) -> dict:
    """The pages' checks across fields, then where the user may hold the event. Returns the service's data."""
    merged = {name: data.get(name, getattr(event, name, None)) for name in PLAIN_EVENT_FIELDS}
    municipality, region = _place_of(data, event)
    errors: dict[str, list] = {}
    if not merged["online_url"] and municipality is None:
        errors["municipality"] = [PLACE_REQUIRED]
    if municipality is not None and region is not None and municipality.region_id != region.pk:
        errors["region"] = [REGION_CONFLICTS_WITH_MUNICIPALITY]
    ends_at, deadline = merged["ends_at"], merged["registration_deadline"]
    if ends_at and deadline and deadline > ends_at:
        errors["registration_deadline"] = [DEADLINE_AFTER_END]
    if not errors:
        region_id = municipality.region_id if municipality is not None else (region.pk if region else None)
        allowed, reason = can_place_event(user, program, region_id)
        if not allowed:
            errors["municipality" if municipality is not None else "region"] = [reason]
    if errors:
        raise ValidationError(errors)
    service_data = {name: data[name] for name in PLAIN_EVENT_FIELDS if name in data}
    # Empty numbers mean "no limit" and "no minimum", the defaults of the model.
    if "attendance_threshold_percent" in service_data and service_data["attendance_threshold_percent"] is None:
        del service_data["attendance_threshold_percent"]
    service_data["municipality"] = municipality
    service_data["region"] = municipality.region if municipality is not None else region
    return service_data


def _registration_event(request, event_pk) -> Event:
    """The event whose registrations are asked for: 403 for roles without events, 404 if unseen."""
    _check(can_list_events(request.user))
    event = access_event_by_id(request.user, event_pk)
    _check(can_manage_event(request.user, event))
    return event


# Views

FORBIDDEN = OpenApiResponse(DetailSerializer, description=_("Your role does not allow this."))
NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("No such event among those you may see."))
REGISTRATION_NOT_FOUND = OpenApiResponse(
    DetailSerializer, description=_("No such registration among those of the events you run.")
)
INVALID = OpenApiResponse(ValidationErrorSerializer, description=_("Field messages, the same as in the forms."))
EVENT_PATH = OpenApiParameter(
    "event_pk", int, OpenApiParameter.PATH, description=_("Id of the event the registrations belong to.")
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List the events you may see"),
        parameters=[EventFilterSerializer],
        responses={200: EventSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(summary=_("Read an event"), responses={200: EventSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary=_("Create an event"),
        request=EventCreateSerializer,
        responses={201: EventSerializer, 400: INVALID, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary=_("Change some of an event's details"),
        description=_("The event stays in its program. Seats freed by a larger capacity go to the waiting list."),
        request=EventWriteSerializer,
        responses={200: EventSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EventSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        user = self.request.user
        filters = _query_parameters(self.request, EventFilterSerializer)
        # An unknown program or region matches nothing rather than being ignored, so a typo in a
        # filter never returns the whole list.
        lookups = {}
        if filters.get("program"):
            program_id = programs_for(user).filter(slug=filters["program"]).values_list("pk", flat=True).first()
            if program_id is None:
                return Event.objects.none()
            lookups["program_id"] = program_id
        if filters.get("region"):
            region = find_region(filters["region"])
            if region is None:
                return Event.objects.none()
            lookups["region_id"] = region.pk
        return event_list(
            user,
            when=filters.get("when", "upcoming"),
            kind=filters.get("kind", ""),
            query=filters.get("q", "").strip(),
            **lookups,
        )

    def get_object(self):
        event = access_event_by_id(self.request.user, self.kwargs[self.lookup_field])
        return _events(self.request.user).get(pk=event.pk)

    def list(self, request, *args, **kwargs):
        _check(can_list_events(request.user))
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        _check(can_create_event(request.user))
        serializer = EventCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        program = programs_run_by(request.user).filter(slug=data.pop("program")).first()
        if program is None or not can_create_event(request.user, program)[0]:
            raise ValidationError({"program": [EVENT_PROGRAM_NOT_RUN]})
        service_data = _check_event(request.user, program, data, None)
        event = event_create(actor=request.user, data={**service_data, "program": program})
        output = self.get_serializer(_events(request.user).get(pk=event.pk))
        return Response(output.data, status=status.HTTP_201_CREATED, headers={"Location": output.data["url"]})

    def partial_update(self, request, *args, **kwargs):
        event = access_event_by_id(request.user, kwargs[self.lookup_field])
        _check(can_manage_event(request.user, event))
        serializer = EventWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        service_data = _check_event(request.user, event.program, dict(serializer.validated_data), event)
        event = event_update(actor=request.user, event=event, data=service_data)
        return Response(self.get_serializer(_events(request.user).get(pk=event.pk)).data)


@extend_schema(parameters=[EVENT_PATH])
@extend_schema_view(
    list=extend_schema(
        summary=_("List the registrations of an event you run"),
        description=_("Confirmed, then on the waiting list, then cancelled; by name within each."),
        responses={200: RegistrationSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary=_("Read a registration"), responses={200: RegistrationSerializer, 404: REGISTRATION_NOT_FOUND}
    ),
    create=extend_schema(
        summary=_("Register someone for an event"),
        description=_(
            "Staff may register someone even after the deadline; when the event is full, they go on the waiting list."
        ),
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    cancel=extend_schema(
        summary=_("Cancel a registration"),
        description=_("A freed seat goes to the first person on the waiting list."),
        request=None,
        responses={200: RegistrationSerializer, 400: INVALID, 404: REGISTRATION_NOT_FOUND},
    ),
    attendance=extend_schema(
        summary=_("Record whether a registrant attended"),
        request=AttendanceSerializer,
        responses={200: RegistrationSerializer, 400: INVALID, 404: REGISTRATION_NOT_FOUND},
    ),
)
class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RegistrationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        return registrants_for(_registration_event(self.request, self.kwargs["event_pk"]))

    def get_object(self):
        event = access_event_by_id(self.request.user, self.kwargs["event_pk"])
        return access_registration_by_id(self.request.user, event, self.kwargs[self.lookup_field])

    def create(self, request, *args, **kwargs):
        event = _registration_event(request, kwargs["event_pk"])
        serializer = RegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = None
        if data.get("organization"):
            # Only organizations the user works with: an id cannot reveal another one.
            organization = organizations_for(request.user).filter(pk=data["organization"]).first()
            if organization is None:
                raise ValidationError({"organization": [ORGANIZATION_UNKNOWN]})
        registration = registration_create(
            event=event,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            language=data["language"],
            organization=organization,
            source=Registration.Source.STAFF,
            actor=request.user,
        )
        return Response(self.get_serializer(_reload(registration)).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        registration = self.get_object()
        registration_cancel(registration=registration, actor=request.user)
        return Response(self.get_serializer(_reload(registration)).data)

    @action(detail=True, methods=["post"])
    def attendance(self, request, *args, **kwargs):
        registration = self.get_object()
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if registration.status != Registration.Status.CONFIRMED:
            raise ValidationError({"non_field_errors": [NOT_ON_ROLL_CALL]})
        registration = attendance_mark(
            registration=registration,
            attended=serializer.validated_data["attended"],
            minutes=serializer.validated_data.get("minutes"),
            actor=request.user,
        )
        return Response(self.get_serializer(_reload(registration)).data)


def _reload(registration: Registration) -> Registration:
    return Registration.objects.select_related("organization").get(pk=registration.pk)
