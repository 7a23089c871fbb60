"""The activity log: every service records who did what, to which object, with which changes."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import ActivityLogEntry


def _plain(value: Any) -> Any:
    """Turn a field value into something JSON can hold and a person can read."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, for a later :func:`diff`."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def build_entry(
    *,
    actor,
    verb: str,
    subject: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> ActivityLogEntry:
    """The entry :func:`log_activity` writes, not saved yet: for :func:`log_activities_bulk`."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label = actor.get_full_name() or actor.email
        actor_user = actor
    else:
        actor_label = ""
        actor_user = None
    return ActivityLogEntry(
        actor=actor_user,
        actor_label=actor_label[:255],
        verb=verb,
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        object_id=str(subject.pk),
        object_label=str(subject)[:255],
        changes={name: [_plain(old), _plain(new)] for name, (old, new) in (changes or {}).items()},
        note=note[:500],
    )


def log_activity(
    *,
    actor,
    verb: str,
    subject: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> ActivityLogEntry:
    entry = build_entry(actor=actor, verb=verb, subject=subject, changes=changes, note=note)
    entry.save(force_insert=True)
    return entry


def log_activities_bulk(entries: Iterable[ActivityLogEntry]) -> list[ActivityLogEntry]:
    """Write many entries made by :func:`build_entry` in a few INSERT statements (imports).

    The entries are new rows, so the log stays append-only; they keep the order given. At most
    1,000 rows go in one statement, to bound its size (SQLite lowers that to its own limit).
    """
    return ActivityLogEntry.objects.bulk_create(list(entries), batch_size=1000)


def history_for(subject: models.Model):
    """Entries about ``subject``, newest first, with their actors in the same query."""
    return ActivityLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        object_id=str(subject.pk),
    ).select_related("actor", "content_type")


# Labels for change keys that are not model fields (a program's targets, its members…), keyed by
# the model's label ("programs.program"). Apps register theirs in AppConfig.ready().
EXTRA_CHANGE_LABELS: dict[str, dict[str, Any]] = {}


def register_change_labels(model_label: str, labels: dict[str, Any]) -> None:
    EXTRA_CHANGE_LABELS.setdefault(model_label.lower(), {}).update(labels)


def _display(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "∅"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if value is True:
        return "✓"
    if value is False:
        return "✗"
    return str(value)


def describe_changes(entry: ActivityLogEntry) -> list[tuple[str, str, str]]:
    """``(label, old, new)`` for each change of ``entry``, with the fields' translated names."""
    model = entry.content_type.model_class()
    extra = EXTRA_CHANGE_LABELS.get(entry.content_type.app_label + "." + entry.content_type.model, {})
    rows = []
    for name, values in entry.changes.items():
        old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        label = extra.get(name)
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # A key that is not a field keeps its own name.
                field = None
        if label is None:
            label = getattr(field, "verbose_name", name)
        if field is not None and getattr(field, "flatchoices", None):
            # Show "Small or medium-sized enterprise (SME)" rather than the stored code "sme".
            choices = {str(key): value for key, value in field.flatchoices}
            old, new = choices.get(str(old), old), choices.get(str(new), new)
        rows.append((str(label), _display(old), _display(new)))
    return rows
