import pytest
from django.core.exceptions import ValidationError

from virage.core.errors import ConfirmationRequired, DuplicateError
from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import OrganizationFactory, PersonFactory
from virage.organizations import services
from virage.organizations.identifiers import NEQ_INVALID
from virage.organizations.models import Organization


def data(world, **extra):
    values = {
        "kind": Organization.Kind.COMMUNITY,
        "legal_name": "Regroupement des cuisines collectives du quartier",
        "municipality": world.montreal,
        "postal_code": "h2x1y4",
        "neq": "1141234567",
    }
    values.update(extra)
    return values


def test_create_normalizes_identifiers_derives_region_and_logs_the_creation(world):
    organization = services.organization_create(actor=world.manager, data=data(world))
    assert organization.postal_code == "H2X 1Y4"
    assert organization.region == world.region_montreal
    assert organization.mrc == world.montreal.mrc
    assert organization.name_folded == "regroupement des cuisines collectives du quartier"
    entry = ActivityLogEntry.objects.get(object_id=str(organization.pk), verb="created")
    assert entry.actor == world.manager
    assert entry.changes["neq"] == [None, "1141234567"]


def test_create_with_a_wrong_neq_saves_nothing_and_names_the_field(world):
    with pytest.raises(ValidationError) as error:
        services.organization_create(actor=world.manager, data=data(world, neq="12"))
    assert error.value.message_dict["neq"] == [str(NEQ_INVALID)]
    assert not Organization.objects.filter(legal_name__startswith="Regroupement").exists()


def test_create_with_a_registered_neq_is_refused_with_the_existing_organization(world):
    existing = OrganizationFactory(neq="1141234567")
    with pytest.raises(DuplicateError) as error:
        services.organization_create(actor=world.manager, data=data(world))
    assert error.value.existing == existing
    assert error.value.field == "neq"


def test_create_with_a_registered_charity_number_is_refused(world):
    existing = OrganizationFactory(charity_number="123456782RR0001")
    with pytest.raises(DuplicateError) as error:
        services.organization_create(actor=world.manager, data=data(world, neq="", charity_number="123456782 RR 0001"))
    assert error.value.existing == existing


def test_similar_name_in_the_same_municipality_asks_for_confirmation(world):
    similar = OrganizationFactory(legal_name="CARREFOUR D'ENTRAIDE DE MONTREAL", municipality=world.montreal)
    with pytest.raises(ConfirmationRequired) as error:
        services.organization_create(
            actor=world.manager, data=data(world, neq="", legal_name="Carrefour d’entraide de Montréal")
        )
    assert similar in error.value.candidates
    organization = services.organization_create(
        actor=world.manager,
        data=data(world, neq="", legal_name="Carrefour d’entraide de Montréal"),
        confirm_similar=True,
    )
    assert organization.pk


def test_similar_name_in_another_municipality_needs_no_confirmation(world):
    OrganizationFactory(legal_name="Atelier vélo solidaire", municipality=world.quebec)
    organization = services.organization_create(
        actor=world.manager, data=data(world, neq="", legal_name="Atelier vélo solidaire")
    )
    assert organization.pk


def test_update_logs_old_and_new_values_of_changed_fields_only(world):
    organization = world.org_montreal
    services.organization_update(
        actor=world.manager, organization=organization, data={"usual_name": "CEM", "municipality": world.quebec}
    )
    organization.refresh_from_db()
    assert organization.region == world.region_quebec
    entry = ActivityLogEntry.objects.filter(object_id=str(organization.pk), verb="updated").get()
    assert entry.changes == {"usual_name": ["", "CEM"], "municipality": ["Montréal", "Québec"]}


def test_update_without_change_writes_no_log_entry(world):
    services.organization_update(
        actor=world.manager, organization=world.org_montreal, data={"legal_name": world.org_montreal.legal_name}
    )
    assert not ActivityLogEntry.objects.filter(object_id=str(world.org_montreal.pk), verb="updated").exists()


def test_archive_and_restore_are_logged(world):
    services.organization_archive(actor=world.manager, organization=world.org_montreal, reason="Fermé")
    world.org_montreal.refresh_from_db()
    assert world.org_montreal.status == Organization.Status.ARCHIVED
    services.organization_restore(actor=world.manager, organization=world.org_montreal)
    verbs = list(
        ActivityLogEntry.objects.filter(object_id=str(world.org_montreal.pk)).order_by("id").values_list("verb", "note")
    )
    assert verbs == [("archived", "Fermé"), ("restored", "")]


def test_merge_moves_people_and_programs_and_archives_the_registration(world):
    pending = OrganizationFactory(status=Organization.Status.PENDING, municipality=world.montreal)
    person = PersonFactory(organization=pending)
    services.registration_merge(actor=world.manager, organization=pending, into=world.org_montreal)
    person.refresh_from_db()
    pending.refresh_from_db()
    assert person.organization == world.org_montreal
    assert pending.status == Organization.Status.ARCHIVED
    assert pending.merged_into == world.org_montreal


def test_only_a_pending_registration_can_be_merged(world):
    with pytest.raises(ValidationError):
        services.registration_merge(actor=world.manager, organization=world.org_quebec, into=world.org_montreal)


def test_person_email_is_unique_within_an_organization(world):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=world.manager,
            organization=world.org_montreal,
            data={"first_name": "A", "last_name": "B", "email": world.person_montreal.email.upper()},
        )
    assert "email" in error.value.message_dict


def test_person_phone_is_normalized_and_a_wrong_one_is_refused(world):
    person = services.person_create(
        actor=world.manager,
        organization=world.org_montreal,
        data={"first_name": "Léa", "last_name": "Roy", "phone": "(514) 555-0123"},
    )
    assert person.phone == "+1-514-555-0123"
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=world.manager,
            organization=world.org_montreal,
            data={"first_name": "A", "last_name": "B", "phone": "123"},
        )
    assert "phone" in error.value.message_dict


def test_the_activity_log_cannot_be_changed(world):
    services.organization_archive(actor=world.manager, organization=world.org_montreal)
    entry = ActivityLogEntry.objects.first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ActivityLogEntry.objects.all().delete()


def test_an_overlong_mission_is_refused_by_the_service_itself(world):
    with pytest.raises(ValidationError) as error:
        services.organization_update(actor=world.manager, organization=world.org_montreal, data={"mission": "x" * 2001})
    assert "mission" in error.value.message_dict
