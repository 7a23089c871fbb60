"""Template helpers: Quebec number and money formats, and query-string editing."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def number(value, decimals=0):
    """``1 234`` in French, ``1,234`` in English."""
    if value in (None, ""):
        return ""
    return number_format(value, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def money(value, decimals=2):
    """``1 234,56 $`` in French, ``$1,234.56`` in English."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    text = number_format(amount, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)
    if (get_language() or "fr").startswith("en"):
        return f"-${text[1:]}" if text.startswith("-") else f"${text}"
    return f"{text}\xa0$"


@register.filter
def percent(value, total):
    try:
        return min(100, round(Decimal(value) * 100 / Decimal(total)))
    except (InvalidOperation, TypeError, ValueError, ZeroDivisionError):
        return 0


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def history_changes(entry):
    """The changes of an activity-log entry as (label, old, new) rows."""
    from virage.core.activity import describe_changes

    return describe_changes(entry)


@register.filter
def described_widget(field):
    """The field's widget, tied to its help text and errors for screen readers."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
        css = field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{css} is-invalid".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def with_colon(label):
    """``Label:`` in English, ``Label :`` (non-breaking space) in French."""
    from django.utils.translation import gettext

    return gettext("%(label)s:") % {"label": label}
