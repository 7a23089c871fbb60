from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "virage.programs"
    label = "programs"
    verbose_name = _("Programs")

    def ready(self):
        from virage.core.activity import register_change_labels

        from .models import Indicator

        labels = dict(Indicator.choices)
        labels.update(
            {
                "member": _("member"),
                "role": _("role"),
                "regions": _("regions"),
                "organizations": _("organizations"),
                "partners": _("partners"),
                "funding_agreement": _("funding agreement"),
                "amount": _("amount"),
            }
        )
        register_change_labels("programs.program", labels)
