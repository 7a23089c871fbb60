"""Bilingual content: a French and an English column, read in the active language."""

from django.utils.translation import get_language


def in_active_language(instance, field: str) -> str:
    """``instance.<field>_en`` when the interface is in English and it is filled, else French."""
    language = (get_language() or "fr")[:2]
    if language == "en":
        value = getattr(instance, f"{field}_en", "")
        if value:
            return value
    return getattr(instance, f"{field}_fr", "")
