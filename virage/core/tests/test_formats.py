from datetime import date
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(text, **context):
    return Template("{% load virage %}" + text).render(Context(context))


def test_money_and_numbers_use_quebec_french_formats():
    with translation.override("fr"):
        assert render("{{ amount|money }}", amount=Decimal("1234.56")) == "1\xa0234,56\xa0$"
        assert render("{{ amount|money:0 }}", amount=Decimal("4000000")) == "4\xa0000\xa0000\xa0$"
        assert render("{{ count|number }}", count=3000) == "3\xa0000"


def test_money_and_numbers_in_english():
    with translation.override("en"):
        assert render("{{ amount|money }}", amount=Decimal("1234.56")) == "$1,234.56"
        assert render("{{ amount|money }}", amount=Decimal("-5")) == "-$5.00"
        assert render("{{ count|number }}", count=3000) == "3,000"


def test_dates_are_iso_and_times_24_hour_in_both_languages():
    for language in ("fr", "en"):
        with translation.override(language):
            assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', day=date(2026, 11, 23)) == "2026-11-23"
            assert (
                render('{{ day|date:"TIME_FORMAT" }}', day=__import__("datetime").datetime(2026, 1, 1, 14, 5))
                == "14:05"
            )


def test_money_leaves_non_numbers_alone():
    assert render("{{ value|money }}", value="n/a") == "n/a"
    assert render("{{ value|money }}", value=None) == ""


def test_fold_removes_accents_case_dashes_and_control_characters():
    from virage.core.text import fold

    assert fold("Saguenay–Lac-Saint-Jean") == fold("SAGUENAY--LAC SAINT JEAN") == "saguenay lac saint jean"
    assert fold("Cœur\x00 de l’Île") == "coeur de l ile"
