import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from virage.core.tests.factories import ProgramFactory
from virage.events import reach
from virage.events.models import Event, Registration


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    program = factory.SubFactory(ProgramFactory)
    kind = Event.Kind.WEBINAR
    title_fr = factory.Sequence(lambda n: f"Webinaire {n} : le numérique au quotidien")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=90))
    online_url = "https://zoom.example/j/123"
    counts_toward_sensitization = True


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    first_name = "Marie"
    last_name = factory.Sequence(lambda n: f"Pelletier{n}")
    email = factory.Sequence(lambda n: f"inscrit{n}@exemple.qc.ca")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Saved directly, as a test sets it up; the reach figures count it as the services would.
        registration = super()._create(model_class, *args, **kwargs)
        reach.tally_registrations([registration.pk])
        return registration
