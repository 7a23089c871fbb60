"""The period and breakdown chosen on the reach page."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from virage.events.reach import Granularity

from .selectors import DEFAULT_GRANULARITY, WHOLE_PROGRAM

WHOLE = "all"
BREAKDOWNS = [
    (Granularity.MONTH, _("Month")),
    (Granularity.QUARTER, _("Quarter")),
    (Granularity.YEAR, _("Year")),
    (Granularity.FISCAL_YEAR, _("Fiscal year (April to March)")),
]
GROUP_LABELS = {
    Granularity.FISCAL_YEAR: _("Fiscal years (April to March)"),
    Granularity.YEAR: _("Years"),
    Granularity.QUARTER: _("Quarters"),
    Granularity.MONTH: _("Months"),
}


def period_value(granularity: str, start: datetime.date) -> str:
    """How a period is written in the address: ``all``, ``year-2026-01-01``, ``month-2026-03-01``…"""
    return WHOLE if granularity == Granularity.ALL else f"{granularity}-{start:%Y-%m-%d}"


def period_label(granularity: str, start: datetime.date) -> str:
    if granularity == Granularity.ALL:
        return str(_("Whole program"))
    if granularity == Granularity.YEAR:
        return str(start.year)
    if granularity == Granularity.FISCAL_YEAR:
        return str(_("Fiscal year %(first)s-%(second)s")) % {"first": start.year, "second": start.year + 1}
    if granularity == Granularity.QUARTER:
        return str(pgettext_lazy("quarter of a year", "Q%(quarter)s %(year)s")) % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    return f"{start:%Y-%m}"


def parse_period(value: str) -> tuple[str, datetime.date] | None:
    if value == WHOLE:
        return WHOLE_PROGRAM
    granularity, _sep, day = value.partition("-")
    if granularity not in Granularity.values or granularity == Granularity.ALL:
        return None
    try:
        return granularity, datetime.date.fromisoformat(day)
    except ValueError:
        return None


class ReachFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    granularity = forms.ChoiceField(
        label=_("Per"), required=False, choices=BREAKDOWNS, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, periods: dict[str, list[datetime.date]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(WHOLE, _("Whole program"))]
        for granularity, label in GROUP_LABELS.items():
            starts = periods.get(granularity) or []
            if starts:
                choices.append((label, [(period_value(granularity, s), period_label(granularity, s)) for s in starts]))
        self.fields["period"].choices = choices

    def chosen(self) -> dict:
        """The period and breakdown as the selectors take them, from the valid fields only."""
        # A bad breakdown keeps the chosen period, and the reverse.
        self.is_valid()
        data = self.cleaned_data
        period = parse_period(data.get("period") or WHOLE) or WHOLE_PROGRAM
        return {"period": period, "granularity": data.get("granularity") or DEFAULT_GRANULARITY}


# The learning indicators are kept per day, so any range of dates can be asked for.
END_BEFORE_START = _("The end date cannot be before the start date.")
# Bounds keep the dates far from the calendar's limits, where adding a day or a time zone overflows.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


class DateRangeForm(forms.Form):
    """A period given by its first and last days, and the breakdown per month, quarter or year."""

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
        # Calendar periods only: the learning selectors group by month, quarter or year.
        choices=[(value, label) for value, label in BREAKDOWNS if value != Granularity.FISCAL_YEAR],
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
