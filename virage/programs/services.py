"""Writes to programs: the program itself, its targets, its members and its organizations."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from virage.accounts.models import Membership, Role
from virage.accounts.scope import forget_scope
from virage.accounts.services import send_set_password_email, user_get_or_create
from virage.core.activity import diff, log_activity, snapshot
from virage.core.models import ActivityLogEntry
from virage.organizations.models import Organization
from virage.organizations.services import consents_record, organization_create, person_create

from .models import FundingAgreement, Participation, Program, Target

PROGRAM_FIELDS = ("slug", "name_fr", "name_en", "description_fr", "description_en", "operator", "starts_on", "ends_on")
COORDINATOR_NEEDS_REGIONS = _("A regional coordinator needs at least one region.")
CONTACT_NEEDS_ORGANIZATION = _("An organization contact needs their organization.")
ALREADY_MEMBER = _("%(person)s already has this role in this program.")
REGISTRATIONS_CLOSED = _("This program does not accept registrations at the moment.")
LAST_MANAGER = _("A program keeps at least one program manager.")


@transaction.atomic
def program_create(*, actor, data: dict[str, Any], partners=(), regions=()) -> Program:
    program = Program(**{key: data[key] for key in PROGRAM_FIELDS if key in data})
    program.full_clean()
    program.save()
    program.partners.set(partners)
    program.regions.set(regions)
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CREATED,
        subject=program,
        changes={name: [None, value] for name, value in snapshot(program, PROGRAM_FIELDS).items() if value},
    )
    return program


@transaction.atomic
def program_update(*, actor, program: Program, data: dict[str, Any], partners=None, regions=None) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    before = snapshot(program, PROGRAM_FIELDS)
    before_related = {
        "partners": sorted(str(p) for p in program.partners.all()),
        "regions": sorted(str(r) for r in program.regions.all()),
    }
    for key in PROGRAM_FIELDS:
        if key in data:
            setattr(program, key, data[key])
    program.full_clean()
    program.save()
    if partners is not None:
        program.partners.set(partners)
    if regions is not None:
        program.regions.set(regions)
    changes = diff(before, snapshot(program, PROGRAM_FIELDS))
    after_related = {
        "partners": sorted(str(p) for p in program.partners.all()),
        "regions": sorted(str(r) for r in program.regions.all()),
    }
    changes.update(diff(before_related, after_related))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=program, changes=changes)
    return program


@transaction.atomic
def target_set(*, actor, program: Program, indicator: str, value: Decimal | None, due_on=None) -> Target | None:
    """Set, change or (with no value) remove the program's target for one indicator."""
    target = Target.objects.filter(program=program, indicator=indicator).first()
    old = target.value if target else None
    if value in (None, ""):
        if target:
            target.delete()
            log_activity(
                actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=program, changes={indicator: [str(old), None]}
            )
        return None
    target = target or Target(program=program, indicator=indicator)
    target.value = Decimal(value)
    target.due_on = due_on
    target.full_clean()
    target.save()
    if old != target.value:
        log_activity(
            actor=actor,
            verb=ActivityLogEntry.Verb.UPDATED,
            subject=program,
            changes={indicator: [None if old is None else str(old), str(target.value)]},
        )
    return target


@transaction.atomic
def membership_invite(
    *,
    actor,
    program: Program,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "fr",
    regions=(),
    organizations=(),
) -> Membership:
    """Give a person a role in a program, creating their account (and e-mailing them) if needed."""
    regions, organizations = list(regions), list(organizations)
    if role == Role.REGIONAL_COORDINATOR and not regions:
        raise ValidationError({"regions": [COORDINATOR_NEEDS_REGIONS]})
    if role == Role.ORGANIZATION_CONTACT and not organizations:
        raise ValidationError({"organizations": [CONTACT_NEEDS_ORGANIZATION]})
    user, created = user_get_or_create(
        actor=actor, email=email, first_name=first_name, last_name=last_name, language=language
    )
    membership = Membership.objects.filter(user=user, program=program, role=role).first()
    if membership and membership.is_active:
        raise ValidationError({"email": [ALREADY_MEMBER % {"person": user}]})
    if membership is None:
        membership = Membership(user=user, program=program, role=role, invited_by=actor)
    membership.is_active = True
    membership.full_clean()
    membership.save()
    membership.regions.set(regions if role == Role.REGIONAL_COORDINATOR else [])
    membership.organizations.set(organizations if role in (Role.COACH, Role.ORGANIZATION_CONTACT) else [])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.INVITED,
        subject=program,
        changes={
            "member": [None, user.email],
            "role": [None, str(Role(role).label)],
            "regions": [None, [str(region) for region in regions]],
            "organizations": [None, [str(organization) for organization in organizations]],
        },
    )
    if created:
        reason = _("You have been invited to the program %(program)s.") % {"program": program}
        send_set_password_email(user, reason=str(reason))
    forget_scope(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.PROGRAM_MANAGER and not (
        Membership.objects.filter(program=membership.program, role=Role.PROGRAM_MANAGER, is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(LAST_MANAGER)
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.REVOKED,
        subject=membership.program,
        changes={"member": [membership.user.email, None], "role": [str(membership.get_role_display()), None]},
    )
    forget_scope(membership.user)
    return membership


def participation_add(*, actor, program: Program, organization: Organization, source: str) -> Participation:
    participation, created = Participation.objects.get_or_create(
        program=program, organization=organization, defaults={"source": source}
    )
    if created:
        log_activity(
            actor=actor,
            verb=ActivityLogEntry.Verb.JOINED,
            subject=organization,
            changes={"program": [None, str(program)]},
        )
    return participation


@transaction.atomic
def organization_create_in_program(
    *, actor, program: Program | None, data: dict[str, Any], confirm_similar: bool = False
) -> Organization:
    """Register an organization and, when a program is given, enrol it in that program."""
    organization = organization_create(actor=actor, data=data, confirm_similar=confirm_similar)
    if program is not None:
        participation_add(actor=actor, program=program, organization=organization, source=Participation.Source.STAFF)
    return organization


@transaction.atomic
def organization_self_register(
    *,
    program: Program,
    organization_data: dict[str, Any],
    contact_data: dict[str, Any],
    consents: dict[str, bool],
) -> Organization:
    """An organization registers itself: pending organization, first contact, consents, account.

    The contact receives an e-mail to choose a password; staff validate or merge the registration.
    Similar names are not refused here (the public cannot see the registry): staff will merge.
    """
    if not (program.is_active and program.accepts_registrations):
        raise ValidationError(REGISTRATIONS_CLOSED)
    organization = organization_create(
        actor=None,
        data=organization_data,
        status=Organization.Status.PENDING,
        confirm_similar=True,
        log_verb=ActivityLogEntry.Verb.REGISTERED,
    )
    participation_add(
        actor=None, program=program, organization=organization, source=Participation.Source.SELF_REGISTRATION
    )
    person = person_create(actor=None, organization=organization, data={**contact_data, "is_primary": True})
    consents_record(actor=None, person=person, answers=consents)
    user, created = user_get_or_create(
        actor=None,
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        language=person.preferred_language,
    )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    membership, _created = Membership.objects.get_or_create(
        user=user, program=program, role=Role.ORGANIZATION_CONTACT, defaults={"is_active": True}
    )
    membership.organizations.add(organization)
    if created:
        send_set_password_email(
            user, reason=str(_("Your organization's registration to %(program)s was received.") % {"program": program})
        )
    return organization


@transaction.atomic
def funding_agreement_create(
    *, actor, program: Program, funder: Organization, title: str, amount: Decimal, starts_on, ends_on
) -> FundingAgreement:
    """Record money that a funder commits to the program; logged on the program's history."""
    agreement = FundingAgreement(
        program=program,
        funder=funder,
        title=title.strip(),
        amount=Decimal(amount),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    agreement.full_clean()
    agreement.save()
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=program,
        changes={"funding_agreement": [None, str(agreement)], "amount": [None, agreement.amount]},
    )
    return agreement
