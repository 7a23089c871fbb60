"""The translation catalogues: French is complete and faithful to the English source.

French is the default language of the interface, so a missing or fuzzy French entry shows English
to most users, and a placeholder lost in translation raises a KeyError (or silently drops a value)
when the page is rendered. The English catalogue may leave msgstr empty: gettext then shows the
msgid, which is already English.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
SOURCE_DIR = LOCALE_DIR.parent
FRENCH_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
ENGLISH_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

# The same patterns as `make messages`: test files hold no user-facing strings.
IGNORE_PATTERNS = ["*/tests/*", "tests/*"]

# %(name)s, %s, %d, %.2f... and {{ name }}; "%%" is an escaped percent sign, not a placeholder.
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\{.*?\}\}"
)
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")

# Translations fixed by the program's vocabulary; other tests and the documentation rely on them.
FIXED_TRANSLATIONS = {
    "The Quebec enterprise number (NEQ) has 10 digits, for example 1141234567.": (
        "Le numéro d’entreprise du Québec (NEQ) compte 10 chiffres, par exemple 1141234567."
    ),
    "History": "Historique",
    "No Quebec municipality has this name. Choose one from the suggestions.": (
        "Aucune municipalité du Québec ne porte ce nom. Choisissez-en une parmi les suggestions."
    ),
    "Sign in": "Se connecter",
    "Sign out": "Se déconnecter",
    "Forgot your password?": "Mot de passe oublié?",
    "Organizations": "Organismes",
    "Program manager": "Gestionnaire de programme",
    "Regional coordinator": "Coordination régionale",
    "Coach": "Accompagnateur ou accompagnatrice",
    "Reviewer": "Membre du comité d’évaluation",
    "Funder viewer": "Bailleur de fonds (consultation)",
    "Organization contact": "Personne-ressource de l’organisme",
}


def _catalogue(path: Path) -> polib.POFile:
    assert path.exists(), f"{path} is missing: run `make messages` and translate it."
    return polib.pofile(str(path))


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def _key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def _describe(entry: polib.POEntry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


@pytest.fixture(scope="module")
def french():
    return _catalogue(FRENCH_PO)


@pytest.fixture(scope="module")
def english():
    return _catalogue(ENGLISH_PO)


def test_french_catalogue_has_no_untranslated_entry(french):
    untranslated = [_describe(entry) for entry in french.untranslated_entries()]
    assert untranslated == []


def test_french_catalogue_has_no_fuzzy_entry(french):
    # msgmerge guesses a translation for a changed string and marks it fuzzy; gettext ignores it
    # until someone checks the guess and removes the flag.
    assert french.metadata_is_fuzzy in ([], None, False)
    assert [_describe(entry) for entry in french.fuzzy_entries()] == []


def test_french_plural_forms_follow_the_french_rule(french):
    # In French, 0 and 1 take the singular ("0 organisme"), unlike English.
    assert french.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    incomplete = [
        _describe(entry)
        for entry in french
        if entry.msgid_plural and (sorted(entry.msgstr_plural) != [0, 1] or not all(entry.msgstr_plural.values()))
    ]
    assert incomplete == []


def test_french_translations_keep_the_placeholders_of_the_source(french):
    mismatched = []
    for entry in french.translated_entries():
        if entry.msgid_plural:
            allowed = set(_placeholders(entry.msgid)) | set(_placeholders(entry.msgid_plural))
            singular, plural = entry.msgstr_plural[0], entry.msgstr_plural[1]
            # The singular form may leave the number out ("Un organisme"), never add an unknown name.
            if not set(_placeholders(singular)) <= allowed or _placeholders(plural) != _placeholders(
                entry.msgid_plural
            ):
                mismatched.append(_describe(entry))
        elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            mismatched.append(f"{_describe(entry)} -> {entry.msgstr!r}")
    assert mismatched == []


def test_french_translations_keep_the_html_tags_of_the_source(french):
    mismatched = [
        f"{_describe(entry)} -> {entry.msgstr!r}"
        for entry in french.translated_entries()
        if not entry.msgid_plural and HTML_TAG.findall(entry.msgstr) != HTML_TAG.findall(entry.msgid)
    ]
    assert mismatched == []


def test_french_translations_follow_quebec_typography(french):
    # Typographic apostrophe; a non-breaking space before a colon and inside « »; no space before
    # ? ! ; (the Office québécois de la langue française's usage, unlike France's).
    problems = []
    for entry in french.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if not text:
                continue
            if text.count("'") > entry.msgid.count("'"):
                problems.append(f"straight apostrophe: {text!r}")
            if re.search(r" :|«(?!\u00a0)|(?<!\u00a0)»", text):
                problems.append(f"breaking space around : or « »: {text!r}")
            if re.search(r"[ \u00a0\u202f][?!;]", text):
                problems.append(f"space before ? ! or ;: {text!r}")
    assert problems == []


@pytest.mark.parametrize(("msgid", "expected"), FIXED_TRANSLATIONS.items())
def test_fixed_vocabulary_is_translated_as_agreed(french, msgid, expected):
    entry = french.find(msgid)
    assert entry is not None, f"{msgid!r} is no longer in the source."
    assert entry.msgstr == expected


def test_compiled_french_catalogue_is_the_one_django_uses(french):
    # Fails when the .mo file is missing or older than the .po: run `make compilemessages`.
    plural = next(entry for entry in french if entry.msgid_plural)
    with translation.override("fr"):
        assert translation.gettext("History") == "Historique"
        assert translation.gettext("Sign in") == "Se connecter"
        # French uses the singular for 0, unlike English.
        assert translation.ngettext(plural.msgid, plural.msgid_plural, 0) == plural.msgstr_plural[0]
        assert translation.ngettext(plural.msgid, plural.msgid_plural, 2) == plural.msgstr_plural[1]


def test_english_shows_the_english_source_rather_than_the_default_french(french):
    # Django falls back to the default language for missing entries, except for English variants:
    # an empty English msgstr must show the msgid, never the French translation.
    plural = next(entry for entry in french if entry.msgid_plural)
    with translation.override("en"):
        assert translation.gettext("History") == "History"
        assert translation.ngettext(plural.msgid, plural.msgid_plural, 0) == plural.msgid_plural
        assert translation.ngettext(plural.msgid, plural.msgid_plural, 1) == plural.msgid


def test_english_catalogue_has_the_same_entries_as_the_french_one(french, english):
    # English msgstr may stay empty (gettext then shows the English msgid), but the catalogue
    # exists, holds every string and has no fuzzy guess that would replace a correct msgid.
    assert {_key(entry) for entry in english} == {_key(entry) for entry in french}
    assert [_describe(entry) for entry in english.fuzzy_entries()] == []
    assert english.metadata["Language"] == "en"


def _source_files(directory, names):
    """Copy only what makemessages reads (.py, .html, .txt), to keep the copy small and fast."""
    ignored = set()
    for name in names:
        path = Path(directory) / name
        if path.is_dir():
            if name in {"__pycache__", "locale", "static"} or name.startswith("."):
                ignored.add(name)
        elif path.suffix not in {".py", ".html", ".txt"}:
            ignored.add(name)
    return ignored


def test_french_catalogue_is_up_to_date_with_the_source(tmp_path, settings, monkeypatch, french):
    missing_tools = [tool for tool in ("xgettext", "msguniq", "msgmerge") if shutil.which(tool) is None]
    if missing_tools:
        pytest.skip(f"GNU gettext ({', '.join(missing_tools)}) is not installed; only translators need it.")
    copy = tmp_path / "virage"
    shutil.copytree(SOURCE_DIR, copy, ignore=_source_files)
    # makemessages writes into LOCALE_PATHS: point it at the copy so the real catalogue is untouched.
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fr"], ignore_patterns=IGNORE_PATTERNS, no_obsolete=True, verbosity=0)

    extracted = {_key(entry) for entry in polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))}
    committed = {_key(entry) for entry in french}
    assert sorted(extracted - committed, key=str) == [], "New strings: run `make messages` and translate them."
    assert sorted(committed - extracted, key=str) == [], "Strings gone from the source: run `make messages`."
