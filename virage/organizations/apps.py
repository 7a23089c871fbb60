from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "virage.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from virage.core.activity import register_change_labels

        from .models import Consent

        register_change_labels(
            "organizations.organization",
            {"program": _("program"), "people": _("people"), "status": _("status"), "merged_into": _("merged into")},
        )
        register_change_labels("organizations.person", dict(Consent.Purpose.choices))
