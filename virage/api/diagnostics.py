"""Diagnostics: questionnaires (read), assessments with their answers, scores, needs and
recommendations; starting, answering and submitting an assessment.

The same access helpers and services as the pages: the API sees and changes exactly what the web
interface lets the same person see and change, with the same messages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from virage.core.errors import MAX_ID
from virage.diagnostics import selectors, services
from virage.diagnostics.models import (
    Answer,
    Assessment,
    Dimension,
    Option,
    Question,
    QuestionnaireVersion,
    Recommendation,
)
from virage.diagnostics.permissions import (
    access_assessment_by_id,
    assessments_for,
    can_answer_assessment,
    can_start_assessment,
)
from virage.organizations.selectors import organizations_for
from virage.programs.models import Program

from .errors import DetailSerializer, ValidationErrorSerializer

NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("Not found among what you may see."))
INVALID = OpenApiResponse(ValidationErrorSerializer, description=_("Field messages, the same as in the forms."))
UNKNOWN_PROGRAM = _("No program with this short name among those you may see.")
UNKNOWN_ORGANIZATION = _("No organization with this id among those you may see.")


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "code", "position", "label_fr", "label_en", "score"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "id", "code", "position", "kind", "text_fr", "text_en", "help_fr", "help_en", "weight",
            "allows_not_applicable", "options",
        ]  # fmt: skip
        read_only_fields = fields


class DimensionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["id", "code", "position", "title_fr", "title_en", "description_fr", "description_en", "questions"]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(source="questionnaire.program", slug_field="slug", read_only=True)
    code = serializers.CharField(source="questionnaire.code", read_only=True)
    title_fr = serializers.CharField(source="questionnaire.title_fr", read_only=True)
    title_en = serializers.CharField(source="questionnaire.title_en", read_only=True)
    organization_kinds = serializers.JSONField(source="questionnaire.organization_kinds", read_only=True)
    dimensions = DimensionSerializer(many=True, read_only=True)

    class Meta:
        model = QuestionnaireVersion
        fields = [
            "id", "program", "code", "title_fr", "title_en", "organization_kinds", "number", "status",
            "published_at", "dimensions",
        ]  # fmt: skip
        read_only_fields = fields


class ScoreSerializer(serializers.Serializer):
    dimension = serializers.CharField(source="code")
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    first_assessment = serializers.DecimalField(source="baseline", max_digits=5, decimal_places=1, allow_null=True)
    gain = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    peers = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    answered = serializers.IntegerField()
    applicable = serializers.IntegerField()
    questions = serializers.IntegerField()


class RecommendationSerializer(serializers.ModelSerializer):
    title_fr = serializers.CharField(source="rule.title_fr")
    title_en = serializers.CharField(source="rule.title_en")
    advice_fr = serializers.CharField(source="rule.advice_fr")
    advice_en = serializers.CharField(source="rule.advice_en")
    learning_paths = serializers.PrimaryKeyRelatedField(source="rule.learning_paths", many=True, read_only=True)
    event_topics = serializers.PrimaryKeyRelatedField(source="rule.event_topics", many=True, read_only=True)
    expertise_themes = serializers.SlugRelatedField(
        source="rule.expertise_themes", slug_field="code", many=True, read_only=True
    )
    needed_theme = serializers.SlugRelatedField(source="theme", slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Recommendation
        fields = [
            "position", "dimension", "score", "needed_theme", "title_fr", "title_en", "advice_fr", "advice_en",
            "learning_paths", "event_topics", "expertise_themes",
        ]  # fmt: skip
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer):
    options = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["question", "options", "is_not_applicable", "score"]
        read_only_fields = fields

    def get_options(self, answer) -> list[int]:
        if answer.option_id:
            return [answer.option_id]
        return [option.pk for option in answer.options.all()]


class AssessmentSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    questionnaire_version = serializers.IntegerField(source="version_id", read_only=True)
    first_assessment = serializers.IntegerField(source="baseline_id", read_only=True, allow_null=True)
    assisted_by = serializers.StringRelatedField(read_only=True)
    expertise_themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:assessment-detail")

    class Meta:
        model = Assessment
        fields = [
            "id", "program", "organization", "questionnaire_version", "status", "round", "first_assessment",
            "organization_kind", "region", "assisted_by", "answered_count", "question_count", "submitted_at",
            "overall_score", "maturity_level", "gain", "events_attended", "paths_completed", "expertise_themes",
            "priorities", "constraints", "url",
        ]  # fmt: skip
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer):
    program = serializers.SlugField(max_length=60)
    organization = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    options = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, max_length=50, default=list
    )
    is_not_applicable = serializers.BooleanField(required=False, default=False)


class AnswersSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True, max_length=200)


def _service(call):
    """Run a service; its ValidationError becomes a 400 with the same messages."""
    try:
        return call()
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
        ) from error


@extend_schema_view(
    list=extend_schema(summary=_("List the questionnaire versions of the programs you run or take part in")),
    retrieve=extend_schema(summary=_("Read a questionnaire version with its questions"), responses={404: NOT_FOUND}),
)
class QuestionnaireViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VersionSerializer

    def get_queryset(self):
        from virage.accounts.scope import scope_for

        if getattr(self, "swagger_fake_view", False):
            return QuestionnaireVersion.objects.none()
        scope = scope_for(self.request.user)
        versions = QuestionnaireVersion.objects.select_related("questionnaire__program").prefetch_related(
            "dimensions__questions__options"
        )
        if not scope.is_admin:
            versions = versions.filter(questionnaire__program_id__in=sorted(scope.program_ids))
        return versions.order_by("questionnaire__program_id", "questionnaire__code", "-number")

    def get_object(self):
        from virage.core.errors import parse_id

        version = self.get_queryset().filter(pk=parse_id(self.kwargs["pk"]) or 0).first()
        if version is None:
            raise NotFound
        return version


@extend_schema_view(
    list=extend_schema(summary=_("List the assessments you may see")),
    retrieve=extend_schema(summary=_("Read an assessment"), responses={404: NOT_FOUND}),
    create=extend_schema(
        summary=_("Start an assessment"),
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    answers=extend_schema(
        summary=_("Read or save answers"),
        description=_("POST saves answers (option ids, or is_not_applicable); an empty list of options clears one."),
        request=AnswersSerializer,
        responses={200: AnswerSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    ),
    submit=extend_schema(
        summary=_("Submit an assessment"),
        description=_("Locks the answers, stores the scores and builds the action plan."),
        request=None,
        responses={200: AssessmentSerializer, 400: INVALID, 404: NOT_FOUND},
    ),
    scores=extend_schema(
        summary=_("Scores per dimension, beside the first assessment and the peers"),
        responses={200: ScoreSerializer(many=True), 404: NOT_FOUND},
    ),
    recommendations=extend_schema(
        summary=_("The action plan"), responses={200: RecommendationSerializer(many=True), 404: NOT_FOUND}
    ),
)
class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = AssessmentSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return (
            assessments_for(self.request.user)
            .select_related("program", "region", "assisted_by")
            .prefetch_related("expertise_themes")
            .order_by("-created_at", "-id")
        )

    def get_object(self):
        assessment = access_assessment_by_id(self.request.user, self.kwargs["pk"])
        return self.get_queryset().get(pk=assessment.pk)

    def create(self, request, *args, **kwargs):
        serializer = AssessmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        program = Program.objects.filter(slug=data["program"], pk__in=_program_ids(request.user)).first()
        if program is None:
            raise ValidationError({"program": [UNKNOWN_PROGRAM]})
        organization = organizations_for(request.user).filter(pk=data["organization"]).first()
        if organization is None:
            raise ValidationError({"organization": [UNKNOWN_ORGANIZATION]})
        allowed = can_start_assessment(request.user, organization, program)
        if not allowed[0]:
            raise PermissionDenied(allowed[1])
        assessment = _service(
            lambda: services.assessment_start(program=program, organization=organization, actor=request.user)
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data, status=status.HTTP_201_CREATED
        )

    @action(detail=True, methods=["get", "post"])
    def answers(self, request, *args, **kwargs):
        assessment = self.get_object()
        if request.method == "POST":
            allowed = can_answer_assessment(request.user, assessment)
            if not allowed[0]:
                raise PermissionDenied(allowed[1])
            serializer = AnswersSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            answers = {
                item["question"]: services.AnswerInput(
                    option_ids=list(item["options"]), is_not_applicable=item["is_not_applicable"]
                )
                for item in serializer.validated_data["answers"]
            }
            _service(lambda: services.answers_save(assessment=assessment, answers=answers, actor=request.user))
        answers = Answer.objects.filter(assessment=assessment).prefetch_related("options").order_by("question_id")
        return Response(AnswerSerializer(answers, many=True).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        assessment = self.get_object()
        allowed = can_answer_assessment(request.user, assessment)
        if not allowed[0]:
            raise PermissionDenied(allowed[1])
        _service(lambda: services.assessment_submit(assessment=assessment, actor=request.user))
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data)

    @action(detail=True, methods=["get"])
    def scores(self, request, *args, **kwargs):
        assessment = self.get_object()
        if not assessment.is_submitted:
            return Response(ScoreSerializer(selectors.preview_of(assessment), many=True).data)
        return Response(ScoreSerializer(selectors.results_of(assessment).rows, many=True).data)

    @action(detail=True, methods=["get"])
    def recommendations(self, request, *args, **kwargs):
        assessment = self.get_object()
        return Response(RecommendationSerializer(selectors.plan_of(assessment), many=True).data)


def _program_ids(user) -> list[int]:
    from virage.accounts.scope import scope_for

    scope = scope_for(user)
    if scope.is_admin:
        return list(Program.objects.values_list("pk", flat=True))
    return sorted(scope.program_ids)
