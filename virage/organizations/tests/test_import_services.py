"""Confirming an import: what is written in each mode, what is logged, and what is never written twice."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from virage.core.activity import history_for
from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import OrganizationFactory
from virage.organizations.import_services import (
    BATCH_NOT_PENDING,
    RowsRefused,
    import_batch_cancel,
    import_batch_create,
    imported_organization_create,
    organizations_bulk_create,
)
from virage.organizations.imports import DUPLICATE_NAME, read_table, validate_table
from virage.organizations.models import ImportBatch, Organization, Person
from virage.organizations.services import DUPLICATE_NEQ
from virage.programs import import_services
from virage.programs.import_services import IMPORT_NOT_WRITTEN, UNKNOWN_MODE, WRONG_PROGRAM, organizations_import
from virage.programs.models import Participation

from .test_import_reading import csv_bytes
from .test_import_validation import FULL_HEADER, row

pytestmark = pytest.mark.django_db
ALL_OR_NOTHING = ImportBatch.Mode.ALL_OR_NOTHING
VALID_ONLY = ImportBatch.Mode.VALID_ONLY


def good_rows():
    return [
        row(
            **{
                "nom légal": "Cuisines collectives fictives",
                "NEQ": "1170000011",
                "prénom du contact": "Zoé",
                "nom du contact": "Bélanger",
                "courriel du contact": "zoe@cuisines.example",
            }
        ),
        row(**{"type": "PME", "nom légal": "Atelier Boréal fictif", "municipalité": "Québec"}),
    ]


def upload(world, rows, *, actor=None, name="organismes.csv"):
    table = read_table(csv_bytes(rows, header=FULL_HEADER), name)
    return import_batch_create(actor=actor or world.manager, program=world.program, table=table, file_name=name)


def test_upload_keeps_the_rows_and_their_problems_without_writing_any_organization(world):
    before = Organization.objects.count()
    batch = upload(world, [*good_rows(), row(**{"nom légal": "Mauvais", "NEQ": "12"})])
    assert Organization.objects.count() == before
    assert batch.status == ImportBatch.Status.PENDING
    assert (batch.row_count, batch.rejected_count, batch.valid_count) == (3, 1, 2)
    assert [problem["line"] for problem in batch.problems] == [4]
    assert batch.rows[2] == {"line": 4, "cells": row(**{"nom légal": "Mauvais", "NEQ": "12"})}
    assert len(batch.token) >= 32


def test_valid_only_writes_the_valid_rows_with_their_contacts_and_enrolment(world):
    batch = upload(world, [*good_rows(), row(**{"nom légal": "Mauvais", "NEQ": "12"})])
    outcome = organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)
    assert (outcome.is_imported, outcome.created, outcome.rejected) == (True, 2, 1)
    kitchen = Organization.objects.get(neq="1170000011")
    assert kitchen.municipality == world.montreal and kitchen.region == world.region_montreal
    assert kitchen.kind == Organization.Kind.COMMUNITY
    assert Person.objects.get(organization=kitchen).email == "zoe@cuisines.example"
    assert Person.objects.get(organization=kitchen).is_primary
    workshop = Organization.objects.get(legal_name="Atelier Boréal fictif")
    assert workshop.kind == Organization.Kind.SME and not workshop.people.exists()
    assert set(
        Participation.objects.filter(source=Participation.Source.IMPORT).values_list("organization", flat=True)
    ) == {
        kitchen.pk,
        workshop.pk,
    }
    assert not Organization.objects.filter(legal_name="Mauvais").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.mode == VALID_ONLY
    assert (batch.created_count, batch.rejected_count) == (2, 1)
    # Only the rejected row stays in the batch, for its report.
    assert [stored["line"] for stored in batch.rows] == [4]


def test_each_imported_organization_and_the_batch_are_logged(world):
    batch = upload(world, good_rows())
    organizations_import(actor=world.manager, batch=batch, mode=ALL_OR_NOTHING, program=world.program)
    kitchen = Organization.objects.get(neq="1170000011")
    verbs = {entry.verb for entry in history_for(kitchen)}
    assert verbs == {ActivityLogEntry.Verb.IMPORTED, ActivityLogEntry.Verb.JOINED}
    assert history_for(kitchen.people.get()).get().verb == ActivityLogEntry.Verb.CREATED
    summary = history_for(batch).get()
    assert summary.verb == ActivityLogEntry.Verb.IMPORTED
    assert summary.actor == world.manager
    assert summary.changes["organizations_created"] == [None, 2]
    assert summary.changes["rows_rejected"] == [None, 0]
    assert summary.note == "organismes.csv"


def test_all_or_nothing_with_one_bad_row_saves_nothing(world):
    batch = upload(world, [*good_rows(), row(**{"nom légal": "Mauvais", "NEQ": "12"})])
    before = (Organization.objects.count(), Person.objects.count(), ActivityLogEntry.objects.count())
    outcome = organizations_import(actor=world.manager, batch=batch, mode=ALL_OR_NOTHING, program=world.program)
    assert (outcome.is_imported, outcome.created, outcome.rejected) == (False, 0, 1)
    assert (Organization.objects.count(), Person.objects.count(), ActivityLogEntry.objects.count()) == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert len(batch.rows) == 3


def refuse_in_the_model(monkeypatch, legal_name, error):
    """Make Organization.full_clean refuse one organization that the check of the file accepts."""

    def clean(organization):
        if organization.legal_name == legal_name:
            raise error

    monkeypatch.setattr(Organization, "clean", clean)


def test_all_or_nothing_writes_nothing_when_the_model_refuses_one_row(world, monkeypatch):
    refuse_in_the_model(monkeypatch, "Atelier Boréal fictif", ValidationError({"legal_name": ["Refusé par la base."]}))
    batch = upload(world, good_rows())
    before = (Organization.objects.count(), Person.objects.count(), ActivityLogEntry.objects.count())
    outcome = organizations_import(actor=world.manager, batch=batch, mode=ALL_OR_NOTHING, program=world.program)
    assert not outcome.is_imported
    assert (Organization.objects.count(), Person.objects.count(), ActivityLogEntry.objects.count()) == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert batch.problems == [
        {"line": 3, "column": "nom légal", "value": "Atelier Boréal fictif", "message": "Refusé par la base."}
    ]


def test_valid_only_writes_the_other_rows_when_the_model_refuses_one(world, monkeypatch):
    refuse_in_the_model(monkeypatch, "Atelier Boréal fictif", ValidationError("Refusé."))
    batch = upload(world, good_rows())
    outcome = organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)
    assert (outcome.created, outcome.rejected) == (1, 1)
    assert Organization.objects.filter(neq="1170000011").exists()
    assert not Organization.objects.filter(legal_name="Atelier Boréal fictif").exists()
    batch.refresh_from_db()
    assert [stored["line"] for stored in batch.rows] == [3]
    assert batch.problems == [{"line": 3, "column": "", "value": "", "message": "Refusé."}]


def register_after_the_check(monkeypatch, **organization):
    """Somebody registers an organization after the confirmation checked the rows, before the write."""
    original = import_services.validate_table
    registered = []

    def check_then_register(*args, **kwargs):
        validation = original(*args, **kwargs)
        if not registered:
            registered.append(OrganizationFactory(**organization))
        return validation

    monkeypatch.setattr(import_services, "validate_table", check_then_register)
    return registered


def test_all_or_nothing_names_the_row_the_database_refused_and_writes_nothing(world, monkeypatch):
    batch = upload(world, good_rows())
    registered = register_after_the_check(monkeypatch, legal_name="Arrivé entre-temps", neq="1170000011")
    outcome = organizations_import(actor=world.manager, batch=batch, mode=ALL_OR_NOTHING, program=world.program)
    assert (outcome.is_imported, outcome.rejected) == (False, 1)
    assert list(Organization.objects.filter(neq="1170000011")) == registered
    assert not Organization.objects.filter(legal_name="Atelier Boréal fictif").exists()
    assert not Person.objects.filter(email="zoe@cuisines.example").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert batch.problems == [
        {
            "line": 2,
            "column": "NEQ",
            "value": "1170000011",
            "message": str(DUPLICATE_NEQ % {"name": registered[0]}),
        }
    ]


def test_valid_only_writes_row_by_row_the_rows_the_database_accepts(world, monkeypatch):
    batch = upload(world, good_rows())
    registered = register_after_the_check(monkeypatch, legal_name="Arrivé entre-temps", neq="1170000011")
    written_one_by_one = []
    original = import_services.imported_organization_create

    def spy(*, actor, row):
        written_one_by_one.append(row.line)
        return original(actor=actor, row=row)

    monkeypatch.setattr(import_services, "imported_organization_create", spy)
    outcome = organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)
    assert (outcome.is_imported, outcome.created, outcome.rejected) == (True, 1, 1)
    assert written_one_by_one == [3]
    workshop = Organization.objects.get(legal_name="Atelier Boréal fictif")
    assert workshop.participations.get().source == Participation.Source.IMPORT
    assert list(Organization.objects.filter(neq="1170000011")) == registered
    batch.refresh_from_db()
    assert [stored["line"] for stored in batch.rows] == [2]
    assert batch.problems[0]["message"] == str(DUPLICATE_NEQ % {"name": registered[0]})


def fail_the_bulk_write(monkeypatch):
    def refused_by_the_database(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(import_services, "organizations_bulk_create", refused_by_the_database)


def test_all_or_nothing_says_nothing_was_written_when_the_database_refuses_for_an_unseen_reason(world, monkeypatch):
    batch = upload(world, good_rows())
    fail_the_bulk_write(monkeypatch)
    with pytest.raises(ValidationError) as caught:
        organizations_import(actor=world.manager, batch=batch, mode=ALL_OR_NOTHING, program=world.program)
    assert caught.value.messages == [str(IMPORT_NOT_WRITTEN)]
    assert not Organization.objects.filter(neq="1170000011").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING and len(batch.rows) == 2


def test_valid_only_still_imports_every_row_when_the_database_refuses_the_bulk_write(world, monkeypatch):
    batch = upload(world, good_rows())
    fail_the_bulk_write(monkeypatch)
    outcome = organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)
    assert (outcome.is_imported, outcome.created, outcome.rejected) == (True, 2, 0)
    kitchen = Organization.objects.get(neq="1170000011")
    assert kitchen.people.get().email == "zoe@cuisines.example"
    assert {entry.verb for entry in history_for(kitchen)} == {
        ActivityLogEntry.Verb.IMPORTED,
        ActivityLogEntry.Verb.JOINED,
    }


def test_rows_are_checked_again_at_confirmation(world):
    batch = upload(world, good_rows())
    assert batch.rejected_count == 0
    existing = OrganizationFactory(legal_name="Arrivé entre-temps", neq="1170000011")
    outcome = organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)
    assert (outcome.created, outcome.rejected) == (1, 1)
    batch.refresh_from_db()
    assert batch.problems[0]["line"] == 2
    assert batch.problems[0]["message"] == str(DUPLICATE_NEQ % {"name": existing})


def test_importing_the_same_file_twice_creates_nothing_new(world):
    first = upload(world, good_rows())
    organizations_import(actor=world.manager, batch=first, mode=ALL_OR_NOTHING, program=world.program)
    counts = (Organization.objects.count(), Person.objects.count(), Participation.objects.count())
    second = upload(world, good_rows())
    assert second.rejected_count == 2
    assert [problem["message"] for problem in second.problems] == [
        str(DUPLICATE_NEQ % {"name": Organization.objects.get(neq="1170000011")}),
        str(
            DUPLICATE_NAME
            % {"municipality": "Québec", "name": Organization.objects.get(legal_name="Atelier Boréal fictif")}
        ),
    ]
    outcome = organizations_import(actor=world.manager, batch=second, mode=VALID_ONLY, program=world.program)
    assert not outcome.is_imported
    assert (Organization.objects.count(), Person.objects.count(), Participation.objects.count()) == counts


def test_a_batch_is_imported_only_once(world):
    batch = upload(world, good_rows())
    organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)
    with pytest.raises(ValidationError) as caught:
        organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)
    assert caught.value.messages == [str(BATCH_NOT_PENDING)]


def test_mode_and_program_must_be_the_batch_ones(world):
    from virage.core.tests.factories import ProgramFactory

    batch = upload(world, good_rows())
    with pytest.raises(ValidationError) as caught:
        organizations_import(actor=world.manager, batch=batch, mode="everything", program=world.program)
    assert caught.value.messages == [str(UNKNOWN_MODE)]
    with pytest.raises(ValidationError) as caught:
        organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=ProgramFactory())
    assert caught.value.messages == [str(WRONG_PROGRAM)]
    assert not Organization.objects.filter(neq="1170000011").exists()


def test_coordinator_imports_only_the_rows_of_their_regions(world):
    rows = [row(**{"nom légal": "À Montréal"}), row(**{"nom légal": "À Québec", "municipalité": "Québec"})]
    batch = upload(world, rows, actor=world.coordinator_quebec)
    assert [problem["line"] for problem in batch.problems] == [2]
    organizations_import(actor=world.coordinator_quebec, batch=batch, mode=VALID_ONLY, program=world.program)
    assert Organization.objects.filter(legal_name="À Québec").exists()
    assert not Organization.objects.filter(legal_name="À Montréal").exists()


def test_cancelling_forgets_the_rows(world):
    batch = upload(world, good_rows())
    import_batch_cancel(actor=world.manager, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and batch.rows == []
    with pytest.raises(ValidationError):
        organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)


# The bulk write ------------------------------------------------------------------------------------

TWIN = {
    "nom légal": "Jumeaux fictifs",
    "nom usuel": "Les Jumeaux",
    "numéro d'organisme de bienfaisance": "",
    "adresse": "12 rue Principale",
    "code postal": "h2x 1y4",
    "secteur": "logement",
    "site web": "jumeaux.example",
    "prénom du contact": "Émile",
    "nom du contact": "Côté",
    "courriel du contact": "Emile@Jumeaux.Example",
    "téléphone du contact": "514 555-0123",
    "fonction du contact": "direction",
    "langue du contact": "anglais",
}


def comparable_entry(entry: ActivityLogEntry) -> tuple:
    changes = {name: values for name, values in entry.changes.items() if name != "neq"}
    return (
        entry.actor_id,
        entry.actor_label,
        entry.verb,
        entry.content_type_id,
        entry.object_label,
        changes,
        entry.note,
    )


def test_bulk_write_gives_the_same_organization_contact_and_log_as_the_services(world):
    # Two rows alike but for their NEQ: one written in bulk, the other through the per-row services.
    table = read_table(csv_bytes([row(**TWIN, NEQ="1170000011"), row(**TWIN, NEQ="2270000012")], header=FULL_HEADER))
    bulk_row, service_row = validate_table(table).rows
    assert bulk_row.is_valid and service_row.is_valid
    [in_bulk] = organizations_bulk_create(actor=world.manager, rows=[bulk_row])
    by_service = imported_organization_create(actor=world.manager, row=service_row)
    in_bulk, by_service = Organization.objects.get(pk=in_bulk.pk), Organization.objects.get(pk=by_service.pk)
    fields = [field.attname for field in Organization._meta.concrete_fields]
    different = {"id", "neq", "created_at", "updated_at"}
    assert {name: getattr(in_bulk, name) for name in fields if name not in different} == {
        name: getattr(by_service, name) for name in fields if name not in different
    }
    assert (in_bulk.name_folded, in_bulk.mrc, in_bulk.region) == (
        "les jumeaux jumeaux fictifs",
        world.montreal.mrc,
        world.region_montreal,
    )
    assert (in_bulk.postal_code, in_bulk.website) == ("H2X 1Y4", "https://jumeaux.example")
    person_fields = [
        field.attname
        for field in Person._meta.concrete_fields
        if field.attname not in ("id", "organization_id", "created_at", "updated_at")
    ]
    assert Person.objects.filter(organization=in_bulk).values(*person_fields).get() == (
        Person.objects.filter(organization=by_service).values(*person_fields).get()
    )
    assert [comparable_entry(entry) for entry in history_for(in_bulk)] == [
        comparable_entry(entry) for entry in history_for(by_service)
    ]
    assert [comparable_entry(entry) for entry in history_for(in_bulk.people.get())] == [
        comparable_entry(entry) for entry in history_for(by_service.people.get())
    ]
    assert history_for(in_bulk).get().changes["neq"] == [None, "1170000011"]


def test_bulk_write_without_ids_returned_by_the_database_inserts_row_by_row(world, monkeypatch):
    # SQLite before 3.35 cannot return the ids of a multi-row INSERT; the contacts and the log need them.
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    validation = validate_table(read_table(csv_bytes(good_rows(), header=FULL_HEADER)))
    kitchen, workshop = organizations_bulk_create(actor=world.manager, rows=validation.rows)
    assert kitchen.pk and workshop.pk
    assert Person.objects.get(email="zoe@cuisines.example").organization == kitchen
    assert history_for(workshop).get().verb == ActivityLogEntry.Verb.IMPORTED


def test_bulk_write_refuses_every_row_the_model_refuses_and_writes_nothing(world, monkeypatch):
    refuse_in_the_model(monkeypatch, "Atelier Boréal fictif", ValidationError({"website": ["Refusée."]}))
    validation = validate_table(read_table(csv_bytes(good_rows(), header=FULL_HEADER)))
    before = Organization.objects.count()
    with pytest.raises(RowsRefused) as caught:
        organizations_bulk_create(actor=world.manager, rows=validation.rows)
    assert [(refused.line, error.message_dict) for refused, error in caught.value.errors] == [
        (3, {"website": ["Refusée."]})
    ]
    assert Organization.objects.count() == before
