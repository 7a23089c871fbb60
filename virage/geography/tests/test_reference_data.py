import pytest

from virage.geography.models import Mrc, Municipality, Region
from virage.geography.selectors import find_municipalities, find_region, search_municipalities

pytestmark = pytest.mark.django_db


def test_the_17_administrative_regions_are_loaded():
    assert Region.objects.count() == 17
    assert Region.objects.get(code="06").name == "Montréal"


def test_mrcs_and_municipalities_are_loaded_and_consistent():
    assert Mrc.objects.count() >= 87
    assert 1_100 <= Municipality.objects.count() <= 1_300
    # A municipality's region is its MRC's region, wherever it has an MRC.
    assert not Municipality.objects.exclude(mrc=None).exclude(region_id=models_f("mrc__region_id")).exists()


def models_f(name):
    from django.db.models import F

    return F(name)


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("66023", "Montréal", "06"),
        ("23027", "Québec", "03"),
        ("65005", "Laval", "13"),
        ("43027", "Sherbrooke", "05"),
        ("81017", "Gatineau", "07"),
        ("94068", "Saguenay", "02"),
        ("37067", "Trois-Rivières", "04"),
    ],
)
def test_large_cities_have_their_official_codes(code, name, region):
    municipality = Municipality.objects.get(code=code)
    assert (municipality.name, municipality.region.code) == (name, region)


@pytest.mark.parametrize(
    "spelling",
    ["Saguenay–Lac-Saint-Jean", "Saguenay-Lac-Saint-Jean", "saguenay--lac-saint-jean", "SAGUENAY LAC ST JEAN"],
)
def test_region_names_match_whatever_their_dashes_accents_or_case(spelling):
    region = find_region(spelling.replace("ST ", "SAINT "))
    assert region is not None and region.code == "02"


def test_region_codes_match_with_or_without_leading_zero():
    assert find_region("2").code == "02"
    assert find_region("02").code == "02"


def test_municipality_names_match_without_accents():
    assert [m.code for m in find_municipalities("trois rivieres")] == ["37067"]
    assert find_municipalities("66023").get().name == "Montréal"


def test_municipality_autocomplete_finds_by_prefix():
    names = [m.name for m in search_municipalities("sainte-ann")]
    assert names and all(name.startswith("Sainte-Ann") for name in names)
