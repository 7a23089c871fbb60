from decimal import Decimal
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from virage.accounts.models import Membership, Role, User
from virage.core.tests.factories import OrganizationFactory, ParticipationFactory
from virage.organizations.models import Consent, Organization, Person
from virage.programs import services


def registration(world, **extra):
    data = {
        "program-program": world.program.pk,
        "organization-kind": "community",
        "organization-legal_name": "Comptoir alimentaire de Rosemont",
        "organization-municipality": "montreal",
        "organization-postal_code": "h1x 1a1",
        "contact-first_name": "Sophie",
        "contact-last_name": "Lévesque",
        "contact-email": "Sophie@Comptoir.test",
        "contact-preferred_language": "fr",
    }
    data.update(extra)
    return data


def test_self_registration_creates_a_pending_organization_its_contact_and_an_account(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:register"), registration(world, **{"consent-research": "on"}))
    assert response.status_code == 302
    organization = Organization.objects.get(legal_name="Comptoir alimentaire de Rosemont")
    assert organization.status == Organization.Status.PENDING
    assert organization.participations.filter(program=world.program).exists()
    person = Person.objects.get(email="sophie@comptoir.test")
    assert person.is_primary and person.user is not None
    assert not person.user.has_usable_password()
    answers = dict(Consent.objects.filter(person=person).values_list("purpose", "is_given"))
    assert answers == {"program_communications": False, "partner_sharing": False, "research": True}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sophie@comptoir.test"]
    assert "/compte/mot-de-passe/" in mail.outbox[0].body
    # The contact now sees (only) their organization once they have a password.
    person.user.set_password("mot-de-passe-sophie-1")
    person.user.save()
    client.force_login(person.user)
    assert client.get(organization.get_absolute_url()).status_code == 200
    assert client.get(world.org_montreal.get_absolute_url()).status_code == 404


def test_consent_boxes_are_never_pre_checked(client, world):
    form = client.get(reverse("programs:register")).context["consent_form"]
    assert {name: field.initial for name, field in form.fields.items()} == dict.fromkeys(Consent.Purpose.values, False)
    assert "checked" not in str(form)


def test_self_registration_with_a_registered_neq_does_not_reveal_the_organization(client, world):
    OrganizationFactory(neq="1141111111", legal_name="Organisme secret")
    response = client.post(reverse("programs:register"), registration(world, **{"organization-neq": "1141111111"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Organisme secret" not in page
    assert not Organization.objects.filter(legal_name="Comptoir alimentaire de Rosemont").exists()


def test_self_registration_with_errors_keeps_what_was_typed(client, world):
    response = client.post(reverse("programs:register"), registration(world, **{"organization-postal_code": "M5V 2T6"}))
    assert response.status_code == 200
    assert "Comptoir alimentaire de Rosemont" in response.content.decode()
    assert not Organization.objects.filter(legal_name="Comptoir alimentaire de Rosemont").exists()


def test_invite_creates_the_account_and_emails_a_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            actor=world.manager,
            program=world.program,
            email="Nouvelle.Coordo@Centraide.test",
            role=Role.REGIONAL_COORDINATOR,
            language="en",
            regions=[world.region_montreal],
        )
    assert membership.user.email == "nouvelle.coordo@centraide.test"
    assert list(membership.regions.all()) == [world.region_montreal]
    assert len(mail.outbox) == 1
    assert "choose your password" in mail.outbox[0].body


def test_one_person_can_hold_roles_in_several_programs(world):
    from virage.core.tests.factories import ProgramFactory

    other = ProgramFactory(slug="plus-numerique")
    services.membership_invite(actor=world.admin, program=other, email=world.coach.email, role=Role.COACH)
    assert set(Membership.objects.filter(user=world.coach).values_list("program__slug", flat=True)) == {
        "dataide",
        "plus-numerique",
    }
    assert mail.outbox == []  # the account already existed


def test_regional_coordinator_needs_regions(world):
    with pytest.raises(ValidationError) as error:
        services.membership_invite(
            actor=world.manager, program=world.program, email="x@y.test", role=Role.REGIONAL_COORDINATOR
        )
    assert "regions" in error.value.message_dict
    assert not User.objects.filter(email="x@y.test").exists()


def test_the_last_program_manager_cannot_be_removed(world):
    membership = Membership.objects.get(user=world.manager, program=world.program)
    with pytest.raises(ValidationError):
        services.membership_revoke(actor=world.admin, membership=membership)


def test_targets_are_exact_decimals_and_logged(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("programs:targets", args=["dataide"]),
        {"organizations_sensitized": "3 000", "coaching_hours": "3000,5"},
    )
    assert response.status_code == 302
    targets = dict(world.program.targets.values_list("indicator", "value"))
    assert targets == {"organizations_sensitized": Decimal("3000"), "coaching_hours": Decimal("3000.5")}


def test_funder_sees_counts_per_region_with_small_counts_hidden(client, world):
    for _number in range(5):
        ParticipationFactory(program=world.program, organization=OrganizationFactory(municipality=world.montreal))
    client.force_login(world.funder)
    rows = {row["code"]: row["count"] for row in client.get(world.program.get_absolute_url()).context["by_region"]}
    assert rows == {"03": None, "06": 6}


def test_members_page_invites_a_person(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("programs:members", args=["dataide"]),
        {"email": "bailleur2@fqis.test", "role": "funder_viewer", "language": "fr"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="bailleur2@fqis.test", role="funder_viewer").exists()


def test_admin_creates_a_program_naming_organizations_by_number_or_neq(client, world):
    world.org_quebec.neq = "1141212121"
    world.org_quebec.save()
    client.force_login(world.admin)
    response = client.post(
        reverse("programs:create"),
        {
            "slug": "plus-numerique",
            "name_fr": "Plus numérique",
            "operator": str(world.org_montreal.pk),
            "partners": f"1141212121, {world.org_montreal.pk}",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert response.status_code == 302
    from virage.programs.models import Program

    program = Program.objects.get(slug="plus-numerique")
    assert program.operator == world.org_montreal
    assert set(program.partners.all()) == {world.org_quebec, world.org_montreal}


def test_a_program_cannot_end_before_it_starts(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("programs:create"),
        {
            "slug": "x",
            "name_fr": "X",
            "operator": str(world.org_montreal.pk),
            "starts_on": "2027-01-01",
            "ends_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    from django.utils.translation import gettext

    # The constraint's own message, in French, rather than the constraint's name.
    message = gettext("A program cannot end before it starts.")
    assert message != "A program cannot end before it starts."
    assert message in str(response.context["form"].errors)


def test_unknown_organization_number_gets_a_clear_message(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("programs:members", args=["dataide"]),
        {"email": "coach2@virage.test", "role": "coach", "language": "fr", "organizations": "424242"},
    )
    assert response.status_code == 200
    assert "424242" in str(response.context["form"].errors["organizations"])


def test_self_registration_is_limited_per_address_and_keeps_what_was_typed(client, world, settings):
    from virage.core.ratelimits import TOO_MANY_SUBMISSIONS

    settings.PUBLIC_FORM_RATE = "1/h"
    client.post(reverse("programs:register"), registration(world, **{"organization-postal_code": "M5V 2T6"}))

    response = client.post(reverse("programs:register"), registration(world))

    assert response.status_code == 429
    page = response.content.decode()
    assert "Comptoir alimentaire de Rosemont" in page
    with translation.override("fr"):
        assert str(TOO_MANY_SUBMISSIONS) in unescape(page)
    assert not Organization.objects.filter(legal_name="Comptoir alimentaire de Rosemont").exists()
