"""Whatever a client sends, the answer is a 4xx with a message, never a 500."""

import pytest
from django.urls import reverse

from virage.organizations.models import Organization

LIST_URL = reverse("api:organization-list")
HUGE_ID = "99999999999999999999"


@pytest.fixture
def manager_client(world, client_for):
    # A server error must reach the test as a 500 response, not as an exception.
    client = client_for(world.manager)
    client.raise_request_exception = False
    return client


def valid(**overrides) -> dict:
    return {"kind": "community", "legal_name": "Entraide Limoilou", "municipality": "23027", **overrides}


@pytest.mark.parametrize(
    "body",
    [
        '{"kind": "community", "legal_name": ',
        "not json at all",
        "[1, 2, 3]",
        '"a string"',
        "null",
        "\ud800",
    ],
)
def test_malformed_json_gets_400(manager_client, body):
    response = manager_client.generic("POST", LIST_URL, body.encode("utf-8", "surrogatepass"), "application/json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"legal_name": ["a", "list"]}, "legal_name"),
        ({"legal_name": {"a": "dict"}}, "legal_name"),
        ({"legal_name": None}, "legal_name"),
        ({"legal_name": ""}, "legal_name"),
        ({"kind": 3}, "kind"),
        ({"kind": "charity"}, "kind"),
        ({"municipality": 23027.5}, "municipality"),
        ({"municipality": ["23027"]}, "municipality"),
        ({"municipality": True}, "municipality"),
        ({"confirm_similar": "perhaps"}, "confirm_similar"),
        ({"program": "not a slug!"}, "program"),
        ({"program": "x" * 10_000}, "program"),
        ({"sector": "spying"}, "sector"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "x" * 10_000}, "website"),
        ({"legal_name": "Nul\x00caractère"}, "legal_name"),
        ({"legal_name": "x" * 10_000}, "legal_name"),
        ({"usual_name": "x" * 10_000}, "usual_name"),
        ({"address": "x" * 10_000}, "address"),
        ({"mission": "x" * 10_000}, "mission"),
        ({"neq": "1" * 10_000}, "neq"),
        ({"charity_number": "1" * 10_000}, "charity_number"),
        ({"postal_code": "H" * 10_000}, "postal_code"),
        ({"municipality": "2" * 10_000}, "municipality"),
    ],
)
def test_wrong_types_and_oversized_values_get_400_on_the_field(manager_client, overrides, field):
    response = manager_client.post(LIST_URL, valid(**overrides), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Organization.objects.filter(legal_name__startswith="Entraide").exists()


def test_a_name_of_ten_thousand_characters_gets_the_forms_length_message(manager_client):
    response = manager_client.post(LIST_URL, valid(legal_name="é" * 10_000), format="json")

    assert response.status_code == 400
    (message,) = response.json()["legal_name"]
    assert "255" in message and "10000" in message


def test_a_wrong_type_in_an_update_gets_400_and_changes_nothing(world, manager_client):
    url = reverse("api:organization-detail", args=[world.org_quebec.pk])

    response = manager_client.patch(url, {"usual_name": "Bon nom", "kind": ["community"]}, format="json")

    assert response.status_code == 400
    world.org_quebec.refresh_from_db()
    assert world.org_quebec.usual_name == ""


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/organizations/{HUGE_ID}/",
        "/api/v1/organizations/0/",
        "/api/v1/organizations/-1/",
        "/api/v1/organizations/abc/",
        "/api/v1/organizations/1e3/",
        f"/api/v1/people/{HUGE_ID}/",
        "/api/v1/people/abc/",
        f"/api/v1/programs/{'x' * 500}/",
        f"/api/v1/regions/{HUGE_ID}/",
        f"/api/v1/mrcs/{HUGE_ID}/",
        f"/api/v1/municipalities/{HUGE_ID}/",
    ],
)
def test_unknown_and_huge_ids_get_404(manager_client, url):
    assert manager_client.get(url).status_code == 404


def test_changing_an_organization_with_a_huge_id_gets_404(manager_client):
    response = manager_client.patch(f"/api/v1/organizations/{HUGE_ID}/", {"usual_name": "x"}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "kind=charity",
        "status=deleted",
        "sort=password",
        "q=" + "x" * 10_000,
        "region=" + "9" * 500,
        "program=not%20a%20slug",
        f"people:organization={HUGE_ID}",
        "people:organization=abc",
        "people:organization=-4",
    ],
)
def test_bad_filters_get_400(manager_client, query):
    url = LIST_URL
    if query.startswith("people:"):
        url, query = reverse("api:person-list"), query.removeprefix("people:")

    assert manager_client.get(f"{url}?{query}").status_code == 400


@pytest.mark.parametrize(
    "query",
    [f"page={HUGE_ID}", "page=abc", "page=-1", "page=0"],
)
def test_pages_that_do_not_exist_get_404(manager_client, query):
    assert manager_client.get(f"{LIST_URL}?{query}").status_code == 404


@pytest.mark.parametrize("query", [f"page_size={HUGE_ID}", "page_size=-5", "page_size=abc", "page_size=0"])
def test_odd_page_sizes_fall_back_to_a_sensible_size(manager_client, query):
    assert manager_client.get(f"{LIST_URL}?{query}").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        f"region={HUGE_ID[:50]}",
        "region=Atlantide",
        "mrc=999",
        "program=inconnu",
        f"program={HUGE_ID}x",
        f"mrc={HUGE_ID}",
    ],
)
def test_filters_on_unknown_places_or_programs_return_nothing(manager_client, query):
    response = manager_client.get(f"{LIST_URL}?{query}")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_form_encoded_bodies_are_accepted_like_json(manager_client):
    response = manager_client.post(LIST_URL, valid(), format="multipart")

    assert response.status_code == 201, response.content


def test_an_unsupported_content_type_gets_415(manager_client):
    response = manager_client.generic("POST", LIST_URL, b"<xml/>", "application/xml")

    assert response.status_code == 415


ODD_VALUES = [None, True, 0, -1, 2**70, 1e308, "", " ", "x" * 10_000, [], {}, ["a"], {"a": 1}, "\u202e😀" * 300]
WRITABLE_FIELDS = [
    "kind",
    "legal_name",
    "usual_name",
    "neq",
    "charity_number",
    "address",
    "postal_code",
    "municipality",
    "sector",
    "mission",
    "employees_band",
    "volunteers_band",
    "budget_band",
    "website",
    "program",
    "confirm_similar",
]


@pytest.mark.parametrize("field", WRITABLE_FIELDS)
def test_no_odd_value_in_any_field_makes_a_server_error(world, manager_client, field):
    url = reverse("api:organization-detail", args=[world.org_quebec.pk])
    for value in ODD_VALUES:
        created = manager_client.post(LIST_URL, valid(**{field: value}), format="json")
        changed = manager_client.patch(url, {field: value}, format="json")
        assert created.status_code < 500, (field, value)
        assert changed.status_code < 500, (field, value)
