"""The import pages through HTTP: who reaches them, what a bad file shows, preview, confirmation, report."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from virage.core.tests.factories import ProgramFactory
from virage.organizations.identifiers import NEQ_INVALID
from virage.organizations.import_views import (
    ALL_OR_NOTHING_BLOCKED,
    IMPORT_REFUSED,
    PROBLEMS_COLUMN,
    REPORTED_PROBLEM,
)
from virage.organizations.imports import (
    FILE_EMPTY,
    FILE_MISSING_COLUMNS,
    FILE_NOT_SPREADSHEET,
    FILE_XLSX_UNREADABLE,
    OUTSIDE_REGIONS,
)
from virage.organizations.models import ImportBatch, Organization, Person

from .test_import_reading import PNG_BYTES, csv_bytes, xlsx_bytes
from .test_import_validation import FULL_HEADER, row

pytestmark = pytest.mark.django_db
UPLOAD_URL = reverse("organizations:import")


def rows_file(rows, *, name="organismes.csv", header=FULL_HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, header=header), content_type="text/csv")


def good_rows(count=2):
    return [
        row(**{"nom légal": f"Organisme fictif {number}", "NEQ": f"11700000{number:02d}"}) for number in range(count)
    ]


def post_upload(client, world, upload, **extra):
    return client.post(UPLOAD_URL, {"program": world.program.pk, "file": upload, **extra})


def uploaded_batch(client, world, rows, user=None) -> ImportBatch:
    client.force_login(user or world.manager)
    response = post_upload(client, world, rows_file(rows))
    batch = ImportBatch.objects.latest("created_at")
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    return batch


def page(response) -> str:
    return response.content.decode()


# Access -------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client, world):
    batch = uploaded_batch(client, world, good_rows())
    client.logout()
    for url in (UPLOAD_URL, batch.get_absolute_url(), reverse("organizations:import_rejects", args=[batch.token])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["coach", "reviewer", "funder", "contact_other_organization", "outsider"])
def test_people_who_cannot_import_get_not_found_everywhere(client, world, persona):
    batch = uploaded_batch(client, world, good_rows())
    client.force_login(world.personas[persona])
    assert client.get(UPLOAD_URL).status_code == 404
    assert post_upload(client, world, rows_file(good_rows())).status_code == 404
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(batch.get_absolute_url(), {"mode": "valid_only"}).status_code == 404
    assert client.get(reverse("organizations:import_rejects", args=[batch.token])).status_code == 404
    assert not Organization.objects.filter(legal_name__startswith="Organisme fictif").exists()


@pytest.mark.parametrize("persona", ["admin", "coordinator_other_region"])
def test_a_batch_is_shown_to_its_uploader_only(client, world, persona):
    batch = uploaded_batch(client, world, good_rows())
    client.force_login(world.personas[persona])
    assert client.get(UPLOAD_URL).status_code == 200
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(batch.get_absolute_url(), {"mode": "valid_only"}).status_code == 404
    assert client.get(reverse("organizations:import_rejects", args=[batch.token])).status_code == 404
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PENDING


def test_unknown_or_absurd_tokens_are_not_found(client, world):
    client.force_login(world.manager)
    for token in ("inconnu", "x" * 500, "%00"):
        assert client.get(reverse("organizations:import_preview", args=[token])).status_code == 404


def test_program_must_be_one_the_user_manages_or_coordinates(client, world):
    other = ProgramFactory()
    client.force_login(world.manager)
    response = client.post(UPLOAD_URL, {"program": other.pk, "file": rows_file(good_rows())})
    assert response.status_code == 200
    assert list(response.context["form"].fields["program"].queryset) == [world.program]
    assert "program" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


# Files that cannot be read -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.csv", b"", FILE_EMPTY),
        ("photo.csv", PNG_BYTES + b"\x00" * 100, FILE_NOT_SPREADSHEET),
        ("abime.xlsx", xlsx_bytes([["PME", "A", None, "Laval", None, None, None]])[:300], FILE_XLSX_UNREADABLE),
        (
            "colonnes.csv",
            csv_bytes([["PME", "A"]], header=["type", "adresse"]),
            FILE_MISSING_COLUMNS % {"columns": "« nom légal », « municipalité »"},
        ),
    ],
)
def test_unreadable_file_gets_a_clear_message_and_saves_nothing(client, world, name, content, message):
    client.force_login(world.manager)
    response = post_upload(client, world, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [str(message)]
    assert not ImportBatch.objects.exists()


def test_upload_page_lists_the_expected_columns(client, world):
    client.force_login(world.manager)
    content = page(client.get(UPLOAD_URL))
    assert "nom légal" in content and "contact email" in content
    assert 'enctype="multipart/form-data"' in content


# Preview and confirmation -------------------------------------------------------------------------


def test_preview_lists_each_problem_and_blocks_all_or_nothing(client, world):
    batch = uploaded_batch(client, world, [*good_rows(), row(**{"nom légal": "Mauvais", "NEQ": "123"})])
    response = client.get(batch.get_absolute_url())
    content = page(response)
    assert response.context["problems"] == [{"line": 4, "column": "NEQ", "value": "123", "message": str(NEQ_INVALID)}]
    assert '<th scope="row">4</th>' in content
    assert str(ALL_OR_NOTHING_BLOCKED) in content
    assert 'value="all_or_nothing" disabled' in content
    assert "Organisme fictif 0" in content  # the sample of valid rows


def test_import_all_or_nothing_of_a_good_file(client, world):
    batch = uploaded_batch(client, world, good_rows(3))
    response = client.post(batch.get_absolute_url(), {"mode": "all_or_nothing"})
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert Organization.objects.filter(legal_name__startswith="Organisme fictif").count() == 3
    assert client.get(batch.get_absolute_url()).status_code == 200


def test_forced_all_or_nothing_with_a_bad_row_saves_nothing_and_says_why(client, world):
    batch = uploaded_batch(client, world, [*good_rows(), row(**{"nom légal": "Mauvais", "NEQ": "123"})])
    response = client.post(batch.get_absolute_url(), {"mode": "all_or_nothing"}, follow=True)
    assert str(IMPORT_REFUSED % {"count": 1}) in [str(message) for message in response.context["messages"]]
    assert not Organization.objects.filter(legal_name__startswith="Organisme fictif").exists()


def test_valid_only_saves_the_valid_rows_and_the_report_lists_the_others(client, world):
    bad_neq = row(**{"nom légal": "Mauvais NEQ", "NEQ": "123"})
    bad_town = row(**{"nom légal": '=HYPERLINK("http://x")', "municipalité": "Atlantide"})
    batch = uploaded_batch(client, world, [*good_rows(), bad_neq, bad_town])
    client.post(batch.get_absolute_url(), {"mode": "valid_only"})
    assert Organization.objects.filter(legal_name__startswith="Organisme fictif").count() == 2
    response = client.get(reverse("organizations:import_rejects", args=[batch.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="organismes-rejets.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [*FULL_HEADER, str(PROBLEMS_COLUMN)]
    assert lines[1][:-1] == bad_neq
    assert lines[1][-1] == str(REPORTED_PROBLEM % {"column": "NEQ", "message": NEQ_INVALID})
    # A cell that a spreadsheet would run as a formula is neutralized.
    assert lines[2][1] == '\'=HYPERLINK("http://x")'
    assert len(lines) == 3


def test_confirming_twice_does_not_import_twice(client, world):
    batch = uploaded_batch(client, world, good_rows())
    client.post(batch.get_absolute_url(), {"mode": "valid_only"})
    response = client.post(batch.get_absolute_url(), {"mode": "valid_only"}, follow=True)
    assert response.status_code == 200
    assert Organization.objects.filter(legal_name__startswith="Organisme fictif").count() == 2


def test_uploading_the_same_file_again_shows_every_row_as_a_duplicate(client, world):
    first = uploaded_batch(client, world, good_rows())
    client.post(first.get_absolute_url(), {"mode": "valid_only"})
    second = uploaded_batch(client, world, good_rows())
    assert second.rejected_count == 2
    client.post(second.get_absolute_url(), {"mode": "valid_only"})
    assert Organization.objects.filter(legal_name__startswith="Organisme fictif").count() == 2


def test_unknown_mode_is_refused_without_error(client, world):
    batch = uploaded_batch(client, world, good_rows())
    response = client.post(batch.get_absolute_url(), {"mode": "<script>"}, follow=True)
    assert response.status_code == 200
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PENDING


def test_cancel_forgets_the_file(client, world):
    batch = uploaded_batch(client, world, good_rows())
    response = client.post(batch.get_absolute_url(), {"mode": "cancel"})
    assert response.status_code == 302 and response["Location"] == UPLOAD_URL
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and batch.rows == []


def test_excel_workbook_upload_imports(client, world):
    client.force_login(world.manager)
    header = ["Kind", "Legal name", "Quebec enterprise number", "Municipality"]
    content = xlsx_bytes([["sme", "Atelier fictif", 1170000099, 23027]], header=header)
    response = post_upload(client, world, SimpleUploadedFile("liste.xlsx", content))
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url() and batch.rejected_count == 0
    client.post(batch.get_absolute_url(), {"mode": "all_or_nothing"})
    assert Organization.objects.get(neq="1170000099").municipality == world.quebec


def test_coordinator_sees_rows_outside_their_regions_as_problems(client, world):
    rows = [row(**{"nom légal": "À Montréal"}), row(**{"nom légal": "À Québec", "municipalité": "Québec"})]
    batch = uploaded_batch(client, world, rows, user=world.coordinator_quebec)
    response = client.get(batch.get_absolute_url())
    assert response.context["problems"][0]["message"] == str(OUTSIDE_REGIONS % {"region": "Montréal"})
    client.post(batch.get_absolute_url(), {"mode": "valid_only"})
    assert list(Organization.objects.filter(legal_name__startswith="À ").values_list("legal_name", flat=True)) == [
        "À Québec"
    ]


def test_losing_the_program_role_before_confirming_gives_not_found(client, world):
    batch = uploaded_batch(client, world, good_rows())
    world.manager.memberships.update(is_active=False)
    client.force_login(world.manager)
    assert client.post(batch.get_absolute_url(), {"mode": "valid_only"}).status_code == 404
    assert not Organization.objects.filter(legal_name__startswith="Organisme fictif").exists()


def test_preview_runs_the_same_number_of_queries_for_one_row_and_for_forty(client, world, django_assert_num_queries):
    small = uploaded_batch(client, world, good_rows(1))
    large = uploaded_batch(client, world, [*good_rows(40), row(**{"nom légal": "Mauvais", "NEQ": "1"})] * 1)
    client.get(small.get_absolute_url())  # warm the content types and the session
    with django_assert_num_queries(PREVIEW_QUERIES):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(PREVIEW_QUERIES):
        client.get(large.get_absolute_url())


# Session, user, the user's scope (memberships and their regions and organizations, contact records)
# and the batch.
PREVIEW_QUERIES = 7


def rows_with_contacts(count, start=0):
    return [
        row(
            **{
                "nom légal": f"Organisme compté {number}",
                "NEQ": f"1180000{number:03d}",
                "prénom du contact": "Zoé",
                "nom du contact": "Bélanger",
                "courriel du contact": f"zoe{number}@compte.example",
            }
        )
        for number in range(start, start + count)
    ]


def test_confirmation_runs_the_same_queries_for_one_row_and_for_fifty(client, world, django_assert_num_queries):
    warm_up = uploaded_batch(client, world, rows_with_contacts(1, start=900))
    one = uploaded_batch(client, world, rows_with_contacts(1))
    fifty = uploaded_batch(client, world, rows_with_contacts(50, start=100))
    client.post(warm_up.get_absolute_url(), {"mode": "all_or_nothing"})  # content types, session
    with django_assert_num_queries(CONFIRM_QUERIES):
        client.post(one.get_absolute_url(), {"mode": "all_or_nothing"})
    # SQLite takes at most 999 parameters per statement: 50 organizations (21 columns each) need
    # two INSERT statements instead of one. PostgreSQL writes them in one.
    with django_assert_num_queries(CONFIRM_QUERIES + (1 if connection.vendor == "sqlite" else 0)):
        client.post(fifty.get_absolute_url(), {"mode": "all_or_nothing"})
    assert Organization.objects.filter(legal_name__startswith="Organisme compté").count() == 52
    assert Person.objects.filter(email__endswith="@compte.example").count() == 52


# Session, user, the user's scope (4 queries), the batch, the right to import into the program;
# then in the transaction: the batch locked, the check of the rows against the registry (regions,
# municipalities, registered NEQs, namesakes), one INSERT each for the organizations, their
# contacts, their log entries, the participations and their log entries, the batch saved, its
# summary logged, and the savepoints around the writes.
CONFIRM_QUERIES = 26
