from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from virage.core.models import TimeStampedModel
from virage.core.text import fold

from .identifiers import format_charity_number, neq_legal_form


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community organization")
        SME = "sme", _("Small or medium-sized enterprise (SME)")
        COOPERATIVE = "cooperative", _("Cooperative")
        SOCIAL_ECONOMY = "social_economy", _("Social-economy enterprise")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending validation")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    class EmployeesBand(models.TextChoices):
        NONE = "0", _("No employees")
        FROM_1_TO_4 = "1-4", _("1 to 4")
        FROM_5_TO_9 = "5-9", _("5 to 9")
        FROM_10_TO_49 = "10-49", _("10 to 49")
        FROM_50_TO_99 = "50-99", _("50 to 99")
        FROM_100 = "100+", _("100 or more")

    class VolunteersBand(models.TextChoices):
        NONE = "0", _("No volunteers")
        FROM_1_TO_9 = "1-9", _("1 to 9")
        FROM_10_TO_49 = "10-49", _("10 to 49")
        FROM_50_TO_199 = "50-199", _("50 to 199")
        FROM_200 = "200+", _("200 or more")

    class BudgetBand(models.TextChoices):
        UNDER_100K = "<100k", _("Less than $100,000")
        FROM_100K_TO_500K = "100k-500k", _("$100,000 to $499,999")
        FROM_500K_TO_1M = "500k-1m", _("$500,000 to $999,999")
        FROM_1M_TO_5M = "1m-5m", _("$1 million to $4.9 million")
        FROM_5M = "5m+", _("$5 million or more")

    class Sector(models.TextChoices):
        SOCIAL_SERVICES = "social_services", _("Social and community services")
        FOOD_SECURITY = "food_security", _("Food security")
        HOUSING = "housing", _("Housing")
        EDUCATION = "education", _("Education and literacy")
        EMPLOYMENT = "employment", _("Employment and integration")
        HEALTH = "health", _("Health and well-being")
        CULTURE = "culture", _("Arts and culture")
        ENVIRONMENT = "environment", _("Environment")
        MANUFACTURING = "manufacturing", _("Manufacturing")
        RETAIL = "retail", _("Retail trade")
        TOURISM = "tourism", _("Tourism, accommodation and food services")
        CONSTRUCTION = "construction", _("Construction")
        PROFESSIONAL_SERVICES = "professional_services", _("Professional services")
        AGRICULTURE = "agriculture", _("Agriculture and forestry")
        TECHNOLOGY = "technology", _("Information technology")
        FINANCE = "finance", _("Finance and insurance")
        PUBLIC = "public", _("Public administration")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_name = models.CharField(_("legal name"), max_length=255)
    usual_name = models.CharField(_("usual name"), max_length=255, blank=True)
    # Accent-, case- and dash-free form of both names, kept up to date by the services, for search.
    name_folded = models.CharField(_("name for search"), max_length=520, editable=False, db_index=True)
    neq = models.CharField(_("Quebec enterprise number (NEQ)"), max_length=10, blank=True)
    charity_number = models.CharField(_("charity registration number"), max_length=15, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    municipality = models.ForeignKey(
        "geography.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    # Derived from the municipality by the services; kept on the row so lists filter without joins.
    mrc = models.ForeignKey(
        "geography.Mrc", verbose_name=_("MRC"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey(
        "geography.Region", verbose_name=_("administrative region"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    mission = models.TextField(_("mission"), blank=True, max_length=2000)
    employees_band = models.CharField(_("employees"), max_length=8, choices=EmployeesBand.choices, blank=True)
    volunteers_band = models.CharField(_("volunteers"), max_length=8, choices=VolunteersBand.choices, blank=True)
    budget_band = models.CharField(_("annual budget"), max_length=12, choices=BudgetBand.choices, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_folded", "id"]
        constraints = [
            models.UniqueConstraint(fields=["neq"], condition=~Q(neq=""), name="organization_neq_unique"),
            models.UniqueConstraint(
                fields=["charity_number"], condition=~Q(charity_number=""), name="organization_charity_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "name_folded"], name="organization_region_name_idx"),
            models.Index(fields=["mrc", "name_folded"], name="organization_mrc_name_idx"),
            models.Index(fields=["status", "name_folded"], name="organization_status_name_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.usual_name or self.legal_name

    @property
    def legal_form(self) -> str:
        return neq_legal_form(self.neq)

    @property
    def charity_number_display(self) -> str:
        return format_charity_number(self.charity_number)

    def refresh_derived_fields(self) -> None:
        """Names for search, MRC and region from the municipality: called by the services."""
        self.name_folded = fold(f"{self.usual_name} {self.legal_name}" if self.usual_name else self.legal_name)
        if self.municipality_id:
            self.mrc_id = self.municipality.mrc_id
            self.region_id = self.municipality.region_id


class Person(TimeStampedModel):
    """A contact person of an organization."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="people"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role_title = models.CharField(_("role in the organization"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="fr"
    )
    is_primary = models.BooleanField(_("main contact"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_records",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"], condition=~Q(email=""), name="person_email_unique_per_organization"
            )
        ]
        indexes = [models.Index(fields=["email"], name="person_email_idx")]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Consent(TimeStampedModel):
    """A person's answer for one purpose of use of their information (Law 25: one box per purpose)."""

    class Purpose(models.TextChoices):
        PROGRAM_COMMUNICATIONS = (
            "program_communications",
            _("Receive e-mails about the program's activities (webinars, training, grants)"),
        )
        PARTNER_SHARING = (
            "partner_sharing",
            _("Share my contact details with the program's regional partners so they can support my organization"),
        )
        RESEARCH = "research", _("Use my answers, without my name, for research and program evaluation")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    is_given = models.BooleanField(_("given"))
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    answered_at = models.DateTimeField(_("answered at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["person", "purpose", "-answered_at"]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_purpose_display()}"


class ImportBatch(TimeStampedModel):
    """An uploaded file of organizations, held between its preview and its confirmation.

    Its rows are plain JSON until the uploader confirms: nothing in them is an organization yet,
    so nobody else can see them. After the import only the rejected rows are kept, for the report.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
        VALID_ONLY = "valid_only", _("Only the valid rows")

    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    # A string reference, not an import: programs sit above organizations in the layering.
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # Used again for the report of rejected rows, so it opens the way the original did.
    delimiter = models.CharField(_("column separator"), max_length=1, default=",")
    default_kind = models.CharField(
        _("type when a row has none"), max_length=20, choices=Organization.Kind.choices, blank=True
    )
    headers = models.JSONField(_("column names"), default=list)
    # [{"line": 2, "cells": ["...", ...]}, ...]: the cells as read, so they can be checked again.
    rows = models.JSONField(_("rows"), default=list)
    # [{"line": 2, "column": "NEQ", "value": "...", "message": "..."}, ...]
    problems = models.JSONField(_("problems"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    rejected_count = models.PositiveIntegerField(_("rows with problems"), default=0)
    created_count = models.PositiveIntegerField(_("organizations created"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})" if self.created_at else self.file_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:import_preview", args=[self.token])

    @property
    def valid_count(self) -> int:
        return self.row_count - self.rejected_count
