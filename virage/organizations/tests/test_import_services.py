"""Confirming an import: what is written in each mode, what is logged, and what is never written twice."""

import pytest
from django.core.exceptions import ValidationError

from virage.core.activity import history_for
from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import OrganizationFactory
from virage.organizations.import_services import BATCH_NOT_PENDING, import_batch_cancel, import_batch_create
from virage.organizations.imports import DUPLICATE_NAME, read_table
from virage.organizations.models import ImportBatch, Organization, Person
from virage.organizations.services import DUPLICATE_NEQ
from virage.programs import import_services
from virage.programs.import_services import UNKNOWN_MODE, WRONG_PROGRAM, organizations_import
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


def test_all_or_nothing_undoes_every_row_when_one_fails_while_being_written(world, monkeypatch):
    original = import_services.imported_organization_create
    calls = []

    def fail_on_second_row(*, actor, row):
        calls.append(row.line)
        if len(calls) == 2:
            raise ValidationError({"legal_name": ["Refusé par la base."]})
        return original(actor=actor, row=row)

    monkeypatch.setattr(import_services, "imported_organization_create", fail_on_second_row)
    batch = upload(world, good_rows())
    outcome = organizations_import(actor=world.manager, batch=batch, mode=ALL_OR_NOTHING, program=world.program)
    assert not outcome.is_imported
    assert not Organization.objects.filter(neq="1170000011").exists()
    batch.refresh_from_db()
    assert batch.problems == [
        {"line": 3, "column": "nom légal", "value": "Atelier Boréal fictif", "message": "Refusé par la base."}
    ]


def test_valid_only_keeps_the_rows_written_before_one_that_fails(world, monkeypatch):
    original = import_services.imported_organization_create

    def fail_on_workshop(*, actor, row):
        if row.line == 3:
            raise ValidationError("Refusé.")
        return original(actor=actor, row=row)

    monkeypatch.setattr(import_services, "imported_organization_create", fail_on_workshop)
    batch = upload(world, good_rows())
    outcome = organizations_import(actor=world.manager, batch=batch, mode=VALID_ONLY, program=world.program)
    assert (outcome.created, outcome.rejected) == (1, 1)
    assert Organization.objects.filter(neq="1170000011").exists()
    batch.refresh_from_db()
    assert [stored["line"] for stored in batch.rows] == [3]


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
