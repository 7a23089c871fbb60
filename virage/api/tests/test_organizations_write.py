"""Registering and changing organizations through the API: the services' rules and messages."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from virage.api.organizations import PROGRAM_NOT_RUN, PROGRAM_REQUIRED, RESEND_TO_CONFIRM, UNKNOWN_MUNICIPALITY
from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import MembershipFactory, ProgramFactory
from virage.organizations.identifiers import NEQ_INVALID, NEQ_UNKNOWN_FORM, POSTAL_CODE_INVALID
from virage.organizations.models import Organization
from virage.organizations.services import DUPLICATE_NEQ, SIMILAR_NAME
from virage.programs.models import Participation

LIST_URL = reverse("api:organization-list")


def detail_url(organization) -> str:
    return reverse("api:organization-detail", args=[organization.pk])


def new_organization(**overrides) -> dict:
    return {
        "kind": "community",
        "legal_name": "Cuisines collectives de Limoilou",
        "municipality": "23027",
        **overrides,
    }


def log_of(organization) -> list[ActivityLogEntry]:
    return list(
        ActivityLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Organization), object_id=str(organization.pk)
        ).order_by("id")
    )


def test_a_manager_registers_an_organization_in_their_program(world, client_for):
    response = client_for(world.manager).post(
        LIST_URL,
        new_organization(neq="114 123-4567", postal_code="g1k 3a5", sector="food_security", usual_name=" CCL "),
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    organization = Organization.objects.get(pk=body["id"])
    assert organization.legal_name == "Cuisines collectives de Limoilou"
    assert body["neq"] == "1141234567"
    assert body["postal_code"] == "G1K 3A5"
    assert body["usual_name"] == "CCL"
    assert body["municipality"]["code"] == "23027"
    assert body["region"] == {"code": "03", "name": world.region_quebec.name}
    assert response["Location"] == body["url"]
    # The manager runs one program: the organization joins it, so it shows in the manager's lists.
    assert Participation.objects.filter(program=world.program, organization=organization).exists()
    assert [entry.verb for entry in log_of(organization)] == ["created", "joined"]
    assert log_of(organization)[0].actor == world.manager


def test_a_coordinator_registers_an_organization_in_their_region(world, client_for):
    response = client_for(world.coordinator_quebec).post(LIST_URL, new_organization(), format="json")

    assert response.status_code == 201, response.content
    detail = client_for(world.coordinator_quebec).get(reverse("api:organization-detail", args=[response.json()["id"]]))
    assert detail.status_code == 200


def test_a_bad_neq_gets_the_same_message_as_the_form(world, client_for):
    response = client_for(world.manager).post(LIST_URL, new_organization(neq="12345"), format="json")

    assert response.status_code == 400
    assert response.json() == {"neq": [str(NEQ_INVALID)]}
    assert not Organization.objects.filter(legal_name="Cuisines collectives de Limoilou").exists()


def test_every_identifier_problem_is_reported_at_once(world, client_for):
    response = client_for(world.manager).post(
        LIST_URL, new_organization(neq="9912345678", postal_code="12345"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"neq": [str(NEQ_UNKNOWN_FORM)], "postal_code": [str(POSTAL_CODE_INVALID)]}


def test_a_neq_already_registered_gets_409_with_a_link_to_the_existing_organization(world, client_for):
    Organization.objects.filter(pk=world.org_montreal.pk).update(neq="1141234567")
    world.org_montreal.refresh_from_db()

    response = client_for(world.manager).post(LIST_URL, new_organization(neq="1141234567"), format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["neq"] == [DUPLICATE_NEQ % {"name": world.org_montreal}]
    assert body["code"] == "duplicate"
    assert body["existing"]["id"] == world.org_montreal.pk
    assert body["existing"]["url"].endswith(detail_url(world.org_montreal))
    assert body["existing"]["web_url"] == world.org_montreal.get_absolute_url()
    assert Organization.objects.filter(neq="1141234567").count() == 1


def test_changing_the_neq_to_one_already_registered_gets_409_too(world, client_for):
    Organization.objects.filter(pk=world.org_montreal.pk).update(neq="1141234567")

    response = client_for(world.manager).patch(detail_url(world.org_quebec), {"neq": "1141234567"}, format="json")

    assert response.status_code == 409
    assert response.json()["existing"]["id"] == world.org_montreal.pk


def test_a_similar_name_in_the_same_municipality_needs_confirmation(world, client_for):
    client = client_for(world.manager)
    body = new_organization(legal_name="Maison de la Famille de Quebec")

    first = client.post(LIST_URL, body, format="json")

    assert first.status_code == 409
    conflict = first.json()
    assert conflict["code"] == "confirmation_required"
    assert conflict["detail"] == str(SIMILAR_NAME)
    assert conflict["hint"] == str(RESEND_TO_CONFIRM)
    assert [candidate["id"] for candidate in conflict["candidates"]] == [world.org_quebec.pk]
    assert Organization.objects.filter(legal_name="Maison de la Famille de Quebec").count() == 0

    second = client.post(LIST_URL, {**body, "confirm_similar": True}, format="json")

    assert second.status_code == 201, second.content
    assert Organization.objects.filter(legal_name="Maison de la Famille de Quebec").count() == 1


def test_an_unknown_municipality_code_is_refused_with_its_own_message(world, client_for):
    for code in ("99999", "abcde", "123456", "", "  "):
        response = client_for(world.manager).post(LIST_URL, new_organization(municipality=code), format="json")
        assert response.status_code == 400, code
        assert "municipality" in response.json(), code
    response = client_for(world.manager).post(LIST_URL, new_organization(municipality="99999"), format="json")
    assert response.json() == {"municipality": [str(UNKNOWN_MUNICIPALITY)]}


def test_a_manager_of_several_programs_names_the_program(world, client_for):
    other = ProgramFactory(slug="plus-numerique")
    MembershipFactory(user=world.manager, program=other)
    client = client_for(world.manager)

    without = client.post(LIST_URL, new_organization(), format="json")
    assert without.status_code == 400
    assert without.json() == {"program": [str(PROGRAM_REQUIRED)]}

    response = client.post(LIST_URL, new_organization(program="plus-numerique"), format="json")
    assert response.status_code == 201, response.content
    assert list(
        Participation.objects.filter(organization_id=response.json()["id"]).values_list("program__slug", flat=True)
    ) == ["plus-numerique"]


def test_nobody_adds_an_organization_to_a_program_they_do_not_run(world, client_for):
    ProgramFactory(slug="autre-programme")

    response = client_for(world.manager).post(LIST_URL, new_organization(program="autre-programme"), format="json")

    assert response.status_code == 400
    assert response.json() == {"program": [str(PROGRAM_NOT_RUN)]}
    assert not Organization.objects.filter(legal_name="Cuisines collectives de Limoilou").exists()


def test_an_administrator_may_register_an_organization_outside_any_program(world, client_for):
    response = client_for(world.admin).post(LIST_URL, new_organization(), format="json")

    assert response.status_code == 201, response.content
    assert not Participation.objects.filter(organization_id=response.json()["id"]).exists()


def test_an_update_writes_the_changes_in_the_activity_log(world, client_for):
    response = client_for(world.contact_quebec).patch(
        detail_url(world.org_quebec), {"employees_band": "5-9", "website": "https://maison.example.org"}, format="json"
    )

    assert response.status_code == 200, response.content
    entry = log_of(world.org_quebec)[-1]
    assert entry.verb == "updated"
    assert entry.actor == world.contact_quebec
    assert entry.changes == {"employees_band": ["", "5-9"], "website": ["", "https://maison.example.org"]}


def test_patch_leaves_the_other_fields_alone_and_put_replaces_them(world, client_for):
    client = client_for(world.manager)
    client.patch(detail_url(world.org_quebec), {"usual_name": "La Maison", "sector": "housing"}, format="json")

    client.patch(detail_url(world.org_quebec), {"sector": "education"}, format="json")
    world.org_quebec.refresh_from_db()
    assert (world.org_quebec.usual_name, world.org_quebec.sector) == ("La Maison", "education")

    response = client.put(
        detail_url(world.org_quebec),
        {"kind": "cooperative", "legal_name": "Coop de la famille", "municipality": "66023"},
        format="json",
    )
    assert response.status_code == 200, response.content
    world.org_quebec.refresh_from_db()
    assert (world.org_quebec.usual_name, world.org_quebec.sector) == ("", "")
    assert world.org_quebec.kind == "cooperative"
    # The region follows the municipality; the client cannot set it.
    assert response.json()["region"]["code"] == "06"


def test_put_needs_the_required_fields(world, client_for):
    response = client_for(world.manager).put(detail_url(world.org_quebec), {"usual_name": "X"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"kind", "legal_name", "municipality"}


def test_read_only_fields_sent_by_a_client_are_ignored(world, client_for):
    response = client_for(world.manager).patch(
        detail_url(world.org_quebec),
        {"id": 1, "status": "archived", "region": "06", "created_at": "2000-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 200
    world.org_quebec.refresh_from_db()
    assert world.org_quebec.status == Organization.Status.ACTIVE
    assert world.org_quebec.region == world.region_quebec
