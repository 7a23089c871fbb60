"""Look-ups in the reference data, tolerant of accents, case and dashes."""

from django.db.models import QuerySet

from virage.core.text import fold

from .models import Mrc, Municipality, Region


def region_list() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def find_region(text: str) -> Region | None:
    """The region named or numbered ``text`` ("02", "2", "Saguenay-Lac-Saint-Jean"), or None."""
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit():
        return Region.objects.filter(code=text.zfill(2)).first()
    return Region.objects.filter(name_folded=fold(text)).first()


def find_mrc(text: str) -> Mrc | None:
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit():
        return Mrc.objects.filter(code=text.zfill(3)).first()
    return Mrc.objects.filter(name_folded=fold(text)).first()


def find_municipalities(text: str) -> QuerySet[Municipality]:
    """Municipalities whose code is ``text`` or whose name matches it (several share a name)."""
    text = (text or "").strip()
    if text.isdigit():
        return Municipality.objects.filter(code=text.zfill(5)).select_related("mrc", "region")
    return Municipality.objects.filter(name_folded=fold(text)).select_related("mrc", "region")


def search_municipalities(text: str, limit: int = 20) -> QuerySet[Municipality]:
    """Municipalities whose name starts with ``text``, for an autocomplete."""
    folded = fold(text)
    if not folded:
        return Municipality.objects.none()
    return Municipality.objects.filter(name_folded__startswith=folded).select_related("mrc", "region")[:limit]
