"""Quebec's administrative regions, regional county municipalities (MRC) and municipalities.

Reference data, loaded by a data migration from ``data/`` (see ``data/SOURCE.md``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_folded = models.CharField(_("name for matching"), max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = _("administrative region")
        verbose_name_plural = _("administrative regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Mrc(models.Model):
    """A regional county municipality, or a territory or city that stands for one."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_folded = models.CharField(_("name for matching"), max_length=150, db_index=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="mrcs")

    class Meta:
        verbose_name = _("regional county municipality (MRC)")
        verbose_name_plural = _("regional county municipalities (MRC)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("geographic code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_folded = models.CharField(_("name for matching"), max_length=150, db_index=True, editable=False)
    designation = models.CharField(_("designation"), max_length=60, blank=True)
    mrc = models.ForeignKey(
        Mrc, verbose_name=_("MRC"), on_delete=models.PROTECT, related_name="municipalities", null=True, blank=True
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
