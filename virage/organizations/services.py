"""Every write to organizations, people and consents. Each call is one transaction and one log entry."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.core.activity import diff, log_activity, snapshot
from virage.core.errors import ConfirmationRequired, DuplicateError
from virage.core.models import ActivityLogEntry

from .identifiers import normalize_charity_number, normalize_neq, normalize_postal_code
from .models import Consent, Organization, Person
from .phones import normalize_phone
from .selectors import similar_organizations

DUPLICATE_NEQ = _("An organization with this Quebec enterprise number (NEQ) is already registered: %(name)s.")
DUPLICATE_CHARITY = _("An organization with this charity registration number is already registered: %(name)s.")
SIMILAR_NAME = _(
    "Organizations with a similar name are already registered in this municipality. "
    "Check that yours is not one of them, then confirm."
)
DUPLICATE_PERSON_EMAIL = _("A person with this e-mail address is already a contact of this organization.")
MERGE_INTO_ITSELF = _("An organization cannot be merged into itself.")
MERGE_TARGET_ARCHIVED = _("An organization cannot be merged into an archived one.")
NOT_PENDING = _("Only a registration waiting for validation can be validated or merged.")

# Fields a person may change on an organization, in the order forms show them.
ORGANIZATION_FIELDS = (
    "kind",
    "legal_name",
    "usual_name",
    "neq",
    "charity_number",
    "address",
    "postal_code",
    "municipality",
    "sector",
    "mission",
    "employees_band",
    "volunteers_band",
    "budget_band",
    "website",
)
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "role_title", "preferred_language", "is_primary")
PRIVACY_NOTICE_VERSION = "2026-11"


def _clean_identifiers(data: dict[str, Any]) -> dict[str, Any]:
    """Normalize identifiers; collect every problem before raising so a form shows them all."""
    cleaned = dict(data)
    errors: dict[str, list] = {}
    for field, normalize in (
        ("neq", normalize_neq),
        ("charity_number", normalize_charity_number),
        ("postal_code", normalize_postal_code),
    ):
        value = (cleaned.get(field) or "").strip()
        if not value:
            cleaned[field] = ""
            continue
        try:
            cleaned[field] = normalize(value)
        except ValidationError as error:
            errors[field] = error.messages
    for field in ("legal_name", "usual_name", "address", "mission", "website"):
        if isinstance(cleaned.get(field), str):
            cleaned[field] = cleaned[field].strip()
    # Django checks a TextField's max_length only in forms; imports and the API need it here too.
    mission = cleaned.get("mission")
    if isinstance(mission, str):
        try:
            MaxLengthValidator(Organization._meta.get_field("mission").max_length)(mission)
        except ValidationError as error:
            errors["mission"] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_unique_identifiers(organization: Organization) -> None:
    others = Organization.objects.exclude(pk=organization.pk)
    if organization.neq:
        existing = others.filter(neq=organization.neq).first()
        if existing:
            raise DuplicateError(DUPLICATE_NEQ % {"name": existing}, existing=existing, field="neq")
    if organization.charity_number:
        existing = others.filter(charity_number=organization.charity_number).first()
        if existing:
            raise DuplicateError(DUPLICATE_CHARITY % {"name": existing}, existing=existing, field="charity_number")


def _validate(organization: Organization) -> None:
    organization.refresh_derived_fields()
    # Identifiers first, so a duplicate gets its own message and a link rather than a constraint name.
    _check_unique_identifiers(organization)
    organization.full_clean(exclude=["name_folded", "mrc", "region"])


def _save(organization: Organization) -> None:
    _validate(organization)
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as error:
        # Two people registering the same NEQ at the same moment: the constraint decides.
        _check_unique_identifiers(organization)
        raise ValidationError(str(error)) from error


@transaction.atomic
def organization_create(
    *,
    actor,
    data: dict[str, Any],
    status: str = Organization.Status.ACTIVE,
    confirm_similar: bool = False,
    log_verb: str = ActivityLogEntry.Verb.CREATED,
) -> Organization:
    """Register an organization.

    Raises ``DuplicateError`` when its NEQ or charity number is already registered, and
    ``ConfirmationRequired`` when a similar name exists in the same municipality, unless
    ``confirm_similar`` is true.
    """
    cleaned = _clean_identifiers(data)
    organization = Organization(status=status, **{key: cleaned[key] for key in ORGANIZATION_FIELDS if key in cleaned})
    if organization.municipality_id:
        organization.refresh_derived_fields()
    _check_unique_identifiers(organization)
    organization.full_clean(exclude=["name_folded", "mrc", "region"])
    if not confirm_similar:
        candidates = list(
            similar_organizations(
                legal_name=organization.legal_name,
                usual_name=organization.usual_name,
                municipality_id=organization.municipality_id,
            )
        )
        if candidates:
            raise ConfirmationRequired(SIMILAR_NAME, candidates=candidates)
    _save(organization)
    log_activity(
        actor=actor,
        verb=log_verb,
        subject=organization,
        changes={name: [None, value] for name, value in snapshot(organization, ORGANIZATION_FIELDS).items() if value},
    )
    return organization


@transaction.atomic
def organization_update(*, actor, organization: Organization, data: dict[str, Any]) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(organization, ORGANIZATION_FIELDS)
    cleaned = _clean_identifiers(data)
    for key in ORGANIZATION_FIELDS:
        if key in cleaned:
            setattr(organization, key, cleaned[key])
    _save(organization)
    changes = diff(before, snapshot(organization, ORGANIZATION_FIELDS))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=organization, changes=changes)
    return organization


@transaction.atomic
def organization_archive(*, actor, organization: Organization, reason: str = "") -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    previous = organization.status
    organization.status = Organization.Status.ARCHIVED
    organization.save(update_fields=["status", "updated_at"])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.ARCHIVED,
        subject=organization,
        changes={"status": [previous, organization.status]},
        note=reason,
    )
    return organization


@transaction.atomic
def organization_restore(*, actor, organization: Organization) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    organization.status = Organization.Status.ACTIVE
    organization.save(update_fields=["status", "updated_at"])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.RESTORED,
        subject=organization,
        changes={"status": [Organization.Status.ARCHIVED, Organization.Status.ACTIVE]},
    )
    return organization


@transaction.atomic
def registration_validate(*, actor, organization: Organization) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status != Organization.Status.PENDING:
        raise ValidationError(NOT_PENDING)
    organization.status = Organization.Status.ACTIVE
    organization.save(update_fields=["status", "updated_at"])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.VALIDATED,
        subject=organization,
        changes={"status": [Organization.Status.PENDING, Organization.Status.ACTIVE]},
    )
    return organization


@transaction.atomic
def registration_merge(*, actor, organization: Organization, into: Organization) -> Organization:
    """Move a pending registration's people (and their consents) to an existing organization."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    into = Organization.objects.select_for_update().get(pk=into.pk)
    if organization.status != Organization.Status.PENDING:
        raise ValidationError(NOT_PENDING)
    if organization.pk == into.pk:
        raise ValidationError(MERGE_INTO_ITSELF)
    if into.status == Organization.Status.ARCHIVED:
        raise ValidationError(MERGE_TARGET_ARCHIVED)
    existing_emails = set(into.people.exclude(email="").values_list("email", flat=True))
    moved = []
    for person in organization.people.all():
        if person.email and person.email in existing_emails:
            continue
        person.organization = into
        person.save(update_fields=["organization", "updated_at"])
        moved.append(person.full_name)
    for participation in organization.participations.all():
        if not into.participations.filter(program_id=participation.program_id).exists():
            participation.organization = into
            participation.save(update_fields=["organization", "updated_at"])
    for membership in organization.memberships.all():
        membership.organizations.add(into)
        membership.organizations.remove(organization)
    organization.status = Organization.Status.ARCHIVED
    organization.merged_into = into
    organization.save(update_fields=["status", "merged_into", "updated_at"])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.MERGED,
        subject=organization,
        changes={
            "status": [Organization.Status.PENDING, Organization.Status.ARCHIVED],
            "merged_into": [None, str(into)],
        },
    )
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.MERGED,
        subject=into,
        changes={"people": [None, moved]},
        note=str(organization),
    )
    return into


def _clean_person(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: data[key] for key in PERSON_FIELDS if key in data}
    for key in ("first_name", "last_name", "role_title"):
        if isinstance(cleaned.get(key), str):
            cleaned[key] = cleaned[key].strip()
    if isinstance(cleaned.get("email"), str):
        cleaned["email"] = cleaned["email"].strip().lower()
    if cleaned.get("phone"):
        try:
            cleaned["phone"] = normalize_phone(cleaned["phone"])
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error
    return cleaned


def _save_person(person: Person) -> None:
    if (
        person.email
        and Person.objects.filter(organization_id=person.organization_id, email=person.email)
        .exclude(pk=person.pk)
        .exists()
    ):
        raise ValidationError({"email": [DUPLICATE_PERSON_EMAIL]})
    person.full_clean(exclude=["user"])
    person.save()


@transaction.atomic
def person_create(*, actor, organization: Organization, data: dict[str, Any]) -> Person:
    person = Person(organization=organization, **_clean_person(data))
    _save_person(person)
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CREATED,
        subject=person,
        changes={name: [None, value] for name, value in snapshot(person, PERSON_FIELDS).items() if value},
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict[str, Any]) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS)
    for key, value in _clean_person(data).items():
        setattr(person, key, value)
    _save_person(person)
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=person, changes=changes)
    return person


@transaction.atomic
def person_archive(*, actor, person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.is_active = False
    person.save(update_fields=["is_active", "updated_at"])
    log_activity(actor=actor, verb=ActivityLogEntry.Verb.ARCHIVED, subject=person, changes={"is_active": [True, False]})
    return person


@transaction.atomic
def consents_record(*, actor, person: Person, answers: dict[str, bool]) -> list[Consent]:
    """Record a person's answer for each purpose; an unanswered purpose counts as refused."""
    now = timezone.now()
    consents = []
    for purpose in Consent.Purpose.values:
        given = bool(answers.get(purpose, False))
        consents.append(
            Consent.objects.create(
                person=person,
                purpose=purpose,
                is_given=given,
                notice_version=PRIVACY_NOTICE_VERSION,
                answered_at=now,
            )
        )
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CONSENTED,
        subject=person,
        changes={purpose: [None, bool(answers.get(purpose, False))] for purpose in Consent.Purpose.values},
        note=f"{settings.OPERATOR_NAME} / {PRIVACY_NOTICE_VERSION}",
    )
    return consents
