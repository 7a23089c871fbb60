"""Named personas shared by every test, in the manner of Healthchecks' Alice, Bob and Charlie.

One program ("programme") in two regions; each persona has one role in it. Their organizations:
``org_montreal`` (Montréal region, in the program), ``org_quebec`` (Capitale-Nationale, in the
program), ``org_outside`` (in the program's Montréal region but only known to the coordinator).
"""

from dataclasses import dataclass

import pytest

from virage.accounts.models import Role, User
from virage.core.tests.factories import (
    MembershipFactory,
    MrcFactory,
    MunicipalityFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    ProgramFactory,
    RegionFactory,
    UserFactory,
)

PASSWORD = "motdepasse-solide-123"


@dataclass
class World:
    program: object
    region_montreal: object
    region_quebec: object
    montreal: object
    quebec: object
    org_montreal: object
    org_quebec: object
    person_montreal: object
    person_quebec: object
    admin: User
    manager: User
    coordinator_quebec: User
    coach: User
    reviewer: User
    funder: User
    contact_quebec: User
    outsider: User

    @property
    def personas(self) -> dict[str, User | None]:
        return {
            "admin": self.admin,
            "manager": self.manager,
            "coordinator_other_region": self.coordinator_quebec,
            "coach": self.coach,
            "reviewer": self.reviewer,
            "funder": self.funder,
            "contact_other_organization": self.contact_quebec,
            "outsider": self.outsider,
            "anonymous": None,
        }


@pytest.fixture
def world(db) -> World:
    region_montreal = RegionFactory(code="06", name="Montréal", name_folded="montreal")
    region_quebec = RegionFactory(code="03", name="Capitale-Nationale", name_folded="capitale nationale")
    mrc_montreal = MrcFactory(code="660", name="Montréal", name_folded="montreal", region=region_montreal)
    mrc_quebec = MrcFactory(code="230", name="Québec", name_folded="quebec", region=region_quebec)
    montreal = MunicipalityFactory(code="66023", name="Montréal", name_folded="montreal", mrc=mrc_montreal)
    quebec = MunicipalityFactory(code="23027", name="Québec", name_folded="quebec", mrc=mrc_quebec)
    program = ProgramFactory(slug="dataide", name_fr="DATAide", name_en="DATAide")
    program.regions.set([region_montreal, region_quebec])
    org_montreal = OrganizationFactory(legal_name="Carrefour d'entraide de Montréal", municipality=montreal)
    org_quebec = OrganizationFactory(legal_name="Maison de la famille de Québec", municipality=quebec)
    for organization in (org_montreal, org_quebec):
        ParticipationFactory(program=program, organization=organization)
    person_montreal = PersonFactory(organization=org_montreal, first_name="Amélie", last_name="Bouchard")
    person_quebec = PersonFactory(organization=org_quebec, first_name="Jérôme", last_name="Côté")

    def member(email, role, **extra):
        user = UserFactory(email=email)
        MembershipFactory(user=user, program=program, role=role, **extra)
        return user

    admin = UserFactory(email="admin@virage.test", is_superuser=True, is_staff=True)
    contact_quebec = member("contact@maison-quebec.test", Role.ORGANIZATION_CONTACT, organizations=[org_quebec])
    person_quebec.user = contact_quebec
    person_quebec.save()
    return World(
        program=program,
        region_montreal=region_montreal,
        region_quebec=region_quebec,
        montreal=montreal,
        quebec=quebec,
        org_montreal=org_montreal,
        org_quebec=org_quebec,
        person_montreal=person_montreal,
        person_quebec=person_quebec,
        admin=admin,
        manager=member("gestion@virage.test", Role.PROGRAM_MANAGER),
        coordinator_quebec=member("coordination@virage.test", Role.REGIONAL_COORDINATOR, regions=[region_quebec]),
        coach=member("coach@virage.test", Role.COACH, organizations=[org_quebec]),
        reviewer=member("comite@virage.test", Role.REVIEWER),
        funder=member("bailleur@virage.test", Role.FUNDER_VIEWER),
        contact_quebec=contact_quebec,
        outsider=UserFactory(email="inconnu@virage.test"),
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so rate limits of one test do not leak into another."""
    from django.core.cache import cache

    cache.clear()
    yield
