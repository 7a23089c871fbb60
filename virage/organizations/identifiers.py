"""Quebec and Canadian identifiers: NEQ, charity registration number, postal code."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NEQ_INVALID = _("The Quebec enterprise number (NEQ) has 10 digits, for example 1141234567.")
NEQ_UNKNOWN_FORM = _("A Quebec enterprise number (NEQ) starts with 11, 22, 33 or 88, which give its legal form.")
CHARITY_INVALID = _(
    "A charity registration number is a 9-digit business number, the letters RR and 4 digits, "
    "for example 123456782 RR 0001."
)
CHARITY_CHECK_DIGIT = _("The business number in this charity registration number is not valid (wrong check digit).")
POSTAL_CODE_INVALID = _("A postal code looks like H2X 1Y4 (letter, digit, letter, digit, letter, digit).")
POSTAL_CODE_NOT_QUEBEC = _("A Quebec postal code starts with G, H or J.")

# The first two digits of a NEQ give the legal form of the enterprise (Registraire des entreprises).
NEQ_LEGAL_FORMS = {
    "11": _("Legal person (company, non-profit, cooperative)"),
    "22": _("Natural person (sole proprietorship)"),
    "33": _("Partnership"),
    "88": _("Other registrant (public body, trust, association)"),
}

_NEQ = re.compile(r"^\d{10}$")
_CHARITY = re.compile(r"^(\d{9})RR(\d{4})$")
# Canada Post: no D, F, I, O, Q or U anywhere; no W or Z as the first letter.
_POSTAL = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(\d[ABCEGHJ-NPRSTV-Z]\d)$")


def normalize_neq(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if not _NEQ.match(digits):
        raise ValidationError(NEQ_INVALID, code="neq_invalid")
    if digits[:2] not in NEQ_LEGAL_FORMS:
        raise ValidationError(NEQ_UNKNOWN_FORM, code="neq_unknown_form")
    return digits


def neq_legal_form(neq: str) -> str:
    return str(NEQ_LEGAL_FORMS.get((neq or "")[:2], ""))


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def normalize_charity_number(value: str) -> str:
    """``123456782RR0001`` from any spacing or case; the business number must pass Luhn."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    match = _CHARITY.match(compact)
    if not match:
        raise ValidationError(CHARITY_INVALID, code="charity_invalid")
    if not luhn_is_valid(match.group(1)):
        raise ValidationError(CHARITY_CHECK_DIGIT, code="charity_check_digit")
    return compact


def format_charity_number(value: str) -> str:
    return f"{value[:9]} {value[9:11]} {value[11:]}" if value and len(value) == 15 else value


def normalize_postal_code(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value or "").upper()
    match = _POSTAL.match(compact)
    if not match:
        raise ValidationError(POSTAL_CODE_INVALID, code="postal_code_invalid")
    if compact[0] not in "GHJ":
        raise ValidationError(POSTAL_CODE_NOT_QUEBEC, code="postal_code_not_quebec")
    return f"{match.group(1)} {match.group(2)}"
