"""Organizations and their people.

Reads go through the same scoped selectors and ``access_*`` helpers as the pages, writes through
the same services, so the API can neither see nor change more than the web interface.
"""

import re

from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from virage.accounts.scope import scope_for
from virage.core.errors import MAX_ID, ConfirmationRequired
from virage.geography.models import Municipality
from virage.geography.selectors import find_mrc, find_region
from virage.organizations.models import Organization, Person
from virage.organizations.permissions import (
    access_organization_by_id,
    access_person_by_id,
    can_create_organization,
    can_edit_organization,
    can_list_organizations,
)
from virage.organizations.selectors import SORTS, organization_list, people_for
from virage.organizations.services import organization_update
from virage.programs.models import Program
from virage.programs.selectors import programs_for, programs_run_by
from virage.programs.services import organization_create_in_program

from .errors import (
    ConfirmationRequiredSerializer,
    DetailSerializer,
    DuplicateErrorSerializer,
    ValidationErrorSerializer,
    confirmation_data,
)
from .geography import PlaceSerializer

UNKNOWN_MUNICIPALITY = _("No Quebec municipality has this geographic code (5 digits, for example 66023 for Montréal).")
PROGRAM_NOT_RUN = _("You can only add an organization to a program you manage or coordinate.")
PROGRAM_REQUIRED = _("You work in several programs: give the program (its short name) to add this organization to.")
RESEND_TO_CONFIRM = _(
    'If your organization is not one of them, send the same request again with "confirm_similar": true.'
)

_MUNICIPALITY_CODE = re.compile(r"^\d{1,5}$", re.ASCII)


# Serializers


class OrganizationSerializer(serializers.ModelSerializer):
    """An organization as the API shows it. It holds no personal information (people are apart)."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    legal_form = serializers.CharField(
        read_only=True, help_text=_("Derived from the first two digits of the Quebec enterprise number (NEQ).")
    )
    municipality = PlaceSerializer(read_only=True)
    mrc = PlaceSerializer(read_only=True, allow_null=True)
    region = PlaceSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "kind_label",
            "legal_name",
            "usual_name",
            "neq",
            "legal_form",
            "charity_number",
            "address",
            "postal_code",
            "municipality",
            "mrc",
            "region",
            "sector",
            "mission",
            "employees_band",
            "volunteers_band",
            "budget_band",
            "website",
            "status",
            "status_label",
            "created_at",
            "updated_at",
            "url",
            "web_url",
        ]
        read_only_fields = fields


def _text(help_text=None, **kwargs) -> serializers.CharField:
    # Lengths, URLs and identifiers are checked by the service, so the API gives the UI's messages;
    # the serializer only checks that a value is text.
    return serializers.CharField(required=False, allow_blank=True, default="", help_text=help_text, **kwargs)


def _choice(choices) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, default="")


class OrganizationWriteSerializer(serializers.Serializer):
    """What a client may send to register or change an organization.

    With PUT, an optional field left out is emptied; with PATCH, it is left as it is.
    """

    kind = serializers.ChoiceField(choices=Organization.Kind.choices)
    legal_name = serializers.CharField(help_text=_("At most 255 characters."))
    usual_name = _text(_("The name people know it by, if it differs from the legal name."))
    neq = _text(_("Quebec enterprise number: 10 digits; spaces and dashes are ignored."))
    charity_number = _text(_("Charity registration number, for example 123456782 RR 0001."))
    address = _text()
    postal_code = _text(_("For example H2X 1Y4."))
    municipality = serializers.CharField(
        help_text=_("Geographic code of the municipality (5 digits); the MRC and the region follow from it.")
    )
    sector = _choice(Organization.Sector.choices)
    # The model's TextField does not check its own length (only forms do), so the API checks it
    # here, with the validator, and therefore the message, that the form uses.
    mission = _text(
        _("At most 2,000 characters."),
        validators=[MaxLengthValidator(Organization._meta.get_field("mission").max_length)],
    )
    employees_band = _choice(Organization.EmployeesBand.choices)
    volunteers_band = _choice(Organization.VolunteersBand.choices)
    budget_band = _choice(Organization.BudgetBand.choices)
    website = _text(_("A complete address, for example https://www.example.org."))

    def validate_municipality(self, value: str) -> Municipality:
        code = value.strip()
        if not _MUNICIPALITY_CODE.match(code):
            raise ValidationError(UNKNOWN_MUNICIPALITY)
        municipality = Municipality.objects.select_related("mrc", "region").filter(code=code.zfill(5)).first()
        if municipality is None:
            raise ValidationError(UNKNOWN_MUNICIPALITY)
        return municipality


class OrganizationCreateSerializer(OrganizationWriteSerializer):
    program = serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=_(
            "Short name of the program to add the organization to, among those you manage or coordinate. "
            "Optional when you work in only one program."
        ),
    )
    confirm_similar = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Register it even though organizations with a similar name exist in the same municipality."),
    )


class OrganizationFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Part of the name (whatever its accents, case or dashes), or a NEQ or charity number."),
    )
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Administrative region: code (06) or name.")
    )
    mrc = serializers.CharField(required=False, allow_blank=True, max_length=150, help_text=_("MRC: code or name."))
    kind = _choice(Organization.Kind.choices)
    program = serializers.SlugField(
        required=False, allow_blank=True, max_length=60, help_text=_("Short name of a program.")
    )
    status = serializers.ChoiceField(
        choices=Organization.Status.choices,
        required=False,
        allow_blank=True,
        help_text=_("Without it, archived organizations are left out."),
    )
    sort = serializers.ChoiceField(choices=sorted(SORTS), required=False, default="name")


class PersonSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")

    class Meta:
        model = Person
        fields = [
            "id",
            "organization",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role_title",
            "preferred_language",
            "is_primary",
            "is_active",
            "url",
        ]
        read_only_fields = fields


class PersonFilterSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Id of an organization.")
    )


# Helpers


def _query_parameters(request, serializer_class) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _program_for_new_organization(user, slug: str) -> Program | None:
    runs = programs_run_by(user)
    if slug:
        program = runs.filter(slug=slug).first()
        if program is None:
            raise ValidationError({"program": [PROGRAM_NOT_RUN]})
        return program
    if scope_for(user).is_admin:
        # An administrator may register an organization outside any program.
        return None
    programs = list(runs[:2])
    if len(programs) == 1:
        return programs[0]
    # Staff see organizations through their programs: one added to none would vanish from their lists.
    raise ValidationError({"program": [PROGRAM_REQUIRED]})


def _reload(organization: Organization) -> Organization:
    return Organization.objects.select_related("municipality", "mrc", "region").get(pk=organization.pk)


# Views

FORBIDDEN = OpenApiResponse(DetailSerializer, description=_("Your role does not allow this."))
NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("No such organization among those you may see."))
PERSON_NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("No such person among those you may see."))
INVALID = OpenApiResponse(ValidationErrorSerializer, description=_("Field messages, the same as in the forms."))
DUPLICATE = OpenApiResponse(
    DuplicateErrorSerializer,
    description=_("The NEQ or charity number is already registered; `existing` links to that organization."),
)
CONFLICT = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="OrganizationConflict",
        serializers=[DuplicateErrorSerializer, ConfirmationRequiredSerializer],
        resource_type_field_name=None,
    ),
    description=_(
        "Either the NEQ or charity number is already registered (`existing` links to that organization), "
        'or organizations with a similar name exist in the municipality (`candidates`): resend with "confirm_similar".'
    ),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List the organizations you may see"),
        parameters=[OrganizationFilterSerializer],
        responses={200: OrganizationSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(summary=_("Read an organization"), responses={200: OrganizationSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary=_("Register an organization"),
        request=OrganizationCreateSerializer,
        responses={201: OrganizationSerializer, 400: INVALID, 403: FORBIDDEN, 409: CONFLICT},
    ),
    update=extend_schema(
        summary=_("Replace an organization's details"),
        request=OrganizationWriteSerializer,
        responses={200: OrganizationSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: DUPLICATE},
    ),
    partial_update=extend_schema(
        summary=_("Change some of an organization's details"),
        request=OrganizationWriteSerializer,
        responses={200: OrganizationSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: DUPLICATE},
    ),
)
class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OrganizationSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        user = self.request.user
        filters = _query_parameters(self.request, OrganizationFilterSerializer)
        # Unknown places and programs match nothing rather than being ignored, so a typo in a
        # filter never returns the whole list.
        lookups = {}
        if filters.get("region"):
            region = find_region(filters["region"])
            if region is None:
                return Organization.objects.none()
            lookups["region_id"] = region.pk
        if filters.get("mrc"):
            mrc = find_mrc(filters["mrc"])
            if mrc is None:
                return Organization.objects.none()
            lookups["mrc_id"] = mrc.pk
        if filters.get("program"):
            program_id = programs_for(user).filter(slug=filters["program"]).values_list("pk", flat=True).first()
            if program_id is None:
                return Organization.objects.none()
            lookups["program_id"] = program_id
        return organization_list(
            user,
            query=filters.get("q", ""),
            kind=filters.get("kind", ""),
            status=filters.get("status", ""),
            sort=filters.get("sort", "name"),
            **lookups,
        )

    def get_object(self):
        return access_organization_by_id(self.request.user, self.kwargs[self.lookup_field])

    def list(self, request, *args, **kwargs):
        allowed, reason = can_list_organizations(request.user)
        if not allowed:
            raise PermissionDenied(reason)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        allowed, reason = can_create_organization(request.user)
        if not allowed:
            raise PermissionDenied(reason)
        serializer = OrganizationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        program = _program_for_new_organization(request.user, data.pop("program", ""))
        confirm_similar = data.pop("confirm_similar", False)
        try:
            organization = organization_create_in_program(
                actor=request.user, program=program, data=data, confirm_similar=confirm_similar
            )
        except ConfirmationRequired as error:
            return Response(
                confirmation_data(error, request, hint=str(RESEND_TO_CONFIRM)), status=status.HTTP_409_CONFLICT
            )
        output = self.get_serializer(_reload(organization))
        return Response(output.data, status=status.HTTP_201_CREATED, headers={"Location": output.data["url"]})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        organization = self.get_object()
        allowed, reason = can_edit_organization(request.user, organization)
        if not allowed:
            raise PermissionDenied(reason)
        serializer = OrganizationWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        organization = organization_update(
            actor=request.user, organization=organization, data=serializer.validated_data
        )
        return Response(self.get_serializer(_reload(organization)).data)

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary=_("List the contact people of the organizations you may see"),
        description=_("Empty for roles that see aggregate figures only (funders, reviewers)."),
        parameters=[PersonFilterSerializer],
        responses={200: PersonSerializer(many=True), 400: INVALID},
    ),
    retrieve=extend_schema(
        summary=_("Read a contact person"), responses={200: PersonSerializer, 404: PERSON_NOT_FOUND}
    ),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        queryset = people_for(self.request.user)
        filters = _query_parameters(self.request, PersonFilterSerializer)
        if filters.get("organization"):
            queryset = queryset.filter(organization_id=filters["organization"])
        return queryset.order_by("last_name", "first_name", "id")

    def get_object(self):
        return access_person_by_id(self.request.user, self.kwargs[self.lookup_field])
