"""Contact people: personal information, shown only to the roles that work with the organization."""

import pytest
from django.urls import reverse

from virage.core.tests.factories import PersonFactory

LIST_URL = reverse("api:person-list")


def detail_url(person) -> str:
    return reverse("api:person-detail", args=[person.pk])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"person_montreal", "person_quebec"}),
        ("manager", {"person_montreal", "person_quebec"}),
        ("coordinator_quebec", {"person_quebec"}),
        ("coach", {"person_quebec"}),
        ("contact_quebec", {"person_quebec"}),
        ("funder", set()),
        ("reviewer", set()),
        ("outsider", set()),
    ],
)
def test_each_persona_sees_exactly_the_people_of_their_organizations(world, client_for, persona, expected):
    client = client_for(getattr(world, persona))

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {getattr(world, name).pk for name in expected}
    for name in ("person_montreal", "person_quebec"):
        person = getattr(world, name)
        assert client.get(detail_url(person)).status_code == (200 if name in expected else 404), (persona, name)


def test_a_funder_gets_no_personal_information_at_all(world, client_for):
    client = client_for(world.funder)

    assert client.get(LIST_URL).json()["count"] == 0
    assert client.get(f"{LIST_URL}?organization={world.org_quebec.pk}").json()["count"] == 0
    assert client.get(detail_url(world.person_quebec)).status_code == 404


def test_anonymous_gets_401(world, client_for):
    assert client_for(None).get(LIST_URL).status_code == 401
    assert client_for(None).get(detail_url(world.person_quebec)).status_code == 401


def test_a_person_shows_their_contact_details(world, client_for):
    body = client_for(world.contact_quebec).get(detail_url(world.person_quebec)).json()

    assert body["organization"] == world.org_quebec.pk
    assert (body["first_name"], body["last_name"]) == ("Jérôme", "Côté")
    assert body["email"] == world.person_quebec.email
    assert set(body) == {
        "id",
        "organization",
        "first_name",
        "last_name",
        "email",
        "phone",
        "role_title",
        "preferred_language",
        "is_primary",
        "is_active",
        "url",
    }


def test_the_list_filters_by_organization(world, client_for):
    other = PersonFactory(organization=world.org_montreal)

    response = client_for(world.manager).get(f"{LIST_URL}?organization={world.org_montreal.pk}")

    assert {row["id"] for row in response.json()["results"]} == {world.person_montreal.pk, other.pk}


def test_people_cannot_be_written_through_the_api(world, client_for):
    client = client_for(world.admin)

    assert client.post(LIST_URL, {"first_name": "A"}, format="json").status_code == 405
    assert client.patch(detail_url(world.person_quebec), {"first_name": "A"}, format="json").status_code == 405
