"""Diagnostics: versioned questionnaires, assessments with their answers, scores and needs, and the
recommendation rules that turn scores and needs into an action plan.

A questionnaire (``Questionnaire``) belongs to a program and has versions
(``QuestionnaireVersion``); each version holds its dimensions, questions and options. A published
version is frozen: answers point at its questions and options, so they keep scoring the way they were
given. An assessment stores, besides its answers, its scores per dimension and overall
(``DimensionScore``, ``Assessment.overall_score``) with copies of what the aggregates group by
(program, kind of organization, region, round), so that peer comparison and the maturity gain read
one table at province scale.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from virage.core.i18n import in_active_language
from virage.core.models import TimeStampedModel

HUNDRED = Decimal("100")


class DimensionCode(models.TextChoices):
    """The six dimensions of the European Digital Maturity Assessment, shared by every version."""

    DIGITAL_STRATEGY = "digital_strategy", _("Digital strategy")
    DIGITAL_READINESS = "digital_readiness", _("Digital readiness")
    PEOPLE_SKILLS = "people_skills", _("People and skills")
    DATA_SECURITY = "data_security", _("Data management and security")
    AUTOMATION_AI = "automation_ai", _("Automation and artificial intelligence")
    GREEN_DIGITAL = "green_digital", _("Green digital practices")


class MaturityLevel(models.TextChoices):
    """Named levels of the overall score (see ``scoring.maturity_level`` for the bounds)."""

    BASIC = "basic", _("Basic")
    DEVELOPING = "developing", _("Developing")
    ESTABLISHED = "established", _("Established")
    ADVANCED = "advanced", _("Advanced")


class Questionnaire(TimeStampedModel):
    """A program's questionnaire for some kinds of organizations; its content lives in its versions."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="questionnaires"
    )
    code = models.SlugField(_("code"), max_length=60)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    organization_kinds = models.JSONField(
        _("kinds of organizations"),
        default=list,
        help_text=_("The kinds of organizations that answer this questionnaire."),
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="questionnaire_code_unique_per_program",
                violation_error_message=_("This program already has a questionnaire with this code."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self, "title")


class QuestionnaireVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Replaced by a newer version")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    introduction_fr = models.TextField(_("introduction (French)"), blank=True, max_length=3000)
    introduction_en = models.TextField(_("introduction (English)"), blank=True, max_length=3000)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_version_number_unique"),
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=Q(status="draft"),
                name="questionnaire_one_draft",
                violation_error_message=_("This questionnaire already has a draft version."),
            ),
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=Q(status="published"),
                name="questionnaire_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} — v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("diagnostics:version_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def introduction(self) -> str:
        return in_active_language(self, "introduction")


class Dimension(TimeStampedModel):
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("dimension"), max_length=24, choices=DimensionCode.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, max_length=2000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="dimension_once_per_version")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self, "title")

    @property
    def description(self) -> str:
        return in_active_language(self, "description")


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        SCALE = "scale", _("Scale from 0 to 5")
        YES_PARTIAL_NO = "yes_partial_no", _("Yes / partially / no")

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    text_fr = models.CharField(_("question (French)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    help_fr = models.TextField(_("help (French)"), blank=True, max_length=2000)
    help_en = models.TextField(_("help (English)"), blank=True, max_length=2000)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("How much the question counts in its dimension, relative to the others."),
    )
    allows_not_applicable = models.BooleanField(
        _("“Not applicable” is an answer"),
        default=False,
        help_text=_("A question answered “not applicable” is left out of its dimension's score."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["dimension", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="question_weight_positive",
                violation_error_message=_("A question's weight must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_active_language(self, "text")

    @property
    def help(self) -> str:
        return in_active_language(self, "help")

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE_CHOICE


class Option(TimeStampedModel):
    """One answer to a question and its score (0 to 100; multiple choice adds the chosen ones, capped at 100)."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    label_fr = models.CharField(_("label (French)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
    )

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="option_score_between_0_and_100",
                violation_error_message=_("An option's score is between 0 and 100."),
            ),
            models.UniqueConstraint(fields=["question", "code"], name="option_code_unique_per_question"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_active_language(self, "label")


class Assessment(TimeStampedModel):
    """One organization's answers to one questionnaire version in a program, with its scores and needs."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="assessments"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("questionnaire version"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    # 1: the first assessment (before support, the baseline); 2, 3…: the following ones, each
    # compared to the baseline.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("first assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copies of the organization's kind and region at the start, for lists, peers and aggregates.
    organization_kind = models.CharField(_("kind of organization"), max_length=20)
    region = models.ForeignKey(
        "geography.Region",
        verbose_name=_("administrative region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Assisted mode: the coach or advisor who filled it in with the organization.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filled in with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_latest = models.BooleanField(_("latest submitted assessment of the organization"), default=False)
    answered_count = models.PositiveSmallIntegerField(_("questions answered"), default=0)
    question_count = models.PositiveSmallIntegerField(_("questions"), default=0)
    overall_score = models.DecimalField(_("overall score"), max_digits=5, decimal_places=1, null=True, blank=True)
    maturity_level = models.CharField(_("maturity level"), max_length=12, choices=MaturityLevel.choices, blank=True)
    gain = models.DecimalField(
        _("gain since the first assessment"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # Services received between the first assessment and this one, counted at submission.
    events_attended = models.PositiveIntegerField(_("events attended since the first assessment"), default=0)
    paths_completed = models.PositiveIntegerField(_("learning paths completed since the first assessment"), default=0)
    # Support needs.
    expertise_themes = models.ManyToManyField(
        "programs.ExpertiseTheme", verbose_name=_("expertise needed"), blank=True, related_name="+"
    )
    priorities = models.TextField(_("priorities"), blank=True, max_length=3000)
    constraints = models.TextField(_("constraints"), blank=True, max_length=3000)
    needs_saved_at = models.DateTimeField(_("needs saved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization"],
                condition=Q(status="in_progress"),
                name="assessment_one_in_progress",
                violation_error_message=_("This organization already has an assessment in progress in this program."),
            ),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | (Q(overall_score__gte=0) & Q(overall_score__lte=100)),
                name="assessment_score_between_0_and_100",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="assessment_round_positive"),
        ]
        indexes = [
            models.Index(fields=["program", "status", "-submitted_at"], name="assessment_program_status_idx"),
            models.Index(fields=["organization", "program", "-round"], name="assessment_organization_idx"),
            models.Index(
                fields=["program", "round", "submitted_on"],
                name="assessment_program_round_idx",
                condition=Q(status="submitted"),
            ),
            models.Index(
                fields=["program", "region", "organization_kind", "status"],
                name="assessment_program_region_idx",
            ),
            # Peers' overall scores and the program's maturity gain read the latest assessments only.
            models.Index(
                fields=["program", "organization_kind", "region"],
                name="assessment_latest_idx",
                condition=Q(is_latest=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.program} ({self.round})"

    def get_absolute_url(self) -> str:
        if self.status == self.Status.SUBMITTED:
            return reverse("diagnostics:results", args=[self.pk])
        return reverse("diagnostics:take", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def progress_percent(self) -> int:
        if not self.question_count:
            return 0
        return int(self.answered_count * 100 // self.question_count)


class Answer(TimeStampedModel):
    """The answer to one question: an option (single choice, scale, yes/partially/no), options
    (multiple choice) or "not applicable"; ``score`` is the question's score (0–100) when it counts."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(
        Option, verbose_name=_("answer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    options = models.ManyToManyField(Option, verbose_name=_("answers"), blank=True, related_name="+")
    is_not_applicable = models.BooleanField(_("not applicable"), default=False)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["assessment", "question__dimension__position", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_once_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} — {self.question_id}"


class DimensionScore(models.Model):
    """An assessment's score in one dimension, with copies of what peers and gains group by."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="dimension_scores"
    )
    code = models.CharField(_("dimension"), max_length=24, choices=DimensionCode.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    answered = models.PositiveSmallIntegerField(_("questions answered"), default=0)
    applicable = models.PositiveSmallIntegerField(_("questions that count"), default=0)
    questions = models.PositiveSmallIntegerField(_("questions"), default=0)
    gain = models.DecimalField(_("gain"), max_digits=5, decimal_places=1, null=True, blank=True)
    # Copies from the assessment (kept by the services).
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    organization_kind = models.CharField(_("kind of organization"), max_length=20)
    region = models.ForeignKey(
        "geography.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_latest = models.BooleanField(_("latest submitted"), default=False)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="dimension_score_once_per_dimension"),
        ]
        indexes = [
            # Peer comparison: the latest scores of a kind of organization in a region of a program.
            models.Index(
                fields=["program", "organization_kind", "region", "code"],
                name="dimension_score_peers_idx",
                condition=Q(is_latest=True),
            ),
            # The program's gain per dimension: the latest assessments compared to a first one.
            models.Index(
                fields=["program", "code", "region"],
                name="dimension_score_gain_idx",
                condition=Q(is_latest=True, gain__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.score}"


class FinancingNeed(TimeStampedModel):
    """Something the organization needs financing for, with its estimated cost."""

    class Category(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment (computers, network…)")
        SOFTWARE = "software", _("Software and subscriptions")
        COACHING = "coaching", _("Coaching hours")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="financing_needs"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    estimated_amount = models.DecimalField(
        _("estimated amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("For coaching: the hours needed."),
    )

    class Meta:
        verbose_name = _("financing need")
        verbose_name_plural = _("financing needs")
        ordering = ["assessment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_amount__isnull=True) | Q(estimated_amount__gte=0),
                name="financing_need_amount_not_negative",
                violation_error_message=_("An estimated amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="financing_need_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {self.description}"


class RecommendationRule(TimeStampedModel):
    """When a dimension scores below a threshold, or a need is expressed, what to recommend.

    A rule matches an assessment when its dimension's score is below ``below_score`` (when both are
    set), or when the organization needs ``needed_theme`` (when set); it then recommends its learning
    paths, event topics and expertise themes, with its advice.
    """

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="recommendation_rules"
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    advice_fr = models.TextField(_("advice (French)"), blank=True, max_length=2000)
    advice_en = models.TextField(_("advice (English)"), blank=True, max_length=2000)
    dimension = models.CharField(_("dimension"), max_length=24, choices=DimensionCode.choices, blank=True)
    below_score = models.DecimalField(
        _("when the dimension's score is below"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
    )
    needed_theme = models.ForeignKey(
        "programs.ExpertiseTheme",
        verbose_name=_("when this expertise is needed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    learning_paths = models.ManyToManyField(
        "learning.LearningPath", verbose_name=_("learning paths"), blank=True, related_name="+"
    )
    event_topics = models.ManyToManyField("events.Topic", verbose_name=_("event topics"), blank=True, related_name="+")
    expertise_themes = models.ManyToManyField(
        "programs.ExpertiseTheme", verbose_name=_("coaching themes"), blank=True, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=50, help_text=_("Rules of lower numbers come first in the action plan.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("recommendation rule")
        verbose_name_plural = _("recommendation rules")
        ordering = ["program", "priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(dimension="") & Q(below_score__isnull=True))
                | (~Q(dimension="") & Q(below_score__isnull=False)),
                name="rule_dimension_with_threshold",
                violation_error_message=_("A dimension and a threshold go together."),
            ),
            models.CheckConstraint(
                condition=~Q(dimension="") | Q(needed_theme__isnull=False),
                name="rule_has_a_condition",
                violation_error_message=_("A rule needs a condition: a dimension's score, or a need."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self, "title")

    @property
    def advice(self) -> str:
        return in_active_language(self, "advice")


class Recommendation(models.Model):
    """One line of an assessment's action plan: a matched rule, in order, with why it matched."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="recommendations"
    )
    rule = models.ForeignKey(RecommendationRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    dimension = models.CharField(_("dimension"), max_length=24, choices=DimensionCode.choices, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    theme = models.ForeignKey(
        "programs.ExpertiseTheme",
        verbose_name=_("need"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "rule"], name="recommendation_once_per_rule"),
        ]

    def __str__(self) -> str:
        return str(self.rule)
