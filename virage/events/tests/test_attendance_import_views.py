from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from virage.events.models import AttendanceImport
from virage.events.tests.factories import EventFactory, RegistrationFactory

REPORTS = Path(__file__).parent / "reports"


def test_upload_preview_and_confirm_a_zoom_report(client, world):
    event = EventFactory(program=world.program, municipality=world.montreal, region=world.region_montreal)
    lea = RegistrationFactory(event=event, first_name="Léa", last_name="Tremblay", email="lea.tremblay@exemple.qc.ca")
    client.force_login(world.manager)
    data = (REPORTS / "zoom_attendee_report.csv").read_bytes()
    response = client.post(
        reverse("events:attendance_import", args=[event.pk]),
        {"report": SimpleUploadedFile("rapport.csv", data, content_type="text/csv")},
    )
    attendance_import = AttendanceImport.objects.get()
    assert response.status_code == 302 and attendance_import.token in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Léa Tremblay" in page.content.decode()
    lea.refresh_from_db()
    assert lea.attended is None  # nothing saved by the preview
    # "Poulin, Alex" has no e-mail and matches nobody: added by hand.
    response = client.post(response["Location"], {"link-0": "create"})
    assert response.status_code == 302
    lea.refresh_from_db()
    assert (lea.attended, lea.minutes_present) == (True, 75)
    assert (
        event.registrations.filter(first_name="Poulin,", source="import").exists()
        or event.registrations.filter(source="import", email="").exists()
    )


def test_a_damaged_report_gets_its_line_and_nothing_is_kept(client, world):
    event = EventFactory(program=world.program, municipality=world.montreal, region=world.region_montreal)
    client.force_login(world.manager)
    data = (REPORTS / "zoom_attendee_report_truncated.csv").read_bytes()
    response = client.post(
        reverse("events:attendance_import", args=[event.pk]),
        {"report": SimpleUploadedFile("rapport.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["report"]
    assert not AttendanceImport.objects.exists()


def test_another_staff_member_cannot_open_my_import(client, world):
    event = EventFactory(program=world.program, municipality=world.montreal, region=world.region_montreal)
    client.force_login(world.manager)
    client.post(
        reverse("events:attendance_import", args=[event.pk]),
        {"report": SimpleUploadedFile("r.csv", (REPORTS / "teams_report_en.csv").read_bytes())},
    )
    token = AttendanceImport.objects.get().token
    client.force_login(world.admin)
    assert client.get(reverse("events:attendance_import_preview", args=[event.pk, token])).status_code == 404
