"""Reference geography and programs."""

import pytest
from django.urls import reverse

from virage.core.tests.factories import ProgramFactory
from virage.geography.models import Region


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_regions_are_listed_by_code(world, client_for):
    rows = results(client_for(world.funder).get(reverse("api:region-list")))

    codes = [row["code"] for row in rows]
    assert codes == sorted(codes)
    assert {"code": "06", "name": world.region_montreal.name} in rows
    assert len(rows) == Region.objects.count()


def test_a_region_shows_its_mrcs(world, client_for):
    body = client_for(world.funder).get(reverse("api:region-detail", args=["03"])).json()

    assert body["code"] == "03"
    assert world.quebec.mrc is None or {"code": world.quebec.mrc.code, "name": world.quebec.mrc.name} in body["mrcs"]
    assert {mrc["code"] for mrc in body["mrcs"]} == set(world.region_quebec.mrcs.values_list("code", flat=True))


def test_an_unknown_region_is_a_404(world, client_for):
    assert client_for(world.funder).get(reverse("api:region-detail", args=["99"])).status_code == 404


@pytest.mark.parametrize("text", ["montreal", "MONTRÉAL", "Montr"])
def test_municipalities_are_found_whatever_the_accents_and_case(world, client_for, text):
    rows = results(client_for(world.coach).get(reverse("api:municipality-list"), {"q": text}))

    assert "66023" in {row["code"] for row in rows}
    assert all(row["name"].casefold().startswith("montr") for row in rows)


def test_municipalities_are_found_by_code_and_filtered_by_region(world, client_for):
    client = client_for(world.coach)

    by_code = results(client.get(reverse("api:municipality-list"), {"q": "23027"}))
    assert [row["code"] for row in by_code] == ["23027"]
    assert by_code[0]["region"] == {"code": "03", "name": world.region_quebec.name}

    in_montreal = results(client.get(reverse("api:municipality-list"), {"q": "Qu", "region": "06"}))
    assert all(row["region"]["code"] == "06" for row in in_montreal)
    assert "23027" not in {row["code"] for row in in_montreal}


def test_a_municipality_is_read_by_its_code(world, client_for):
    body = client_for(world.coach).get(reverse("api:municipality-detail", args=["66023"])).json()

    assert body["name"] == world.montreal.name


def test_geography_needs_an_account(world, client_for):
    assert client_for(None).get(reverse("api:region-list")).status_code == 401


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("admin", True),
        ("manager", True),
        ("coordinator_quebec", True),
        ("coach", True),
        ("reviewer", True),
        ("funder", True),
        ("contact_quebec", True),
        ("outsider", False),
    ],
)
def test_members_see_their_program_and_nobody_sees_another(world, client_for, persona, sees):
    ProgramFactory(slug="autre-programme")
    client = client_for(getattr(world, persona))

    slugs = {row["slug"] for row in results(client.get(reverse("api:program-list")))}
    detail = client.get(reverse("api:program-detail", args=["dataide"]))

    if persona == "admin":
        assert slugs >= {"dataide", "autre-programme"}
    else:
        assert slugs == ({"dataide"} if sees else set())
        assert client.get(reverse("api:program-detail", args=["autre-programme"])).status_code == 404
    assert detail.status_code == (200 if sees else 404)


def test_a_program_shows_its_dates_operator_and_regions(world, client_for):
    body = client_for(world.funder).get(reverse("api:program-detail", args=["dataide"])).json()

    assert body["slug"] == "dataide"
    assert body["name"] == "DATAide"
    assert body["starts_on"] == world.program.starts_on.isoformat()
    assert body["operator"] == {"id": world.program.operator_id, "name": str(world.program.operator)}
    assert [region["code"] for region in body["regions"]] == ["03", "06"]
