"""Factories shared by every app's tests. Related objects stay consistent with each other."""

import datetime

import factory
from factory.django import DjangoModelFactory

from virage.accounts.models import Membership, Role, User
from virage.core.text import fold
from virage.geography.models import Mrc, Municipality, Region
from virage.organizations.models import Organization, Person
from virage.programs.models import Participation, Program


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 17) + 1:02d}")
    name = factory.LazyAttribute(lambda o: f"Région {o.code}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))


class MrcFactory(DjangoModelFactory):
    class Meta:
        model = Mrc
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n % 100:02d}")
    name = factory.LazyAttribute(lambda o: f"MRC {o.code}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    region = factory.SubFactory(RegionFactory)


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Municipalité {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    designation = "Municipalité"
    mrc = factory.SubFactory(MrcFactory)
    region = factory.LazyAttribute(lambda o: o.mrc.region)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.qc.ca")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Tremblay{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "motdepasse-solide-123")
        if create:
            self.save(update_fields=["password"])


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.COMMUNITY
    legal_name = factory.Sequence(lambda n: f"Centre d'entraide numéro {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    mrc = factory.LazyAttribute(lambda o: o.municipality.mrc)
    region = factory.LazyAttribute(lambda o: o.municipality.region)
    name_folded = factory.LazyAttribute(
        lambda o: fold(f"{o.usual_name} {o.legal_name}" if o.usual_name else o.legal_name)
    )
    usual_name = ""
    status = Organization.Status.ACTIVE


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Gagnon{n}")
    email = factory.Sequence(lambda n: f"contact{n}@organisme.qc.ca")


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name_fr = factory.Sequence(lambda n: f"Programme {n}")
    name_en = factory.Sequence(lambda n: f"Program {n}")
    operator = factory.SubFactory(OrganizationFactory)
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2028, 12, 31)


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = Role.PROGRAM_MANAGER

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organizations.set(extracted)
