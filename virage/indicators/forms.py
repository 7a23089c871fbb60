"""The period and granularity chosen on the reach page."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .selectors import DEFAULT_GRANULARITY

END_BEFORE_START = _("The end date cannot be before the start date.")
# Bounds keep the dates far from the calendar's limits, where adding a day or a time zone overflows.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


class ReachFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )
    end = forms.DateField(
        label=_("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )
    granularity = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", END_BEFORE_START)
        return data

    def period(self) -> dict:
        """The period as the selectors take it: ``[start, end)``, from valid fields only."""
        # Valid fields are used even when another is not: a bad end date keeps the chosen start.
        self.is_valid()
        data = self.cleaned_data
        end = data.get("end")
        return {
            "start": data.get("start"),
            # The page asks for the last day included; the selectors take the first day excluded.
            "end": end + datetime.timedelta(days=1) if end else None,
            "granularity": data.get("granularity") or DEFAULT_GRANULARITY,
        }
