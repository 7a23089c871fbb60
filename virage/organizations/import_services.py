"""Writes of the organization import that do not involve programs.

Holding an uploaded file until its uploader confirms it, cancelling it, and writing the checked
rows (each organization and its contact): all of them in a few statements with
:func:`organizations_bulk_create`, or one at a time through the ordinary services with
:func:`imported_organization_create` when the bulk write was refused. Either way an imported
organization is checked and logged like one typed in the form. Enrolling the organizations in the
program, which needs the programs app, is ``virage.programs.import_services.organizations_import``.
"""

import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from virage.core.activity import build_entry, log_activities_bulk, snapshot
from virage.core.models import ActivityLogEntry

from .imports import CheckedRow, Table, allowed_region_ids, stored_table, validate_table
from .models import ImportBatch, Organization, Person
from .services import (
    ORGANIZATION_FIELDS,
    PERSON_FIELDS,
    _clean_identifiers,
    _clean_person,
    organization_create,
    person_create,
)

BATCH_NOT_PENDING = _("This file was already imported or cancelled.")
# Rows per INSERT statement: bounds the size of one statement (the database may lower it further,
# as SQLite does with its limit on the number of parameters).
BULK_BATCH_SIZE = 1000


class RowsRefused(Exception):
    """The models refused rows that the check of the file had accepted; nothing was written.

    ``errors`` pairs each refused row with the ``ValidationError`` of its organization or contact.
    """

    def __init__(self, errors: list[tuple[CheckedRow, ValidationError]]):
        super().__init__(f"{len(errors)} rows refused")
        self.errors = errors


@transaction.atomic
def import_batch_create(*, actor, program, table: Table, file_name: str, default_kind: str = "") -> ImportBatch:
    """Check ``table`` and keep it, with its problems, until ``actor`` confirms or cancels it.

    Raises ``ImportFileError`` when the columns cannot be used. No organization is written, so the
    rows stay invisible to everybody but the uploader until the confirmation.
    """
    if default_kind and default_kind not in Organization.Kind.values:
        default_kind = ""
    validation = validate_table(table, allowed_regions=allowed_region_ids(actor, program.pk), default_kind=default_kind)
    stored = stored_table(table)
    batch = ImportBatch(
        token=secrets.token_urlsafe(24),
        uploaded_by=actor,
        program=program,
        file_name=(file_name or "import")[:255],
        delimiter=table.delimiter,
        default_kind=default_kind,
        headers=stored["headers"],
        rows=stored["rows"],
        problems=[problem.as_dict() for problem in validation.problems],
        row_count=len(validation.rows),
        rejected_count=len(validation.rejected_rows),
    )
    batch.save()
    return batch


@transaction.atomic
def import_batch_cancel(*, actor, batch: ImportBatch) -> ImportBatch:
    """Forget a file that will not be imported; its rows (personal information) are deleted at once."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(BATCH_NOT_PENDING)
    batch.status = ImportBatch.Status.CANCELLED
    batch.rows = []
    batch.problems = []
    batch.save(update_fields=["status", "rows", "problems", "updated_at"])
    return batch


@transaction.atomic
def imported_organization_create(*, actor, row: CheckedRow) -> Organization:
    """Write one valid row: the organization (logged as imported) and its contact, if any.

    Similar names were already checked against the registry and the file by the validation, so
    the confirmation the form asks for is given here.
    """
    organization = organization_create(
        actor=actor, data=row.organization, confirm_similar=True, log_verb=ActivityLogEntry.Verb.IMPORTED
    )
    if row.contact:
        person_create(actor=actor, organization=organization, data=row.contact)
    return organization


@transaction.atomic
def organizations_bulk_create(
    *, actor, rows: Sequence[CheckedRow], verb: str = ActivityLogEntry.Verb.IMPORTED
) -> list[Organization]:
    """Write the organizations and contacts of ``rows`` in a few statements, whatever their number.

    The rows come from ``validate_table``, run against the registry in the caller's transaction:
    their identifiers are normalized and were checked against the registry and the file, and
    their names against the organizations of their municipality. So the look-ups that
    ``organization_create`` makes row by row are not repeated here; each organization and contact
    is still cleaned and checked by its model (without the queries of foreign keys and
    constraints, which the database checks), its search name, MRC and region derived like the
    services do, and logged like ``organization_create`` (with ``verb``) and ``person_create``.

    Returns the organizations, with their ids, in the order of ``rows``. Raises
    :class:`RowsRefused`, having written nothing, when models refuse rows; and ``IntegrityError``
    when a unique constraint refuses one (somebody registered the same NEQ since the check), so
    the caller can undo the write.
    """
    organizations: list[Organization] = []
    people: list[Person] = []
    refused: list[tuple[CheckedRow, ValidationError]] = []
    for row in rows:
        try:
            organization, person = _build_imported(row)
        except ValidationError as error:
            refused.append((row, error))
            continue
        organizations.append(organization)
        if person is not None:
            people.append(person)
    if refused:
        raise RowsRefused(refused)
    _insert_with_ids(Organization, organizations)
    # Each contact's organization_id is taken from its organization, now saved, by bulk_create.
    _insert_with_ids(Person, people)
    entries = [
        build_entry(
            actor=actor,
            verb=verb,
            subject=organization,
            changes={
                name: [None, value] for name, value in snapshot(organization, ORGANIZATION_FIELDS).items() if value
            },
        )
        for organization in organizations
    ]
    entries += [
        build_entry(
            actor=actor,
            verb=ActivityLogEntry.Verb.CREATED,
            subject=person,
            changes={name: [None, value] for name, value in snapshot(person, PERSON_FIELDS).items() if value},
        )
        for person in people
    ]
    log_activities_bulk(entries)
    return organizations


# Fields whose checks would query the database (foreign keys to rows loaded or written in the same
# transaction) or that are derived from another field.
_ORGANIZATION_NOT_CLEANED = ["name_folded", "mrc", "region", "municipality"]
_PERSON_NOT_CLEANED = ["organization", "user"]


def _build_imported(row: CheckedRow) -> tuple[Organization, Person | None]:
    """The unsaved organization and contact of a row, cleaned as the services clean them."""
    cleaned = _clean_identifiers(row.organization)
    organization = Organization(
        status=Organization.Status.ACTIVE, **{key: cleaned[key] for key in ORGANIZATION_FIELDS if key in cleaned}
    )
    # The municipality was loaded by the check with its MRC and region: no query here.
    organization.refresh_derived_fields()
    organization.full_clean(exclude=_ORGANIZATION_NOT_CLEANED, validate_unique=False, validate_constraints=False)
    if not row.contact:
        return organization, None
    person = Person(organization=organization, **_clean_person(row.contact))
    person.full_clean(exclude=_PERSON_NOT_CLEANED, validate_unique=False, validate_constraints=False)
    return organization, person


def _insert_with_ids(model: type[models.Model], instances: list[models.Model]) -> None:
    """Insert new rows and set their ids, which the contacts and the activity log refer to."""
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(instances, batch_size=BULK_BATCH_SIZE)
        return
    # A database that cannot say which ids a multi-row INSERT gave (SQLite before 3.35): one
    # INSERT per row, which is still far from the dozens of statements of the services per row.
    for instance in instances:
        instance.save(force_insert=True)
