import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import OrganizationFactory, ParticipationFactory
from virage.organizations.models import Organization


def form_data(world, **extra):
    values = {
        "program": world.program.pk,
        "kind": "community",
        "legal_name": "Société d'histoire de Hochelaga",
        "municipality": "Montreal",
        "neq": "",
        "postal_code": "H1W 1A1",
    }
    values.update(extra)
    return values


def test_wrong_neq_is_shown_in_french_on_the_field_and_nothing_is_saved(client, world):
    client.force_login(world.manager)
    response = client.post(reverse("organizations:create"), form_data(world, neq="123"))
    assert response.status_code == 200
    assert "Le numéro d’entreprise du Québec (NEQ) compte 10 chiffres" in response.content.decode()
    assert not Organization.objects.filter(legal_name__startswith="Société d'histoire").exists()


def test_created_organization_joins_the_program_and_shows_its_history(client, world):
    client.force_login(world.manager)
    response = client.post(reverse("organizations:create"), form_data(world, neq="1149999999"))
    organization = Organization.objects.get(neq="1149999999")
    assert response.status_code == 302 and response["Location"] == organization.get_absolute_url()
    assert organization.participations.filter(program=world.program).exists()
    page = client.get(organization.get_absolute_url()).content.decode()
    assert "Historique" in page and "1149999999" in page


def test_duplicate_neq_links_to_the_existing_organization(client, world):
    existing = OrganizationFactory(neq="1148888888")
    ParticipationFactory(program=world.program, organization=existing)
    client.force_login(world.manager)
    response = client.post(reverse("organizations:create"), form_data(world, neq="1148888888"))
    assert existing.get_absolute_url() in response.content.decode()


def test_similar_name_asks_for_confirmation_then_saves(client, world):
    client.force_login(world.manager)
    data = form_data(world, legal_name="CARREFOUR D'ENTRAIDE DE MONTREAL")
    response = client.post(reverse("organizations:create"), data)
    assert response.status_code == 200
    assert world.org_montreal.get_absolute_url() in response.content.decode()
    response = client.post(reverse("organizations:create"), {**data, "confirm_similar": "1"})
    assert response.status_code == 302


def test_unknown_municipality_gets_a_clear_message(client, world):
    client.force_login(world.manager)
    response = client.post(reverse("organizations:create"), form_data(world, municipality="Atlantide"))
    assert "Aucune municipalité du Québec ne porte ce nom" in response.content.decode()


def test_search_is_accent_and_case_insensitive_and_matches_inside_names(client, world):
    client.force_login(world.manager)
    for query in ("carrefour", "ENTRAIDE DE MONTREAL", "montréal"):
        page = client.get(reverse("organizations:list"), {"q": query}).content.decode()
        assert "Carrefour d&#x27;entraide de Montréal" in page, query
        assert "Maison de la famille" not in page, query


def test_list_filters_by_region_kind_and_program(client, world):
    client.force_login(world.manager)
    page = client.get(reverse("organizations:list"), {"region": world.region_quebec.pk}).content.decode()
    assert "Maison de la famille de Québec" in page and "Carrefour" not in page
    page = client.get(reverse("organizations:list"), {"kind": "sme"}).content.decode()
    assert "Maison de la famille" not in page


def test_coordinator_sees_only_the_organizations_of_their_regions(client, world):
    client.force_login(world.coordinator_quebec)
    page = client.get(reverse("organizations:list")).content.decode()
    assert "Maison de la famille de Québec" in page and "Carrefour" not in page


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"region": "x"},
        {"region": "99999999999999999999"},
        {"q": "é" * 500},
        {"sort": "password"},
        {"program": "-1"},
        {"mrc": "1;DROP TABLE"},
    ],
)
def test_bad_list_parameters_never_give_an_error(client, world, params):
    client.force_login(world.manager)
    assert client.get(reverse("organizations:list"), params).status_code == 200


def test_list_runs_the_same_number_of_queries_for_one_and_fifty_rows(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.admin)
    url = reverse("organizations:list")
    OrganizationFactory(legal_name="Organisme témoin 0", municipality=world.montreal)
    client.get(url, {"q": "temoin"})  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url, {"q": "temoin"})
    assert response.context["page_obj"].paginator.count == 1
    for number in range(1, 50):
        OrganizationFactory(legal_name=f"Organisme témoin {number}", municipality=world.quebec)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(url, {"q": "temoin"})
    assert response.context["page_obj"].paginator.count == 50
    assert len(fifty) == len(one)


def test_organization_page_runs_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.manager)
    client.get(world.org_montreal.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(world.org_montreal.get_absolute_url())
    for number in range(20):
        client.post(
            reverse("organizations:edit", args=[world.org_montreal.pk]),
            {**form_data(world), "usual_name": f"N{number}"},
        )
    with CaptureQueriesContext(connection) as many:
        client.get(world.org_montreal.get_absolute_url())
    assert len(many) == len(few)


def test_csv_export_has_a_bom_and_the_filtered_rows(client, world):
    client.force_login(world.manager)
    response = client.get(reverse("organizations:export", args=["csv"]), {"region": world.region_quebec.pk})
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    assert "Maison de la famille de Québec" in content and "Carrefour" not in content


def test_xlsx_export_opens_and_neutralizes_formulas(client, world):
    OrganizationFactory(legal_name='=HYPERLINK("x")', municipality=world.quebec)
    client.force_login(world.coordinator_quebec)
    response = client.get(reverse("organizations:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Maison de la famille de Québec" in names
    assert '\'=HYPERLINK("x")' in names


def test_unknown_export_format_is_a_404(client, world):
    client.force_login(world.manager)
    assert client.get(reverse("organizations:export", args=["pdf"])).status_code == 404


def test_contact_edits_their_own_organization(client, world):
    client.force_login(world.contact_quebec)
    response = client.post(
        reverse("organizations:edit", args=[world.org_quebec.pk]),
        {
            "kind": "community",
            "legal_name": "Maison de la famille de Québec",
            "municipality": "Québec (23027)",
            "website": "https://maison.example",
        },
    )
    assert response.status_code == 302
    world.org_quebec.refresh_from_db()
    assert world.org_quebec.website == "https://maison.example"


def test_contact_of_another_organization_gets_the_same_404_as_a_missing_one(client, world):
    client.force_login(world.contact_quebec)
    forbidden = client.get(reverse("organizations:detail", args=[world.org_montreal.pk]))
    missing = client.get(reverse("organizations:detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_funder_sees_no_personal_information(client, world):
    client.force_login(world.funder)
    assert client.get(reverse("organizations:list")).status_code == 403
    assert client.get(reverse("organizations:person_detail", args=[world.person_quebec.pk])).status_code == 404
    page = client.get(world.program.get_absolute_url()).content.decode()
    assert world.person_quebec.email not in page and "Côté" not in page


def test_archive_then_restore_from_the_page(client, world):
    client.force_login(world.manager)
    client.post(reverse("organizations:archive", args=[world.org_montreal.pk]), {"reason": "Fusion"})
    world.org_montreal.refresh_from_db()
    assert world.org_montreal.status == "archived"
    assert "Carrefour" not in client.get(reverse("organizations:list")).content.decode()
    client.post(reverse("organizations:restore", args=[world.org_montreal.pk]))
    world.org_montreal.refresh_from_db()
    assert world.org_montreal.status == "active"


def test_overlong_and_wrongly_typed_input_is_refused_without_error(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("organizations:create"),
        form_data(
            world, legal_name="x" * 10_000, kind="spaceship", program="not-a-number", website="javascript:alert(1)"
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_pending_registration_is_validated_by_staff(client, world):
    pending = OrganizationFactory(status=Organization.Status.PENDING, municipality=world.montreal)
    ParticipationFactory(program=world.program, organization=pending)
    client.force_login(world.manager)
    assert pending.get_absolute_url() in client.get(reverse("organizations:registrations")).content.decode()
    client.post(reverse("organizations:validate", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.status == Organization.Status.ACTIVE
    assert ActivityLogEntry.objects.filter(object_id=str(pending.pk), verb="validated").exists()


def test_pending_registration_is_merged_into_an_existing_organization(client, world):
    pending = OrganizationFactory(status=Organization.Status.PENDING, municipality=world.montreal)
    ParticipationFactory(program=world.program, organization=pending)
    client.force_login(world.manager)
    response = client.post(reverse("organizations:merge", args=[pending.pk]), {"into": world.org_montreal.pk})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.merged_into == world.org_montreal
    response = client.post(reverse("organizations:merge", args=[pending.pk]), {"into": "99999999999999999999999"})
    assert response.status_code == 404


def test_no_email_is_sent_when_staff_create_an_organization(client, world):
    client.force_login(world.manager)
    client.post(reverse("organizations:create"), form_data(world, neq="1147777777"))
    assert mail.outbox == []


def test_names_starting_with_the_search_come_before_names_containing_it(client, world):
    OrganizationFactory(legal_name="Association des familles de Montréal", municipality=world.montreal)
    OrganizationFactory(legal_name="Familles en action", municipality=world.montreal)
    client.force_login(world.admin)
    names = [o.legal_name for o in client.get(reverse("organizations:list"), {"q": "famil"}).context["organizations"]]
    assert names.index("Familles en action") < names.index("Association des familles de Montréal")


def test_a_search_with_very_many_matches_says_more_than_the_cap(client, world, monkeypatch):
    from virage.organizations import views

    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    for number in range(5):
        OrganizationFactory(legal_name=f"Groupe témoin {number}", municipality=world.montreal)
    client.force_login(world.admin)
    response = client.get(reverse("organizations:list"), {"q": "temoin"})
    assert response.context["page_obj"].paginator.is_capped
    assert "3" in response.content.decode()
    response = client.get(reverse("organizations:list"), {"q": "temoin 4"})
    assert not response.context["page_obj"].paginator.is_capped


def test_organization_and_person_pages_show_the_events_attended(client, world):
    from virage.events.tests.factories import EventFactory, RegistrationFactory

    event = EventFactory(program=world.program, title_fr="Webinaire sur la cybersécurité")
    RegistrationFactory(
        event=event, organization=world.org_montreal, person=world.person_montreal, attended=True, first_name="Amélie"
    )
    absent = EventFactory(program=world.program, title_fr="Atelier manqué")
    RegistrationFactory(event=absent, organization=world.org_montreal, person=world.person_montreal, attended=False)
    client.force_login(world.manager)
    for url in (world.org_montreal.get_absolute_url(), world.person_montreal.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Webinaire sur la cybersécurité" in page
        assert "Atelier manqué" not in page
