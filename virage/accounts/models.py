from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from virage.core.models import TimeStampedModel


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin, TimeStampedModel):
    """A person who signs in, with their e-mail address as identifier."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform administrator"), default=False, help_text=_("Can use the administration site.")
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Role(models.TextChoices):
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    COACH = "coach", _("Coach")
    REVIEWER = "reviewer", _("Reviewer")
    FUNDER_VIEWER = "funder_viewer", _("Funder viewer")
    ORGANIZATION_CONTACT = "organization_contact", _("Organization contact")


class Membership(TimeStampedModel):
    """A role that a person holds in one program.

    A regional coordinator's scope is ``regions``; a coach's and an organization contact's is
    ``organizations`` (the organizations assigned to the coach, or the contact's own).
    """

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    regions = models.ManyToManyField("geography.Region", verbose_name=_("regions"), blank=True, related_name="+")
    organizations = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("organizations"), blank=True, related_name="memberships"
    )
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("program membership")
        verbose_name_plural = _("program memberships")
        ordering = ["program", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "role"], name="membership_one_role_once_per_program")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.program})"
