from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeStampedModel(models.Model):
    """Base of every domain model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The activity log is append-only: entries cannot be updated.")

    def delete(self):
        raise TypeError("The activity log is append-only: entries cannot be deleted.")


class ActivityLogEntry(models.Model):
    """One thing somebody did: written by services, never changed afterwards."""

    class Verb(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Changed")
        ARCHIVED = "archived", pgettext_lazy("activity", "Archived")
        RESTORED = "restored", _("Restored")
        IMPORTED = "imported", _("Imported from a file")
        INVITED = "invited", _("Member invited")
        JOINED = "joined", _("Added to a program")
        ROLE_CHANGED = "role_changed", _("Role changed")
        REVOKED = "revoked", _("Member removed")
        VALIDATED = "validated", _("Registration validated")
        MERGED = "merged", _("Merged")
        REGISTERED = "registered", _("Registered through the public form")
        CONSENTED = "consented", _("Consents recorded")
        WITHDREW_CONSENT = "withdrew_consent", _("Consent withdrawn")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the entry still says who acted after the account is gone.
    actor_label = models.CharField(_("actor name"), max_length=255)
    verb = models.CharField(_("action"), max_length=32, choices=Verb.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    object_label = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="activity_subject_idx")]

    def __str__(self) -> str:
        return f"{self.actor_display} — {self.get_verb_display()} — {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The activity log is append-only: entries cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The activity log is append-only: entries cannot be deleted.")

    @property
    def actor_display(self) -> str:
        # Entries written without a signed-in person (public forms, automatic jobs) have no name.
        return self.actor_label or str(_("Virage (no signed-in person)"))
