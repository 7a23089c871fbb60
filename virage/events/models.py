"""Events (webinars, workshops, information and training sessions), registrations and attendance."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from virage.core.i18n import in_active_language
from virage.core.models import TimeStampedModel


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Topic(TimeStampedModel):
    """A subject events are about (cybersecurity, data, AI…), per program, bilingual."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="topics"
    )
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_fr"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name_fr"],
                name="topic_name_unique_per_program",
                violation_error_message=_("This program already has a topic with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self, "name")


class EventSeries(TimeStampedModel):
    """Several sessions offered as one (a webinar series, the sessions of a training)."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="event_series"
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        ordering = ["title_fr"]

    def __str__(self) -> str:
        return in_active_language(self, "title")


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")
        INFORMATION_SESSION = "information_session", _("Information session")
        TRAINING_SESSION = "training_session", _("Training session")

    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")
        BILINGUAL = "bilingual", _("Bilingual")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="events"
    )
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, max_length=5000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=5000)
    language = models.CharField(_("language of delivery"), max_length=10, choices=Language.choices, default="fr")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    online_url = models.URLField(_("online link"), blank=True, max_length=500)
    municipality = models.ForeignKey(
        "geography.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    # The region the event serves: its municipality's, or chosen for an online regional event.
    region = models.ForeignKey(
        "geography.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="events")
    counts_toward_sensitization = models.BooleanField(_("counts toward the sensitization target"), default=False)
    # A registrant attended when present at least this many minutes, or this share of the event.
    attendance_threshold_minutes = models.PositiveIntegerField(_("minimum minutes present"), null=True, blank=True)
    attendance_threshold_percent = models.PositiveSmallIntegerField(
        _("minimum share of the event present (%)"), default=50
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(attendance_threshold_percent__lte=100),
                name="event_threshold_percent_at_most_100",
                violation_error_message=_("The share of the event present cannot exceed 100 percent."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
                violation_error_message=_("The capacity must be at least 1, or empty for no limit."),
            ),
        ]
        indexes = [models.Index(fields=["program", "starts_at"], name="event_program_start_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def title(self) -> str:
        return in_active_language(self, "title")

    @property
    def description(self) -> str:
        return in_active_language(self, "description")

    @property
    def delivered_in(self) -> str:
        """The language of delivery as words of a sentence: "in French" ("en français")."""
        phrases = {
            self.Language.FRENCH: _("in French"),
            self.Language.ENGLISH: _("in English"),
            self.Language.BILINGUAL: _("in French and in English"),
        }
        return str(phrases.get(self.language, self.get_language_display()))

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def attendance_threshold(self) -> int:
        """Minutes a registrant must be present to count as having attended."""
        if self.attendance_threshold_minutes is not None:
            return self.attendance_threshold_minutes
        return -(-self.duration_minutes * self.attendance_threshold_percent // 100)


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        PUBLIC_FORM = "public_form", _("Public registration form")
        STAFF = "staff", _("Added by staff")
        WALK_IN = "walk_in", _("Walk-in")
        IMPORT = "import", _("Attendance report")

    class AttendanceSource(models.TextChoices):
        ROLL_CALL = "roll_call", _("Roll call")
        ZOOM = "zoom", _("Zoom report")
        TEAMS = "teams", _("Teams report")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "organizations.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Empty only for participants of an attendance report who gave none.
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fr")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.PUBLIC_FORM)
    cancel_token = models.CharField(_("cancellation key"), max_length=64, unique=True, default=new_token)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    minutes_present = models.PositiveIntegerField(_("minutes present"), null=True, blank=True)
    attendance_source = models.CharField(
        _("attendance recorded by"), max_length=12, choices=AttendanceSource.choices, blank=True
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # What this registration currently adds to its program's reach figures, kept by
    # ``virage.events.reach``: the figures change by the difference between these values and the
    # registration's present state, so any change (an attendance, a moved event, a merged
    # organization) is counted exactly once. Not shown anywhere.
    tally_program_id = models.IntegerField(null=True, blank=True, editable=False)
    tally_month = models.DateField(null=True, blank=True, editable=False)
    tally_region = models.CharField(max_length=4, blank=True, editable=False)
    tally_organization_id = models.IntegerField(null=True, blank=True, editable=False)
    tally_person = models.CharField(max_length=254, blank=True, editable=False)
    tally_counted = models.BooleanField(default=False, editable=False)
    tally_attended = models.BooleanField(default=False, editable=False)
    tally_sensitizing = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="registration_one_per_email_per_event",
                violation_error_message=_("This e-mail address is already registered for this event."),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue_idx"),
            models.Index(fields=["organization", "attended"], name="registration_org_attended_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} — {self.event}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class AttendanceImport(TimeStampedModel):
    """A Zoom or Teams report uploaded for an event, kept between its preview and its confirmation."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Waiting for confirmation")
        APPLIED = "applied", _("Applied")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("key"), max_length=64, unique=True, default=new_token)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    tool = models.CharField(_("tool"), max_length=10)
    sha256 = models.CharField(_("fingerprint"), max_length=64)
    # The file itself until the import is confirmed, then emptied: it holds people's names.
    content = models.BinaryField(_("content"), blank=True)
    # The participants as read from the file at upload (name, e-mail, minutes…), so that the preview
    # and the confirmation do not read the file again; emptied with the content once confirmed.
    participants = models.JSONField(_("participants"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} — {self.filename or self.tool}"


class ReachFigure(models.Model):
    """A program's reach over one period (a month, quarter, year, fiscal year or its whole duration),
    for all its organizations (line ``total``), one region (its code) or people without a region
    (``none``). Kept up to date by ``virage.events.reach`` as registrations change, so that reading
    the reach of a program with millions of registrations reads a few hundred rows."""

    class Granularity(models.TextChoices):
        ALL = "all", _("Whole program")
        FISCAL_YEAR = "fiscal_year", _("Fiscal year")
        YEAR = "year", _("Year")
        QUARTER = "quarter", _("Quarter")
        MONTH = "month", _("Month")

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    granularity = models.CharField(max_length=12, choices=Granularity.choices)
    period_start = models.DateField()
    line = models.CharField(max_length=5)
    registrations = models.IntegerField(default=0)
    attendees = models.IntegerField(default=0)
    unique_people = models.IntegerField(default=0)
    organizations_sensitized = models.IntegerField(default=0)
    new_organizations = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "granularity", "period_start", "line"], name="reach_figure_unique_period_line"
            ),
            models.CheckConstraint(
                condition=Q(registrations__gte=0)
                & Q(attendees__gte=0)
                & Q(unique_people__gte=0)
                & Q(new_organizations__gte=0)
                & Q(organizations_sensitized__gte=F("new_organizations")),
                name="reach_figure_counts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.granularity} {self.period_start} {self.line}"


class ReachOrganization(models.Model):
    """The months in which an organization was sensitized in a program, per line: ``{"06|2026-03": 2}``."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    # Not a foreign key: the figures must be able to forget an organization deleted since.
    organization_id = models.IntegerField()
    months = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "organization_id"], name="reach_organization_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.organization_id}"


class ReachPerson(models.Model):
    """The months in which a person (an e-mail address) attended an event of a program, per line."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    person = models.CharField(max_length=254)
    months = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="reach_person_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.person}"
