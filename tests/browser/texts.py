"""The French and English texts the browser tests look for, read from the translation catalogues.

Selectors use the accessible names a French-speaking person hears (labels, button names). Reading
them from the catalogue keeps the tests independent of a translator's choice of words, and
``french()`` fails when the French catalogue has no translation, so an English label on a French
page is caught rather than matched.
"""

from django.utils import translation


class MissingTranslation(AssertionError):
    pass


def french(message: str, **values) -> str:
    """The French translation of ``message``; fails when the catalogue does not translate it."""
    with translation.override("fr"):
        text = translation.gettext(message)
    if text == message:
        raise MissingTranslation(f"The French catalogue does not translate {message!r}.")
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
