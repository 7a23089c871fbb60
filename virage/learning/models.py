"""Learning: competencies, paths and their modules, cohorts, enrollments, progress and attestations.

A cohort's live sessions are events (``events.Event``): registration, roll call and Zoom or Teams
imports work on them exactly as on any event, and completion reads their attendance.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from virage.core.i18n import in_active_language
from virage.core.models import TimeStampedModel

# Verification codes: 16 characters of an alphabet without look-alikes (no 0/O, 1/I/L), 80 bits of
# randomness, shown in four groups. Unguessable: enumerating them is pointless.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


def normalize_code(text: str) -> str:
    """What a person typed (spaces, dashes, lower case) as the stored code; '' when it cannot be one."""
    code = "".join(character for character in str(text).upper() if character.isalnum())
    if len(code) != CODE_LENGTH or any(character not in CODE_ALPHABET for character in code):
        return ""
    return code


class Competency(TimeStampedModel):
    """One competency of a program's framework (digital culture, data, cybersecurity…), bilingual."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="competencies"
    )
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, max_length=2000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["name_fr"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name_fr"],
                name="competency_name_unique_per_program",
                violation_error_message=_("This program already has a competency with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self, "name")


class LearningPath(TimeStampedModel):
    class Audience(models.TextChoices):
        ORGANIZATION_STAFF = "organization_staff", _("Staff of organizations")
        ORGANIZATION_LEADERS = "organization_leaders", _("Leaders of organizations")
        ADVISORS = "advisors", _("Advisors who accompany businesses")
        PARTNER_EMPLOYEES = "partner_employees", _("Employees of a partner")

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        LEADERSHIP = "leadership", _("Leadership")
        AWARENESS = "awareness", _("Awareness")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="learning_paths"
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, max_length=5000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=5000)
    audience = models.CharField(_("audience"), max_length=24, choices=Audience.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Prerequisites: having attended an event of this kind in the program (an information session),
    # and having completed other paths.
    prerequisite_event_kind = models.CharField(
        _("prerequisite: attended an event of this kind"),
        max_length=24,
        blank=True,
        choices=[
            ("information_session", _("Information session")),
            ("webinar", _("Webinar")),
            ("workshop", _("Workshop")),
            ("training_session", _("Training session")),
        ],
    )
    prerequisite_paths = models.ManyToManyField(
        "self", verbose_name=_("prerequisite: paths completed"), symmetrical=False, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        ordering = ["program", "title_fr"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:path_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return in_active_language(self, "title")

    @property
    def description(self) -> str:
        return in_active_language(self, "description")


class Module(TimeStampedModel):
    class Format(models.TextChoices):
        SELF_PACED = "self_paced", _("Self-paced online")
        LIVE_SESSION = "live_session", _("Live session")
        WORKSHOP = "workshop", _("In-person workshop")
        COACHING = "coaching", _("Coaching")

    # Formats whose completion is proven by attending one of the cohort's sessions (events).
    LIVE_FORMATS = frozenset({Format.LIVE_SESSION, Format.WORKSHOP})

    path = models.ForeignKey(LearningPath, verbose_name=_("path"), on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    objectives_fr = models.TextField(_("objectives (French)"), blank=True, max_length=3000)
    objectives_en = models.TextField(_("objectives (English)"), blank=True, max_length=3000)
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies"), blank=True, related_name="modules"
    )
    expected_hours = models.DecimalField(
        _("expected hours"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    format = models.CharField(_("format"), max_length=16, choices=Format.choices, default=Format.SELF_PACED)
    is_required = models.BooleanField(_("required for completion"), default=True)
    # Leadership tracks run in phases: a module of phase 2 is completed only after phase 1.
    phase = models.PositiveSmallIntegerField(_("phase"), null=True, blank=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["path", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_hours__gte=0),
                name="module_hours_not_negative",
                violation_error_message=_("Expected hours cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(phase__isnull=True) | Q(phase__gte=1),
                name="module_phase_positive",
                violation_error_message=_("Phases are numbered from 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self, "title")

    @property
    def objectives(self) -> str:
        return in_active_language(self, "objectives")

    @property
    def is_live(self) -> bool:
        return self.format in self.LIVE_FORMATS


class Cohort(TimeStampedModel):
    """A scheduled offering of a path."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for enrollment")
        CLOSED = "closed", _("Enrollment closed")
        CANCELLED = "cancelled", _("Cancelled")

    path = models.ForeignKey(LearningPath, verbose_name=_("path"), on_delete=models.PROTECT, related_name="cohorts")
    # The path's program, copied so that lists and indicators filter without a join.
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("fr", _("French")), ("en", _("English")), ("bilingual", _("Bilingual"))],
        default="fr",
    )
    region = models.ForeignKey(
        "geography.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: online, for the whole province."),
    )
    client_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("private to the organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="private_cohorts",
        help_text=_("Only this organization's people can enroll (a partner's employees)."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), blank=True, related_name="facilitated_cohorts"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="cohort_ends_after_start",
                violation_error_message=_("A cohort cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="cohort_capacity_positive",
                violation_error_message=_("The capacity must be at least 1, or empty for no limit."),
            ),
        ]
        indexes = [models.Index(fields=["program", "starts_on"], name="cohort_program_start_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:cohort_detail", args=[self.pk])

    @property
    def is_private(self) -> bool:
        return self.client_organization_id is not None


class CohortPhase(TimeStampedModel):
    """A phase of a leadership cohort (for instance 3 phases over 8 weeks)."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "number"],
                name="cohort_phase_number_unique",
                violation_error_message=_("This cohort already has a phase with this number."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="cohort_phase_ends_after_start",
                violation_error_message=_("A phase cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return in_active_language(self, "title")


class CohortSession(TimeStampedModel):
    """A live session of a cohort for one module: an event of the program."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="sessions")
    event = models.OneToOneField(
        "events.Event", verbose_name=_("event"), on_delete=models.PROTECT, related_name="cohort_session"
    )

    class Meta:
        verbose_name = _("cohort session")
        verbose_name_plural = _("cohort sessions")
        ordering = ["cohort", "module__position", "id"]

    def __str__(self) -> str:
        return f"{self.cohort} — {self.module}"


class Enrollment(TimeStampedModel):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        SELF_SERVICE = "self_service", _("Enrolled themselves")
        STAFF = "staff", _("Enrolled by staff")
        IMPORT = "import", _("Import")

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("learner"), on_delete=models.PROTECT, related_name="enrollments"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ENROLLED)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.STAFF)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_enrollments",
    )
    # Copies that let the indicators aggregate one table, with no join, at province scale.
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    path_kind = models.CharField(_("kind of path"), max_length=12, choices=LearningPath.Kind.choices)
    region = models.ForeignKey(
        "geography.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    # Maintained by the progress services: hours of the modules completed, the day of the last one,
    # and the day the completion rules were met (cleared when the attestation is revoked).
    hours_completed = models.DecimalField(_("hours completed"), max_digits=7, decimal_places=2, default=Decimal("0"))
    last_progress_on = models.DateField(_("last progress on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["cohort", "person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"],
                condition=~Q(status="cancelled"),
                name="enrollment_once_per_cohort",
                violation_error_message=_("This person is already enrolled in this cohort."),
            ),
            models.CheckConstraint(
                condition=Q(hours_completed__gte=0),
                name="enrollment_hours_not_negative",
                violation_error_message=_("Hours cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status", "created_at"], name="enrollment_queue_idx"),
            models.Index(fields=["program", "completed_on"], name="enrollment_program_done_idx"),
            models.Index(fields=["program", "path_kind", "enrolled_on"], name="enrollment_program_kind_idx"),
            models.Index(fields=["person", "status"], name="enrollment_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cohort}"


class ModuleProgress(TimeStampedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    class Evidence(models.TextChoices):
        ATTENDANCE = "attendance", _("Attendance")
        FACILITATOR = "facilitator", _("Facilitator validation")
        SELF_DECLARATION = "self_declaration", _("Self-declaration validated by the facilitator")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.CASCADE, related_name="progress"
    )
    module = models.ForeignKey(Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.CharField(_("evidence"), max_length=20, choices=Evidence.choices, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The learner says they did it (a self-paced module); a facilitator validates the declaration.
    declared_at = models.DateTimeField(_("declared by the learner at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("validated by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        ordering = ["enrollment", "module__position"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "module"], name="progress_once_per_module"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="progress_completed_has_date",
                violation_error_message=_("A completed module needs its completion date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} — {self.module}: {self.get_status_display()}"


class Attestation(TimeStampedModel):
    """The certificate of completion of an enrollment: issued once, possibly revoked, never changed.

    What it certifies is copied at issue, so the PDF and the verification page keep saying what was
    certified even if the path is renamed later.
    """

    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.PROTECT, related_name="attestation"
    )
    code = models.CharField(
        _("verification code"), max_length=CODE_LENGTH, unique=True, default=new_verification_code, editable=False
    )
    learner_name = models.CharField(_("learner's name"), max_length=201)
    path_title_fr = models.CharField(_("path (French)"), max_length=200)
    path_title_en = models.CharField(_("path (English)"), max_length=200, blank=True)
    competencies = models.JSONField(_("competencies"), default=list, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    completed_on = models.DateField(_("completed on"))
    issuer = models.CharField(_("issued by"), max_length=255)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fr")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by (account)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="attestation_revocation_has_reason",
                violation_error_message=_("A revocation needs its reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_name} — {self.path_title}"

    def get_verification_url(self) -> str:
        return reverse("attestations:verify", args=[self.code])

    @property
    def path_title(self) -> str:
        return in_active_language(self, "path_title")

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def display_code(self) -> str:
        return format_code(self.code)


class LearningMilestone(TimeStampedModel):
    """The first time an organization or a person counts for a learning indicator of a program.

    One row per (program, indicator, organization or person): organizations trained (first completion
    of a training path by one of its people), people certified (first completion of any path),
    leaders supported (first active enrollment in a leadership path). Kept by ``tallies.py`` from the
    enrollments, so that distinct counts become additive per day and region (``LearningTally``).
    """

    class Indicator(models.TextChoices):
        ORGANIZATIONS_TRAINED = "organizations_trained", _("Organizations trained")
        LEADERS_SUPPORTED = "leaders_supported", _("Leaders supported")
        PEOPLE_CERTIFIED = "people_certified", _("People certified")

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    # An organization's id for organizations trained, a person's for the other two.
    subject_id = models.BigIntegerField(_("organization or person"))
    region = models.ForeignKey(
        "geography.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reached_on = models.DateField(_("reached on"))

    class Meta:
        verbose_name = _("learning milestone")
        verbose_name_plural = _("learning milestones")
        ordering = ["program", "indicator", "reached_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "indicator", "subject_id"], name="learning_milestone_once_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} — {self.subject_id} — {self.reached_on}"


class LearningTally(models.Model):
    """How much a learning indicator of a program grew on one day in one region.

    Counts of first-time milestones, and the hours of modules completed (credited on the day of the
    enrollment's latest completed module). Maintained by ``tallies.py`` with every change, rebuilt by
    ``tallies.tallies_rebuild``; the indicators page sums a few thousand of these rows instead of
    aggregating hundreds of thousands of enrollments. A key may have several rows (two writers
    creating it at once): every reader sums them.
    """

    class Indicator(models.TextChoices):
        ORGANIZATIONS_TRAINED = "organizations_trained", _("Organizations trained")
        LEADERS_SUPPORTED = "leaders_supported", _("Leaders supported")
        PEOPLE_CERTIFIED = "people_certified", _("People certified")
        TRAINING_HOURS = "training_hours", _("Training hours")

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    region = models.ForeignKey(
        "geography.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("day"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("learning tally")
        verbose_name_plural = _("learning tallies")
        ordering = ["program", "indicator", "day"]
        indexes = [models.Index(fields=["program", "day", "indicator"], name="learning_tally_program_day_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.day}: {self.value}"
