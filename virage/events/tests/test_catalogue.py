from django.urls import reverse

from virage.core.models import ActivityLogEntry
from virage.events.models import EventSeries, Topic


def test_a_manager_adds_topics_and_series_to_the_program(client, world):
    client.force_login(world.manager)
    url = reverse("events:program_catalogue", args=[world.program.slug])
    response = client.post(url, {"kind": "topic", "topic-name_fr": "Cybersécurité", "topic-name_en": "Cybersecurity"})
    assert response.status_code == 302
    client.post(url, {"kind": "series", "series-title_fr": "Cycle de webinaires sur les données"})
    assert Topic.objects.get(program=world.program).name_en == "Cybersecurity"
    assert EventSeries.objects.filter(program=world.program, title_fr__startswith="Cycle").exists()
    assert ActivityLogEntry.objects.filter(verb="created", object_label="Cybersécurité").exists()
    page = client.get(url).content.decode()
    assert "Cybersécurité" in page and "Cycle de webinaires" in page


def test_the_same_topic_twice_gets_a_clear_message(client, world):
    client.force_login(world.manager)
    url = reverse("events:program_catalogue", args=[world.program.slug])
    client.post(url, {"kind": "topic", "topic-name_fr": "Données"})
    response = client.post(url, {"kind": "topic", "topic-name_fr": "Données"})
    assert response.status_code == 200
    assert response.context["topic_form"].errors
    assert Topic.objects.filter(program=world.program).count() == 1


def test_a_coordinator_cannot_change_the_programs_topics(client, world):
    client.force_login(world.coordinator_quebec)
    url = reverse("events:program_catalogue", args=[world.program.slug])
    assert client.post(url, {"kind": "topic", "topic-name_fr": "X"}).status_code == 404
    assert not Topic.objects.exists()
