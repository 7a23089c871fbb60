"""Errors that services raise and views turn into messages."""

from django.core.exceptions import ValidationError


class DuplicateError(ValidationError):
    """The thing already exists; ``existing`` is the object to link to."""

    def __init__(self, message, *, existing, field: str | None = None, code: str = "duplicate"):
        super().__init__({field: [message]} if field else message, code=code)
        self.existing = existing
        self.field = field


class ConfirmationRequired(Exception):
    """The write is allowed but looks like a mistake; the user must confirm, seeing ``candidates``."""

    def __init__(self, message, *, candidates):
        super().__init__(message)
        self.message = message
        self.candidates = candidates


MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """An id from a URL or a form, or None when it is not a positive 64-bit integer."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None
