"""Text folding used for matching names whatever their accents, case or dashes."""

import re
import unicodedata

# Hyphen, en dash, em dash, minus sign, non-breaking hyphen and friends all count as one dash:
# sources write "Saguenay–Lac-Saint-Jean" with an en dash or a hyphen.
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D_/.,'’()-]+")
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, accent-free, dash-free form of ``text`` for comparisons and search.

    >>> fold("Saguenay–Lac-Saint-Jean")
    'saguenay lac saint jean'
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    # Accents go, and so do control characters (PostgreSQL refuses NUL in a query parameter).
    without_accents = "".join(
        char for char in decomposed if not unicodedata.combining(char) and unicodedata.category(char) != "Cc"
    )
    without_accents = without_accents.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    spaced = _DASHES.sub(" ", without_accents.casefold())
    return _SPACES.sub(" ", spaced).strip()
