"""The French and English texts the browser tests look for, read from the translation catalogues.

Selectors use the accessible names a French-speaking person hears (labels, button names). Reading
them from the catalogue keeps the tests independent of a translator's choice of words, and
``french()`` fails when the French catalogue has no translation, so an English label on a French
page is caught rather than matched.
"""

from django.utils import translation
from django.utils.functional import Promise


class MissingTranslation(AssertionError):
    pass


def french(message: str | Promise, **values) -> str:
    """The French translation of ``message`` (a msgid or a lazy label); fails when it is untranslated."""
    with translation.override("fr"):
        text = str(message) if isinstance(message, Promise) else translation.gettext(message)
    with translation.override("en"):
        source = str(message)
    if text == source:
        raise MissingTranslation(f"The French catalogue does not translate {source!r}.")
    return text % values if values else text


def french_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("fr"):
        text = translation.ngettext(singular, plural, count)
    if text in (singular, plural):
        raise MissingTranslation(f"The French catalogue does not translate {plural!r}.")
    return text % {"counter": count}


def english(message: str, **values) -> str:
    with translation.override("en"):
        text = translation.gettext(message)
    return text % values if values else text
