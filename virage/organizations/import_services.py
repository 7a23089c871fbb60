"""Writes of the organization import that do not involve programs.

Holding an uploaded file until its uploader confirms it, cancelling it, and writing one checked
row (the organization and its contact) through the ordinary services, so an imported organization
is checked and logged exactly like one typed in the form. Enrolling the organizations in the
program, which needs the programs app, is ``virage.programs.import_services.organizations_import``.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from virage.core.models import ActivityLogEntry

from .imports import CheckedRow, Table, allowed_region_ids, stored_table, validate_table
from .models import ImportBatch, Organization
from .services import organization_create, person_create

BATCH_NOT_PENDING = _("This file was already imported or cancelled.")


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
