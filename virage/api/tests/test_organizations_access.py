"""Who sees and changes which organization through the API: the same rules as the pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from virage.organizations.identifiers import NEQ_LEGAL_FORMS
from virage.organizations.models import Organization
from virage.organizations.permissions import NO_PERSONAL_INFORMATION, NOT_IN_SCOPE, NOT_STAFF

LIST_URL = reverse("api:organization-list")


def detail_url(organization) -> str:
    return reverse("api:organization-detail", args=[organization.pk])


def listed_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"org_montreal", "org_quebec"}),
        ("manager", {"org_montreal", "org_quebec"}),
        ("coordinator_quebec", {"org_quebec"}),
        ("coach", {"org_quebec"}),
        ("contact_quebec", {"org_quebec"}),
    ],
)
def test_each_persona_lists_exactly_the_organizations_in_their_scope(world, client_for, persona, expected):
    response = client_for(getattr(world, persona)).get(LIST_URL)

    # The program's operator is an organization too; only an administrator sees it outside a program.
    ids = listed_ids(response) - {world.program.operator_id}
    assert ids == {getattr(world, name).pk for name in expected}


@pytest.mark.parametrize("persona", ["funder", "reviewer", "outsider"])
def test_roles_without_personal_information_cannot_list_organizations(world, client_for, persona):
    response = client_for(getattr(world, persona)).get(LIST_URL)

    assert response.status_code == 403
    assert response.json()["detail"] == str(NO_PERSONAL_INFORMATION)


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("admin", {"org_montreal", "org_quebec"}),
        ("manager", {"org_montreal", "org_quebec"}),
        ("coordinator_quebec", {"org_quebec"}),
        ("coach", {"org_quebec"}),
        ("contact_quebec", {"org_quebec"}),
        ("funder", set()),
        ("reviewer", set()),
        ("outsider", set()),
    ],
)
def test_an_organization_outside_the_scope_is_a_404_like_a_missing_one(world, client_for, persona, visible):
    client = client_for(getattr(world, persona))

    for name in ("org_montreal", "org_quebec"):
        response = client.get(detail_url(getattr(world, name)))
        assert response.status_code == (200 if name in visible else 404), (persona, name)


def test_anonymous_gets_401_everywhere(world, client_for):
    client = client_for(None)

    assert client.get(LIST_URL).status_code == 401
    assert client.get(detail_url(world.org_quebec)).status_code == 401
    assert client.post(LIST_URL, {}, format="json").status_code == 401
    assert client.patch(detail_url(world.org_quebec), {}, format="json").status_code == 401


def test_the_detail_shows_the_organization_and_its_place(world, client_for):
    world.org_quebec.neq = "1141234567"
    world.org_quebec.save()

    body = client_for(world.manager).get(detail_url(world.org_quebec)).json()

    assert body["id"] == world.org_quebec.pk
    assert body["legal_name"] == "Maison de la famille de Québec"
    assert body["kind"] == "community"
    assert body["neq"] == "1141234567"
    with translation.override("fr"):
        assert body["legal_form"] == str(NEQ_LEGAL_FORMS["11"])
    assert body["municipality"] == {"code": "23027", "name": world.quebec.name}
    assert body["region"] == {"code": "03", "name": world.region_quebec.name}
    mrc = world.quebec.mrc
    assert body["mrc"] == ({"code": mrc.code, "name": mrc.name} if mrc else None)
    assert body["url"].endswith(detail_url(world.org_quebec))
    assert body["web_url"] == world.org_quebec.get_absolute_url()


def test_an_organization_carries_no_personal_information(world, client_for):
    body = client_for(world.manager).get(detail_url(world.org_quebec)).json()

    text = str(body)
    assert world.person_quebec.email not in text
    assert world.person_quebec.last_name not in text
    assert not {"people", "contacts", "email", "phone"} & set(body)


def test_the_contact_of_an_organization_can_change_it(world, client_for):
    response = client_for(world.contact_quebec).patch(
        detail_url(world.org_quebec), {"usual_name": "La Maison"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["usual_name"] == "La Maison"
    world.org_quebec.refresh_from_db()
    assert world.org_quebec.usual_name == "La Maison"


def test_the_coordinator_of_the_region_can_change_it(world, client_for):
    response = client_for(world.coordinator_quebec).patch(
        detail_url(world.org_quebec), {"website": "https://maison.example.org"}, format="json"
    )

    assert response.status_code == 200, response.content


def test_a_coach_reads_but_cannot_change_their_organization(world, client_for):
    client = client_for(world.coach)

    assert client.get(detail_url(world.org_quebec)).status_code == 200
    response = client.patch(detail_url(world.org_quebec), {"usual_name": "Pirate"}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == str(NOT_IN_SCOPE)
    world.org_quebec.refresh_from_db()
    assert world.org_quebec.usual_name == ""


@pytest.mark.parametrize("persona", ["coordinator_quebec", "contact_quebec", "coach", "funder", "outsider"])
def test_nobody_changes_an_organization_they_cannot_see(world, client_for, persona):
    response = client_for(getattr(world, persona)).patch(
        detail_url(world.org_montreal), {"usual_name": "Pirate"}, format="json"
    )

    assert response.status_code == 404
    world.org_montreal.refresh_from_db()
    assert world.org_montreal.usual_name == ""


def test_an_archived_organization_cannot_be_changed(world, client_for):
    Organization.objects.filter(pk=world.org_quebec.pk).update(status=Organization.Status.ARCHIVED)

    response = client_for(world.manager).patch(detail_url(world.org_quebec), {"usual_name": "X"}, format="json")

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["coach", "contact_quebec", "funder", "reviewer", "outsider"])
def test_only_program_staff_can_register_organizations(world, client_for, persona):
    body = {"kind": "community", "legal_name": "Nouvel organisme", "municipality": "23027"}

    response = client_for(getattr(world, persona)).post(LIST_URL, body, format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == str(NOT_STAFF)
    assert not Organization.objects.filter(legal_name="Nouvel organisme").exists()


def test_delete_is_not_offered(world, client_for):
    assert client_for(world.admin).delete(detail_url(world.org_quebec)).status_code == 405
