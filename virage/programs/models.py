from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from virage.core.i18n import in_active_language
from virage.core.models import TimeStampedModel


class Program(TimeStampedModel):
    slug = models.SlugField(_("short name (in addresses)"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, max_length=5000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=5000)
    operator = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="operated_programs",
    )
    partners = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("partners"), blank=True, related_name="partner_programs"
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    regions = models.ManyToManyField(
        "geography.Region",
        verbose_name=_("regions covered"),
        blank=True,
        related_name="programs",
        help_text=_("Leave empty for a province-wide program."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    accepts_registrations = models.BooleanField(_("organizations can register themselves"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-starts_on", "name_fr"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="program_ends_after_start",
                violation_error_message=_("A program cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.slug])

    @property
    def name(self) -> str:
        return in_active_language(self, "name")

    @property
    def description(self) -> str:
        return in_active_language(self, "description")


class Participation(TimeStampedModel):
    """An organization taking part in a program."""

    class Source(models.TextChoices):
        STAFF = "staff", _("Added by staff")
        SELF_REGISTRATION = "self_registration", _("Self-registration")
        IMPORT = "import", _("Import")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.STAFF)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["program", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["program", "organization"], name="participation_once_per_program")
        ]
        indexes = [models.Index(fields=["organization", "program"], name="participation_org_program_idx")]

    def __str__(self) -> str:
        return f"{self.organization} — {self.program}"


class Indicator(models.TextChoices):
    """Indicators a target can be set on. Each is computed by the domain that owns its data."""

    ORGANIZATIONS_REGISTERED = "organizations_registered", _("Organizations registered")
    ORGANIZATIONS_SENSITIZED = "organizations_sensitized", _("Organizations sensitized (attended a webinar)")
    ORGANIZATIONS_TRAINED = "organizations_trained", _("Organizations trained")
    LEADERS_SUPPORTED = "leaders_supported", _("Leaders supported")
    ORGANIZATIONS_GRANTED = "organizations_granted", _("Organizations receiving a grant")
    COACHING_HOURS = "coaching_hours", _("Coaching hours delivered")
    SUPPORT_NEEDS_IDENTIFIED = "support_needs_identified", _("Organizations whose support needs are identified")
    PEOPLE_TRAINED = "people_trained", _("People trained")
    PEOPLE_CERTIFIED = "people_certified", _("People certified (attestation issued)")
    TRAINING_HOURS = "training_hours", _("Training hours delivered")


class Target(TimeStampedModel):
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    due_on = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["program", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "indicator"],
                name="target_once_per_indicator",
                violation_error_message=_("This program already has a target for this indicator."),
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="target_value_positive",
                violation_error_message=_("A target must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.value}"


class FundingAgreement(TimeStampedModel):
    """Money a funder commits to a program."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="funding_agreements"
    )
    funder = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="funding_agreements",
    )
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("funding agreement")
        verbose_name_plural = _("funding agreements")
        ordering = ["program", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="funding_amount_positive",
                violation_error_message=_("A funding amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="funding_ends_after_start",
                violation_error_message=_("A funding agreement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} — {self.title}"


class ExpertiseTheme(TimeStampedModel):
    """A field of expertise an organization may need and a coach may offer (data, cybersecurity…).

    Shared reference data: diagnostics record the themes an organization needs, and coaching (later)
    the themes each coach declares, so that both speak of the same themes without depending on each
    other. Loaded by a data migration; ``code`` is stable, the names are bilingual.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, max_length=1000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=1000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expertise theme")
        verbose_name_plural = _("expertise themes")
        ordering = ["position", "name_fr"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self, "name")

    @property
    def description(self) -> str:
        return in_active_language(self, "description")
