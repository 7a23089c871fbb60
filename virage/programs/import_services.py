"""The confirmation of an organization import: write the rows and enrol them in the program.

It lives in programs because it enrols organizations in a program; the reading and checking of
the file, and the writing of each organization, are in ``virage.organizations``.
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.core.activity import log_activity
from virage.core.models import ActivityLogEntry
from virage.organizations.import_services import BATCH_NOT_PENDING, imported_organization_create
from virage.organizations.imports import (
    FIELD_COLUMNS,
    CheckedRow,
    Problem,
    Validation,
    allowed_region_ids,
    validate_table,
)
from virage.organizations.models import ImportBatch

from .models import Participation, Program
from .services import participation_add

WRONG_PROGRAM = _("This file was uploaded for another program.")
UNKNOWN_MODE = _("Choose how to import the file: all or nothing, or only the valid rows.")
ROW_NOT_WRITTEN = _("This row could not be saved. Try again; if it fails again, tell the platform administrator.")


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

    The rows are checked again first, because the registry may have changed since the preview.
    ``all_or_nothing`` writes nothing if any row has a problem (or fails while being written);
    ``valid_only`` writes the valid rows and keeps the others, with their problems, for the report.
    Each organization is logged as imported, and the batch gets one summary entry.
    """
    if mode not in ImportBatch.Mode.values:
        raise ValidationError(UNKNOWN_MODE)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(BATCH_NOT_PENDING)
    if batch.program_id != program.pk:
        raise ValidationError(WRONG_PROGRAM)

    validation = validate_table(
        {"headers": batch.headers, "rows": batch.rows},
        allowed_regions=allowed_region_ids(actor, program.pk),
        default_kind=batch.default_kind,
    )
    all_or_nothing = mode == ImportBatch.Mode.ALL_OR_NOTHING
    if not validation.valid_rows or (all_or_nothing and validation.rejected_rows):
        return _refuse(batch, validation)

    created = 0
    try:
        with transaction.atomic():
            for row in validation.valid_rows:
                try:
                    # A savepoint per row: a row that fails leaves no organization without its contact.
                    with transaction.atomic():
                        organization = imported_organization_create(actor=actor, row=row)
                        participation_add(
                            actor=actor, program=program, organization=organization, source=Participation.Source.IMPORT
                        )
                except (ValidationError, DatabaseError) as error:
                    # Rare: the registry changed between the check above and this write.
                    row.problems += _problems_from_error(row, error, validation)
                    if all_or_nothing:
                        raise _RollBack from error
                else:
                    created += 1
    except _RollBack:
        return _refuse(batch, validation)

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
