"""Learning: paths, cohorts, enrollments, progress and attestations, and the public verification.

The same access helpers and services as the pages: the API sees and changes exactly what the web
interface lets the same person see and change, with the same messages.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from virage.core.errors import MAX_ID
from virage.learning import selectors, services
from virage.learning.forms import PERSON_NOT_FOUND
from virage.learning.models import Attestation, Cohort, Enrollment, LearningPath, Module, ModuleProgress
from virage.learning.permissions import (
    access_attestation_by_id,
    access_cohort_by_id,
    access_enrollment_by_id,
    access_path_by_id,
    attestation_by_code,
    can_facilitate_cohort,
    can_manage_attestation,
    can_run_cohort,
    can_see_learning,
    cohorts_for,
    own_enrollments,
)
from virage.organizations.selectors import people_for

from .errors import DetailSerializer, ValidationErrorSerializer

UNKNOWN_MODULE = _("This module is not part of the cohort's path.")


def _check(allowed: tuple[bool, str]) -> None:
    if not allowed[0]:
        raise PermissionDenied(allowed[1])


# Serializers


class CompetencySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name_fr = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class ModuleSerializer(serializers.ModelSerializer):
    competencies = CompetencySerializer(many=True, read_only=True)
    format_label = serializers.CharField(source="get_format_display", read_only=True)

    class Meta:
        model = Module
        fields = [
            "id",
            "position",
            "title_fr",
            "title_en",
            "objectives_fr",
            "objectives_en",
            "competencies",
            "expected_hours",
            "format",
            "format_label",
            "is_required",
            "phase",
        ]
        read_only_fields = fields


class PathSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    modules = ModuleSerializer(many=True, read_only=True)
    prerequisite_paths = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:learningpath-detail")

    class Meta:
        model = LearningPath
        fields = [
            "id",
            "program",
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "audience",
            "kind",
            "status",
            "prerequisite_event_kind",
            "prerequisite_paths",
            "modules",
            "url",
        ]
        read_only_fields = fields


class CohortSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    is_private = serializers.BooleanField(read_only=True)
    enrolled = serializers.IntegerField(source="enrolled_count", read_only=True)
    waitlisted = serializers.IntegerField(source="waitlisted_count", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:cohort-detail")

    class Meta:
        model = Cohort
        fields = [
            "id",
            "path",
            "program",
            "name",
            "starts_on",
            "ends_on",
            "capacity",
            "language",
            "region",
            "is_private",
            "status",
            "enrolled",
            "waitlisted",
            "url",
        ]
        read_only_fields = fields


class EnrollmentSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(source="person.first_name", read_only=True)
    last_name = serializers.CharField(source="person.last_name", read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    mentor = serializers.IntegerField(source="mentor_id", read_only=True, allow_null=True)
    attestation = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "cohort",
            "person",
            "first_name",
            "last_name",
            "organization",
            "status",
            "source",
            "mentor",
            "enrolled_on",
            "hours_completed",
            "completed_on",
            "attestation",
        ]
        read_only_fields = fields

    def get_attestation(self, enrollment) -> int | None:
        attestation = getattr(enrollment, "attestation", None)
        return attestation.pk if attestation is not None else None


class EnrollmentCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(
        max_length=254, help_text=_("E-mail address of a person of an organization you work with.")
    )


class ProgressCellSerializer(serializers.Serializer):
    module = serializers.IntegerField(source="module.pk", read_only=True)
    status = serializers.CharField(read_only=True)
    evidence = serializers.CharField(read_only=True)
    declared = serializers.BooleanField(read_only=True)
    completed_on = serializers.DateField(read_only=True, allow_null=True)


class ProgressRowSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="enrollment.pk", read_only=True)
    first_name = serializers.CharField(source="enrollment.person.first_name", read_only=True)
    last_name = serializers.CharField(source="enrollment.person.last_name", read_only=True)
    modules = ProgressCellSerializer(source="cells", many=True, read_only=True)
    is_complete = serializers.BooleanField(source="completion.is_complete", read_only=True)
    missing = serializers.ListField(source="completion.missing", child=serializers.CharField(), read_only=True)
    hours = serializers.DecimalField(source="completion.hours", max_digits=7, decimal_places=2, read_only=True)


class ProgressUpdateSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    module = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=ModuleProgress.Status.choices)


class AttestationSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="display_code", read_only=True)
    is_valid = serializers.BooleanField(read_only=True)
    verification_url = serializers.CharField(source="get_verification_url", read_only=True)

    class Meta:
        model = Attestation
        fields = [
            "id",
            "enrollment",
            "code",
            "learner_name",
            "path_title_fr",
            "path_title_en",
            "competencies",
            "hours",
            "completed_on",
            "issuer",
            "is_valid",
            "revoked_at",
            "revocation_reason",
            "verification_url",
            "created_at",
        ]
        read_only_fields = fields


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why the attestation no longer holds."))


class VerificationSerializer(serializers.Serializer):
    """What anyone may learn from a verification code: nothing beyond name, path and date."""

    code = serializers.CharField(source="display_code", read_only=True)
    status = serializers.SerializerMethodField()
    learner_name = serializers.CharField(read_only=True)
    path_title_fr = serializers.CharField(read_only=True)
    path_title_en = serializers.CharField(read_only=True)
    completed_on = serializers.DateField(read_only=True)
    issuer = serializers.CharField(read_only=True)

    def get_status(self, attestation) -> str:
        return "valid" if attestation.is_valid else "revoked"


# Views

FORBIDDEN = OpenApiResponse(DetailSerializer, description=_("Your role does not allow this."))
NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("Not found among what you may see."))
INVALID = OpenApiResponse(ValidationErrorSerializer, description=_("Field messages, the same as in the forms."))
COHORT_PATH = OpenApiParameter("cohort_pk", int, OpenApiParameter.PATH, description=_("Id of the cohort."))


@extend_schema_view(
    list=extend_schema(summary=_("List the learning paths you may see"), responses={200: PathSerializer(many=True)}),
    retrieve=extend_schema(summary=_("Read a learning path with its modules"), responses={404: NOT_FOUND}),
)
class PathViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PathSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LearningPath.objects.none()
        _check(can_see_learning(self.request.user))
        return selectors.path_list(self.request.user).prefetch_related("modules__competencies", "prerequisite_paths")

    def get_object(self):
        path = access_path_by_id(self.request.user, self.kwargs["pk"])
        return self.get_queryset().get(pk=path.pk)


@extend_schema_view(
    list=extend_schema(summary=_("List the cohorts you may see"), responses={200: CohortSerializer(many=True)}),
    retrieve=extend_schema(summary=_("Read a cohort"), responses={404: NOT_FOUND}),
)
class CohortViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CohortSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Cohort.objects.none()
        _check(can_see_learning(self.request.user))
        return selectors.cohort_list(self.request.user)

    def get_object(self):
        cohort = access_cohort_by_id(self.request.user, self.kwargs["pk"])
        return self.get_queryset().get(pk=cohort.pk)


def _cohort(request, cohort_pk, check) -> Cohort:
    _check(can_see_learning(request.user))
    cohort = access_cohort_by_id(request.user, cohort_pk)
    _check(check(request.user, cohort))
    return cohort


@extend_schema(parameters=[COHORT_PATH])
@extend_schema_view(
    list=extend_schema(summary=_("List the enrollments of a cohort"), responses={403: FORBIDDEN, 404: NOT_FOUND}),
    retrieve=extend_schema(summary=_("Read an enrollment"), responses={404: NOT_FOUND}),
    create=extend_schema(
        summary=_("Enroll a person in a cohort"),
        description=_("When the cohort is full, the person goes on its waiting list."),
        request=EnrollmentCreateSerializer,
        responses={201: EnrollmentSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    cancel=extend_schema(
        summary=_("Cancel an enrollment"),
        description=_("A freed seat goes to the first person on the waiting list."),
        request=None,
        responses={200: EnrollmentSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EnrollmentSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enrollment.objects.none()
        return selectors.enrollments_of(_cohort(self.request, self.kwargs["cohort_pk"], can_facilitate_cohort))

    def get_object(self):
        cohort = access_cohort_by_id(self.request.user, self.kwargs["cohort_pk"])
        return access_enrollment_by_id(self.request.user, cohort, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        cohort = _cohort(request, kwargs["cohort_pk"], can_run_cohort)
        serializer = EnrollmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = (
            people_for(request.user)
            .filter(email__iexact=serializer.validated_data["email"], is_active=True)
            .select_related("organization")
            .first()
        )
        if person is None:
            raise ValidationError({"email": [PERSON_NOT_FOUND]})
        enrollment = services.enrollment_create(
            cohort=cohort, person=person, source=Enrollment.Source.STAFF, actor=request.user
        )
        return Response(self.get_serializer(enrollment).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        enrollment = self.get_object()
        _check(can_run_cohort(request.user, enrollment.cohort))
        services.enrollment_cancel(enrollment=enrollment, actor=request.user)
        enrollment.refresh_from_db()
        return Response(self.get_serializer(enrollment).data)


@extend_schema(parameters=[COHORT_PATH])
class ProgressView(APIView):
    """The cohort's grid: each enrolled learner's status per module, and what completion still needs."""

    @extend_schema(
        summary=_("Read the progress grid of a cohort"),
        responses={200: ProgressRowSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request, cohort_pk):
        cohort = _cohort(request, cohort_pk, can_facilitate_cohort)
        return Response(ProgressRowSerializer(selectors.cohort_grid(cohort)["rows"], many=True).data)

    @extend_schema(
        summary=_("Set a learner's status for a module"),
        description=_(
            "Live modules follow attendance and cannot be set here. Completing the last required module "
            "issues the attestation."
        ),
        request=ProgressUpdateSerializer,
        responses={200: ProgressRowSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, cohort_pk):
        cohort = _cohort(request, cohort_pk, can_facilitate_cohort)
        serializer = ProgressUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enrollment = access_enrollment_by_id(request.user, cohort, data["enrollment"])
        module = cohort.path.modules.filter(pk=data["module"]).first()
        if module is None:
            raise ValidationError({"module": [UNKNOWN_MODULE]})
        services.progress_update(enrollment=enrollment, module=module, status=data["status"], actor=request.user)
        enrollment = Enrollment.objects.select_related("person", "organization", "attestation").get(pk=enrollment.pk)
        row = selectors.cohort_grid(cohort, enrollments=[enrollment])["rows"][0]
        return Response(ProgressRowSerializer(row).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("List attestations"),
        description=_("Your own, and those of the cohorts you run or facilitate."),
        responses={200: AttestationSerializer(many=True)},
    ),
    retrieve=extend_schema(summary=_("Read an attestation"), responses={404: NOT_FOUND}),
    revoke=extend_schema(
        summary=_("Revoke an attestation"),
        request=RevokeSerializer,
        responses={200: AttestationSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    resend=extend_schema(
        summary=_("Send an attestation to its learner again"),
        request=None,
        responses={200: AttestationSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
)
class AttestationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AttestationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attestation.objects.none()
        user = self.request.user
        mine = own_enrollments(user).values("pk")
        facilitated = cohorts_for(user).values("pk")
        return Attestation.objects.filter(Q(enrollment__in=mine) | Q(enrollment__cohort__in=facilitated)).order_by(
            "-created_at", "-id"
        )

    def get_object(self):
        return access_attestation_by_id(self.request.user, self.kwargs["pk"])

    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        attestation = self.get_object()
        if not can_manage_attestation(request.user, attestation)[0]:
            raise NotFound
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attestation = services.attestation_revoke(
            attestation=attestation, reason=serializer.validated_data["reason"], actor=request.user
        )
        return Response(self.get_serializer(attestation).data)

    @action(detail=True, methods=["post"])
    def resend(self, request, *args, **kwargs):
        attestation = self.get_object()
        if not can_manage_attestation(request.user, attestation)[0]:
            raise NotFound
        attestation = services.attestation_resend(attestation=attestation, actor=request.user)
        return Response(self.get_serializer(attestation).data)


class VerificationThrottle(SimpleRateThrottle):
    """Verification lookups per address: plenty for people, useless for trying codes in bulk."""

    scope = "attestation_verification"
    rate = "30/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerificationView(APIView):
    """Public: whether a verification code belongs to a valid or revoked attestation."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerificationThrottle]

    @extend_schema(
        summary=_("Verify an attestation (public)"),
        description=_("No token needed. Answers only the learner's name, the path, the date and the status."),
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(DetailSerializer, description=_("No attestation has this code.")),
            429: OpenApiResponse(description=_("Too many lookups; wait before trying again.")),
        },
    )
    def get(self, request, code):
        attestation = attestation_by_code(code)
        if attestation is None:
            raise NotFound(_("No attestation has this verification code."))
        return Response(VerificationSerializer(attestation).data)
