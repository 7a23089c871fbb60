"""The confirmation of an organization import: write the rows and enrol them in the program.

It lives in programs because it enrols organizations in a program; the reading and checking of
the file, and the writing of the organizations, are in ``virage.organizations``.

The rows are written in bulk: a few statements for the whole file, whatever its number of rows.
Only when the database refuses that write (somebody registered one of the organizations in the
meantime) does the "only the valid rows" mode go back to writing the rows one at a time.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.core.activity import build_entry, log_activities_bulk, log_activity
from virage.core.models import ActivityLogEntry
from virage.organizations.import_services import (
    BATCH_NOT_PENDING,
    BULK_BATCH_SIZE,
    RowsRefused,
    imported_organization_create,
    organizations_bulk_create,
)
from virage.organizations.imports import (
    FIELD_COLUMNS,
    CheckedRow,
    Problem,
    Validation,
    allowed_region_ids,
    validate_table,
)
from virage.organizations.models import ImportBatch, Organization

from .models import Participation, Program
from .services import participation_add

WRONG_PROGRAM = _("This file was uploaded for another program.")
UNKNOWN_MODE = _("Choose how to import the file: all or nothing, or only the valid rows.")
ROW_NOT_WRITTEN = _("This row could not be saved. Try again; if it fails again, tell the platform administrator.")
IMPORT_NOT_WRITTEN = _(
    "Nothing was imported: the registry changed while the file was being saved, or a row could not be saved. "
    "Confirm the import again; if it fails again, tell the platform administrator."
)


@dataclass(frozen=True)
class ImportOutcome:
    """What a confirmation did: ``is_imported`` is false when nothing was written."""

    is_imported: bool
    created: int
    rejected: int


class _RollBack(Exception):
    """Raised inside the writes to undo all of them (all-or-nothing mode)."""


@transaction.atomic
def organizations_import(*, actor, batch: ImportBatch, mode: str, program: Program) -> ImportOutcome:
    """Import the rows of ``batch`` into the registry and enrol them in ``program``, in one transaction.

    The rows are checked again first, in this transaction and right before the write, because the
    registry may have changed since the preview. ``all_or_nothing`` writes nothing if any row has
    a problem (or fails while being written); ``valid_only`` writes the valid rows and keeps the
    others, with their problems, for the report. Each organization is logged as imported, each
    contact as created, each enrolment as joined, and the batch gets one summary entry.
    """
    if mode not in ImportBatch.Mode.values:
        raise ValidationError(UNKNOWN_MODE)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(BATCH_NOT_PENDING)
    if batch.program_id != program.pk:
        raise ValidationError(WRONG_PROGRAM)

    all_or_nothing = mode == ImportBatch.Mode.ALL_OR_NOTHING
    validation = _check(actor=actor, batch=batch, program=program)
    if not validation.valid_rows or (all_or_nothing and validation.rejected_rows):
        return _refuse(batch, validation)
    try:
        created = _write_in_bulk(actor=actor, program=program, validation=validation, all_or_nothing=all_or_nothing)
    except _RollBack:
        return _refuse(batch, validation)
    except DatabaseError:
        # The database refused the write, which was undone: most likely a unique constraint, because
        # somebody registered one of these organizations since the check. Checking again names it.
        validation = _check(actor=actor, batch=batch, program=program)
        if all_or_nothing or not validation.valid_rows:
            if validation.rejected_rows:
                return _refuse(batch, validation)
            raise ValidationError(IMPORT_NOT_WRITTEN) from None
        created = _write_row_by_row(actor=actor, program=program, validation=validation)

    rejected = validation.rejected_rows
    rejected_lines = {row.line for row in rejected}
    batch.status = ImportBatch.Status.IMPORTED
    batch.mode = mode
    batch.created_count = created
    batch.rejected_count = len(rejected)
    batch.row_count = len(validation.rows)
    # Only the rejected rows are kept, for their report: the others are now in the registry.
    batch.rows = [row for row in batch.rows if row["line"] in rejected_lines]
    batch.problems = [problem.as_dict() for problem in validation.problems]
    batch.imported_at = timezone.now()
    batch.save()
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.IMPORTED,
        subject=batch,
        changes={
            "program": [None, str(program)],
            "mode": [None, mode],
            "rows": [None, batch.row_count],
            "organizations_created": [None, created],
            "rows_rejected": [None, len(rejected)],
        },
        note=batch.file_name,
    )
    return ImportOutcome(is_imported=True, created=created, rejected=len(rejected))


def participations_bulk_add(
    *, actor, program: Program, organizations: Sequence[Organization], source: str
) -> list[Participation]:
    """Enrol organizations just added to the registry in ``program``, in a few statements.

    Unlike ``participation_add`` it does not look for an existing participation: a new
    organization has none, and the ``participation_once_per_program`` constraint stays the guard.
    Each enrolment is logged on its organization, as ``participation_add`` does.
    """
    participations = Participation.objects.bulk_create(
        [Participation(program=program, organization=organization, source=source) for organization in organizations],
        batch_size=BULK_BATCH_SIZE,
    )
    log_activities_bulk(
        build_entry(
            actor=actor,
            verb=ActivityLogEntry.Verb.JOINED,
            subject=organization,
            changes={"program": [None, str(program)]},
        )
        for organization in organizations
    )
    return participations


def _check(*, actor, batch: ImportBatch, program: Program) -> Validation:
    """The rows of the batch checked against the registry as it is now (a few queries for the whole file)."""
    return validate_table(
        {"headers": batch.headers, "rows": batch.rows},
        allowed_regions=allowed_region_ids(actor, program.pk),
        default_kind=batch.default_kind,
    )


def _write_in_bulk(*, actor, program: Program, validation: Validation, all_or_nothing: bool) -> int:
    """Write the valid rows in bulk; return how many organizations were created.

    Rows that the models refuse get their problems: in all-or-nothing mode nothing is written
    (``_RollBack``); otherwise the other rows are written. A ``DatabaseError`` leaves nothing written.
    """
    rows = validation.valid_rows
    try:
        return _write_rows_in_bulk(actor=actor, program=program, rows=rows)
    except RowsRefused as refused:
        for row, error in refused.errors:
            row.problems += _problems_from_error(row, error, validation)
        if all_or_nothing:
            raise _RollBack from refused
    return _write_rows_in_bulk(actor=actor, program=program, rows=[row for row in rows if row.is_valid])


def _write_rows_in_bulk(*, actor, program: Program, rows: list[CheckedRow]) -> int:
    # A savepoint: when the database refuses the write, the transaction stays usable and unchanged.
    with transaction.atomic():
        organizations = organizations_bulk_create(actor=actor, rows=rows, verb=ActivityLogEntry.Verb.IMPORTED)
        participations_bulk_add(
            actor=actor, program=program, organizations=organizations, source=Participation.Source.IMPORT
        )
    return len(organizations)


def _write_row_by_row(*, actor, program: Program, validation: Validation) -> int:
    """Write the valid rows one at a time through the services, keeping each one that can be written.

    Slow (a few dozen statements per row), so used only after the bulk write was refused, in
    "only the valid rows" mode: the rows that fail get their problems and the others are written.
    """
    created = 0
    for row in validation.valid_rows:
        try:
            # A savepoint per row: a row that fails leaves no organization without its contact.
            with transaction.atomic():
                organization = imported_organization_create(actor=actor, row=row)
                participation_add(
                    actor=actor, program=program, organization=organization, source=Participation.Source.IMPORT
                )
        except (ValidationError, DatabaseError) as error:
            row.problems += _problems_from_error(row, error, validation)
        else:
            created += 1
    return created


def _refuse(batch: ImportBatch, validation: Validation) -> ImportOutcome:
    """Nothing is written; the batch keeps the problems found now, for the preview and the report."""
    batch.problems = [problem.as_dict() for problem in validation.problems]
    batch.rejected_count = len(validation.rejected_rows)
    batch.save(update_fields=["problems", "rejected_count", "updated_at"])
    return ImportOutcome(is_imported=False, created=0, rejected=batch.rejected_count)


def _problems_from_error(row: CheckedRow, error: Exception, validation: Validation) -> list[Problem]:
    """The problems of a row refused by a service, in the column the service named when it did."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        problems = []
        for field, messages in error.message_dict.items():
            column = validation.header(field) if field != NON_FIELD_ERRORS else ""
            value = row.values.get(FIELD_COLUMNS.get(field, field), "")
            problems += [Problem(row.line, column, value, str(message)) for message in messages]
        return problems
    if isinstance(error, ValidationError):
        return [Problem(row.line, "", "", str(message)) for message in error.messages]
    return [Problem(row.line, "", "", str(ROW_NOT_WRITTEN))]
