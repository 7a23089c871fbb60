import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from virage.core.tests.factories import PersonFactory, ProgramFactory
from virage.learning.models import Cohort, Competency, Enrollment, LearningPath, Module


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    program = factory.SubFactory(ProgramFactory)
    name_fr = factory.Sequence(lambda n: f"Culture numérique {n}")
    name_en = factory.Sequence(lambda n: f"Digital culture {n}")


class PathFactory(DjangoModelFactory):
    class Meta:
        model = LearningPath

    program = factory.SubFactory(ProgramFactory)
    title_fr = factory.Sequence(lambda n: f"Parcours {n} : économie numérique")
    title_en = factory.Sequence(lambda n: f"Path {n}: digital economy")
    audience = LearningPath.Audience.ADVISORS
    kind = LearningPath.Kind.TRAINING
    status = LearningPath.Status.PUBLISHED


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    path = factory.SubFactory(PathFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_fr = factory.Sequence(lambda n: f"Module {n}")
    title_en = factory.Sequence(lambda n: f"Module {n} (EN)")
    expected_hours = Decimal("2.50")
    format = Module.Format.SELF_PACED
    is_required = True


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    path = factory.SubFactory(PathFactory)
    program = factory.LazyAttribute(lambda o: o.path.program)
    name = factory.Sequence(lambda n: f"Cohorte {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(weeks=8))
    status = Cohort.Status.OPEN


class EnrollmentFactory(DjangoModelFactory):
    """An enrollment written directly (tests of services go through ``enrollment_create``)."""

    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.LazyAttribute(lambda o: o.person.organization)
    program = factory.LazyAttribute(lambda o: o.cohort.program)
    path_kind = factory.LazyAttribute(lambda o: o.cohort.path.kind)
    region = factory.LazyAttribute(lambda o: o.person.organization.region)
    enrolled_on = factory.LazyFunction(lambda: timezone.localdate())
