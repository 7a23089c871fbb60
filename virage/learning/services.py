"""Every write to learning: competencies, paths, modules, cohorts, enrollments, progress, attestations.

Each service is one transaction, validates with ``full_clean()``, writes the activity log and sends
its e-mails once the transaction commits. Seats in a cohort are given under a lock on its row, as
for events. Progress changes recompute the enrollment's counters (hours, completion) and issue the
attestation the moment the completion rules are met, once.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.accounts.models import Membership, Role
from virage.core.activity import diff, log_activity, snapshot
from virage.core.models import ActivityLogEntry
from virage.events.models import Event, Registration
from virage.events.services import event_create, registration_cancel, registration_create

from . import completion, notifications, tallies
from .models import (
    Attestation,
    Cohort,
    CohortPhase,
    CohortSession,
    Competency,
    Enrollment,
    LearningPath,
    Module,
    ModuleProgress,
)

ALREADY_ENROLLED = _("This person is already enrolled in this cohort.")
COHORT_NOT_OPEN = _("This cohort is not open for enrollment.")
COHORT_CANCELLED = _("This cohort is cancelled.")
PRIVATE_COHORT = _("This cohort is reserved for the people of another organization.")
PREREQUISITES_NOT_MET = _("The prerequisites of this path are not met: %(missing)s")
NOT_ACTIVE = _("This enrollment is already cancelled.")
MENTOR_NOT_COACH = _("The mentor must be a coach of the program.")
MENTOR_ONLY_LEADERSHIP = _("Mentors are paired with leaders in leadership paths only.")
LIVE_MODULE_BY_ATTENDANCE = _(
    "A live module is completed by attending its session: take the roll call or import the attendance report."
)
MODULE_NOT_IN_PATH = _("This module is not part of the cohort's path.")
ENROLLMENT_NOT_ACTIVE = _("Progress is recorded for enrolled learners only.")
DECLARE_ONLY_SELF_PACED = _("Only self-paced and coaching modules can be declared by the learner.")
ALREADY_COMPLETED = _("This module is already completed.")
NOT_COMPLETE = _("The completion rules are not met: %(missing)s")
ALREADY_REVOKED = _("This attestation is already revoked.")
REASON_REQUIRED = _("Give the reason for the revocation.")
CANNOT_SEND_REVOKED = _("A revoked attestation is not sent.")
SESSION_MODULE_NOT_LIVE = _("Sessions are scheduled for live modules (live session or in-person workshop).")
PHASE_OUTSIDE_COHORT = _("A phase must fall within the cohort's dates.")

PATH_FIELDS = (
    "program",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "audience",
    "kind",
    "status",
    "prerequisite_event_kind",
)
MODULE_FIELDS = (
    "position",
    "title_fr",
    "title_en",
    "objectives_fr",
    "objectives_en",
    "expected_hours",
    "format",
    "is_required",
    "phase",
)
COHORT_FIELDS = ("name", "starts_on", "ends_on", "capacity", "language", "region", "client_organization", "status")


def _created(actor, subject, fields) -> None:
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CREATED,
        subject=subject,
        changes={name: [None, value] for name, value in snapshot(subject, fields).items() if value not in ("", None)},
    )


def _apply(instance, data: dict[str, Any], fields) -> dict:
    before = snapshot(instance, fields)
    for key in fields:
        if key in data:
            setattr(instance, key, data[key])
    return before


# Competencies


@transaction.atomic
def competency_create(*, program, name_fr: str, name_en: str = "", description_fr="", description_en="", actor):
    competency = Competency(
        program=program,
        name_fr=name_fr.strip(),
        name_en=name_en.strip(),
        description_fr=description_fr.strip(),
        description_en=description_en.strip(),
    )
    competency.full_clean()
    competency.save()
    _created(actor, competency, ("name_fr", "name_en"))
    return competency


@transaction.atomic
def competency_update(*, competency: Competency, data: dict[str, Any], actor) -> Competency:
    fields = ("name_fr", "name_en", "description_fr", "description_en")
    competency = Competency.objects.select_for_update().get(pk=competency.pk)
    before = _apply(competency, {key: str(value).strip() for key, value in data.items()}, fields)
    competency.full_clean()
    competency.save()
    changes = diff(before, snapshot(competency, fields))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=competency, changes=changes)
    return competency


# Paths and modules


@transaction.atomic
def path_create(*, data: dict[str, Any], prerequisite_paths=(), actor) -> LearningPath:
    path = LearningPath(**{key: data[key] for key in PATH_FIELDS if key in data})
    path.full_clean()
    path.save()
    path.prerequisite_paths.set([other for other in prerequisite_paths if other.program_id == path.program_id])
    _created(actor, path, PATH_FIELDS)
    return path


@transaction.atomic
def path_update(*, path: LearningPath, data: dict[str, Any], prerequisite_paths=None, actor) -> LearningPath:
    path = LearningPath.objects.select_for_update().get(pk=path.pk)
    fields = tuple(name for name in PATH_FIELDS if name != "program")
    before = _apply(path, data, fields)
    path.full_clean()
    path.save()
    changes = diff(before, snapshot(path, fields))
    if prerequisite_paths is not None:
        before_ids = sorted(path.prerequisite_paths.values_list("pk", flat=True))
        kept = [other for other in prerequisite_paths if other.program_id == path.program_id and other.pk != path.pk]
        path.prerequisite_paths.set(kept)
        after_ids = sorted(other.pk for other in kept)
        if before_ids != after_ids:
            changes["prerequisite_paths"] = [before_ids, after_ids]
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=path, changes=changes)
    return path


@transaction.atomic
def module_create(*, path: LearningPath, data: dict[str, Any], competencies=(), actor) -> Module:
    module = Module(path=path, **{key: data[key] for key in MODULE_FIELDS if key in data})
    if "position" not in data:
        module.position = (path.modules.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    module.full_clean()
    module.save()
    module.competencies.set([competency for competency in competencies if competency.program_id == path.program_id])
    _created(actor, module, MODULE_FIELDS)
    return module


@transaction.atomic
def module_update(*, module: Module, data: dict[str, Any], competencies=None, actor) -> Module:
    module = Module.objects.select_for_update().select_related("path").get(pk=module.pk)
    before = _apply(module, data, MODULE_FIELDS)
    module.full_clean()
    module.save()
    if competencies is not None:
        module.competencies.set(
            [competency for competency in competencies if competency.program_id == module.path.program_id]
        )
    changes = diff(before, snapshot(module, MODULE_FIELDS))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=module, changes=changes)
    return module


# Cohorts, phases and sessions


@transaction.atomic
def cohort_create(*, path: LearningPath, data: dict[str, Any], facilitators=(), actor) -> Cohort:
    cohort = Cohort(path=path, program_id=path.program_id, **{key: data[key] for key in COHORT_FIELDS if key in data})
    cohort.full_clean()
    cohort.save()
    cohort.facilitators.set(facilitators)
    _created(actor, cohort, COHORT_FIELDS)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, data: dict[str, Any], facilitators=None, actor) -> Cohort:
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    before = _apply(cohort, data, COHORT_FIELDS)
    cohort.full_clean()
    cohort.save()
    if facilitators is not None:
        cohort.facilitators.set(facilitators)
    changes = diff(before, snapshot(cohort, COHORT_FIELDS))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=cohort, changes=changes)
    # A larger capacity (or none) lets the waiting list move up.
    _promote_waitlisted(cohort, actor=actor)
    return cohort


@transaction.atomic
def cohort_phase_create(
    *, cohort: Cohort, number: int, title_fr: str, title_en: str = "", starts_on, ends_on, actor
) -> CohortPhase:
    phase = CohortPhase(
        cohort=cohort,
        number=number,
        title_fr=title_fr.strip(),
        title_en=title_en.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    phase.full_clean()
    if starts_on < cohort.starts_on or ends_on > cohort.ends_on:
        raise ValidationError({"starts_on": [PHASE_OUTSIDE_COHORT]}, code="phase_outside_cohort")
    phase.save()
    _created(actor, phase, ("number", "title_fr", "starts_on", "ends_on"))
    return phase


@transaction.atomic
def cohort_session_create(*, cohort: Cohort, module: Module, event_data: dict[str, Any], actor) -> CohortSession:
    """Schedule a live session of ``module``: an event of the program, every enrolled learner registered.

    The event is kept off the public calendar (a draft): people join it by enrolling in the cohort,
    which registers them; its roll call and attendance imports are those of any event.
    """
    if module.path_id != cohort.path_id:
        raise ValidationError(MODULE_NOT_IN_PATH, code="module_not_in_path")
    if not module.is_live:
        raise ValidationError(SESSION_MODULE_NOT_LIVE, code="module_not_live")
    kind = Event.Kind.WORKSHOP if module.format == Module.Format.WORKSHOP else Event.Kind.TRAINING_SESSION
    data = {
        "program": cohort.program,
        "kind": kind,
        "title_fr": f"{cohort.name} — {module.title_fr}"[:200],
        "title_en": f"{cohort.name} — {module.title_en}"[:200] if module.title_en else "",
        "language": cohort.language,
        "region": cohort.region,
        "capacity": None,
        "status": Event.Status.DRAFT,
        **event_data,
    }
    event = event_create(actor=actor, data=data)
    session = CohortSession.objects.create(cohort=cohort, module=module, event=event)
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CREATED,
        subject=session,
        changes={"event": [None, str(event)], "module": [None, str(module)]},
    )
    enrolled = Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ENROLLED).select_related("person")
    for enrollment in enrolled:
        _register_to_session(enrollment, event, actor=actor)
    return session


def _register_to_session(enrollment: Enrollment, event: Event, *, actor) -> None:
    person = enrollment.person
    if not person.email:
        return
    exists = (
        Registration.objects.filter(event=event, email__iexact=person.email)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    )
    if not exists:
        registration_create(
            event=event,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            language=person.preferred_language or "fr",
            organization=enrollment.organization,
            person=person,
            source=Registration.Source.STAFF,
            actor=actor,
        )


def _register_to_sessions(enrollment: Enrollment, *, actor) -> None:
    events = Event.objects.filter(cohort_session__cohort_id=enrollment.cohort_id).exclude(status=Event.Status.CANCELLED)
    for event in events:
        _register_to_session(enrollment, event, actor=actor)


def _unregister_from_future_sessions(enrollment: Enrollment, *, actor) -> None:
    registrations = Registration.objects.filter(
        event__cohort_session__cohort_id=enrollment.cohort_id,
        person_id=enrollment.person_id,
        event__starts_at__gt=timezone.now(),
    ).exclude(status=Registration.Status.CANCELLED)
    for registration in registrations:
        registration_cancel(registration=registration, actor=actor)


# Enrollments


def _seats_taken(cohort: Cohort) -> int:
    return cohort.enrollments.filter(status=Enrollment.Status.ENROLLED).count()


def prerequisites_missing(cohort: Cohort, enrollment: Enrollment) -> list[str]:
    """The prerequisites of the cohort's path that ``enrollment``'s learner has not met."""
    rules = completion.load_rules(cohort)
    facts = completion.load_facts(rules, [enrollment])
    result = completion.evaluate(rules, facts, enrollment)
    prefixes = (str(completion.PREREQUISITE_EVENT_MISSING)[:20], str(completion.PREREQUISITE_PATH_MISSING)[:20])
    return [message for message in result.missing if message.startswith(prefixes)]


@transaction.atomic
def enrollment_create(
    *, cohort: Cohort, person, source: str = Enrollment.Source.STAFF, mentor=None, actor
) -> Enrollment:
    """Enroll ``person`` (with their organization): a seat if one is free, the waiting list otherwise.

    The cohort's row is locked for the decision, so two people asking for the last seat get it one
    after the other. Self-service enrollment needs an open cohort and the path's prerequisites;
    staff may enroll in a cohort that is not open yet, and before the prerequisites are met.
    """
    cohort = Cohort.objects.select_for_update().select_related("path").get(pk=cohort.pk)
    by_staff = source != Enrollment.Source.SELF_SERVICE
    if cohort.status == Cohort.Status.CANCELLED:
        raise ValidationError(COHORT_CANCELLED, code="cohort_cancelled")
    if not by_staff and cohort.status != Cohort.Status.OPEN:
        raise ValidationError(COHORT_NOT_OPEN, code="cohort_not_open")
    if cohort.client_organization_id is not None and person.organization_id != cohort.client_organization_id:
        raise ValidationError(PRIVATE_COHORT, code="private_cohort")
    if cohort.enrollments.filter(person=person).exclude(status=Enrollment.Status.CANCELLED).exists():
        raise ValidationError(ALREADY_ENROLLED, code="already_enrolled")
    full = cohort.capacity is not None and _seats_taken(cohort) >= cohort.capacity
    enrollment = Enrollment(
        cohort=cohort,
        person=person,
        organization_id=person.organization_id,
        status=Enrollment.Status.WAITLISTED if full else Enrollment.Status.ENROLLED,
        source=source,
        program_id=cohort.program_id,
        path_kind=cohort.path.kind,
        region_id=person.organization.region_id,
        enrolled_on=timezone.localdate(),
    )
    if not by_staff:
        missing = prerequisites_missing(cohort, enrollment)
        if missing:
            raise ValidationError(PREREQUISITES_NOT_MET % {"missing": " ".join(missing)}, code="prerequisites")
    enrollment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError as error:
        raise ValidationError(ALREADY_ENROLLED, code="already_enrolled") from error
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.REGISTERED if not by_staff else ActivityLogEntry.Verb.CREATED,
        subject=enrollment,
        changes={"status": [None, enrollment.status], "source": [None, source]},
    )
    tallies.enrollment_changed(enrollment, hours_before=None)
    if mentor is not None:
        enrollment_assign_mentor(enrollment=enrollment, mentor=mentor, actor=actor)
    if enrollment.status == Enrollment.Status.ENROLLED:
        _register_to_sessions(enrollment, actor=actor)
    notifications.notify_enrolled(enrollment)
    return enrollment


def _promote_waitlisted(cohort: Cohort, *, actor) -> list[Enrollment]:
    """Give free seats to the waiting list, first come first served. The caller holds the lock."""
    queue = cohort.enrollments.filter(status=Enrollment.Status.WAITLISTED).order_by("created_at", "id")
    if cohort.capacity is not None:
        free = cohort.capacity - _seats_taken(cohort)
        if free <= 0:
            return []
        queue = queue[:free]
    promoted = []
    for enrollment in queue.select_related("person", "organization"):
        enrollment.status = Enrollment.Status.ENROLLED
        enrollment.save(update_fields=["status", "updated_at"])
        tallies.enrollment_changed(enrollment, hours_before=None)
        log_activity(
            actor=actor,
            verb=ActivityLogEntry.Verb.UPDATED,
            subject=enrollment,
            changes={"status": [Enrollment.Status.WAITLISTED, Enrollment.Status.ENROLLED]},
            note=str(_("A seat became free.")),
        )
        _register_to_sessions(enrollment, actor=actor)
        notifications.notify_enrolled(enrollment)
        promoted.append(enrollment)
    return promoted


@transaction.atomic
def enrollment_cancel(*, enrollment: Enrollment, actor) -> list[Enrollment]:
    """Cancel an enrollment and its registrations to sessions to come; returns who moved up."""
    cohort = Cohort.objects.select_for_update().get(pk=enrollment.cohort_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.CANCELLED:
        raise ValidationError(NOT_ACTIVE, code="not_active")
    previous = enrollment.status
    hours_before = tallies.hours_key(enrollment)
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.save(update_fields=["status", "updated_at"])
    tallies.enrollment_changed(enrollment, hours_before=hours_before)
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=enrollment,
        changes={"status": [previous, Enrollment.Status.CANCELLED]},
    )
    _unregister_from_future_sessions(enrollment, actor=actor)
    if previous == Enrollment.Status.ENROLLED:
        return _promote_waitlisted(cohort, actor=actor)
    return []


def is_program_coach(user, program_id: int) -> bool:
    return Membership.objects.filter(user=user, program_id=program_id, role=Role.COACH, is_active=True).exists()


@transaction.atomic
def enrollment_assign_mentor(*, enrollment: Enrollment, mentor, actor) -> Enrollment:
    """Pair a leader with a mentor, who must be a coach of the program (None removes the mentor)."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if mentor is not None:
        if enrollment.path_kind != LearningPath.Kind.LEADERSHIP:
            raise ValidationError({"mentor": [MENTOR_ONLY_LEADERSHIP]}, code="mentor_only_leadership")
        if not is_program_coach(mentor, enrollment.program_id):
            raise ValidationError({"mentor": [MENTOR_NOT_COACH]}, code="mentor_not_coach")
    before = snapshot(enrollment, ("mentor",))
    enrollment.mentor = mentor
    enrollment.save(update_fields=["mentor", "updated_at"])
    changes = diff(before, snapshot(enrollment, ("mentor",)))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=enrollment, changes=changes)
    return enrollment


# Progress


def _load(enrollment: Enrollment):
    cohort = enrollment.cohort
    rules = completion.load_rules(cohort)
    facts = completion.load_facts(rules, [enrollment])
    return rules, facts


def _check_module(enrollment: Enrollment, module: Module) -> None:
    if module.path_id != enrollment.cohort.path_id:
        raise ValidationError(MODULE_NOT_IN_PATH, code="module_not_in_path")
    if enrollment.status != Enrollment.Status.ENROLLED:
        raise ValidationError(ENROLLMENT_NOT_ACTIVE, code="enrollment_not_active")


def _locked_enrollment(enrollment: Enrollment) -> Enrollment:
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("cohort__path__program", "person", "organization")
        .get(pk=enrollment.pk)
    )


@transaction.atomic
def progress_update(*, enrollment: Enrollment, module: Module, status: str, actor) -> ModuleProgress:
    """A facilitator sets a module's status for a learner (not for live modules: attendance decides).

    Completing it validates it (the learner's self-declaration, when there is one); a module of a
    later phase is refused until the required modules of the earlier phases are completed.
    """
    enrollment = _locked_enrollment(enrollment)
    _check_module(enrollment, module)
    if module.is_live:
        raise ValidationError(LIVE_MODULE_BY_ATTENDANCE, code="live_module")
    if status not in ModuleProgress.Status.values:
        raise ValidationError({"status": [_("Choose a valid status.")]}, code="invalid_status")
    rules, facts = _load(enrollment)
    if status == ModuleProgress.Status.COMPLETED:
        phase = completion.earlier_phase_incomplete(rules, facts, enrollment, module)
        if phase is not None:
            raise ValidationError(completion.EARLIER_PHASE_INCOMPLETE % {"phase": phase}, code="earlier_phase")
    progress, _created_now = ModuleProgress.objects.get_or_create(enrollment=enrollment, module=module)
    before = snapshot(progress, ("status", "evidence", "completed_on"))
    progress.status = status
    if status == ModuleProgress.Status.COMPLETED:
        if before["status"] != ModuleProgress.Status.COMPLETED:
            progress.completed_on = timezone.localdate()
        progress.evidence = (
            ModuleProgress.Evidence.SELF_DECLARATION if progress.declared_at else ModuleProgress.Evidence.FACILITATOR
        )
        progress.validated_by = actor
    else:
        progress.completed_on = None
        progress.evidence = ""
        progress.validated_by = None
        if status == ModuleProgress.Status.NOT_STARTED:
            progress.declared_at = None
    progress.full_clean()
    progress.save()
    changes = diff(before, snapshot(progress, ("status", "evidence", "completed_on")))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=progress, changes=changes)
        facts.progress[(enrollment.pk, module.pk)] = progress
        _refresh(enrollment, rules, facts, actor=actor)
    return progress


@transaction.atomic
def progress_declare(*, enrollment: Enrollment, module: Module, actor) -> ModuleProgress:
    """The learner says they completed a self-paced or coaching module; a facilitator then validates it."""
    enrollment = _locked_enrollment(enrollment)
    _check_module(enrollment, module)
    if module.format not in (Module.Format.SELF_PACED, Module.Format.COACHING):
        raise ValidationError(DECLARE_ONLY_SELF_PACED, code="declare_only_self_paced")
    progress, _created_now = ModuleProgress.objects.get_or_create(enrollment=enrollment, module=module)
    if progress.status == ModuleProgress.Status.COMPLETED:
        raise ValidationError(ALREADY_COMPLETED, code="already_completed")
    progress.status = ModuleProgress.Status.IN_PROGRESS
    progress.declared_at = timezone.now()
    progress.save()
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=progress,
        changes={"declared_at": [None, progress.declared_at]},
        note=str(_("Declared completed by the learner.")),
    )
    return progress


def _refresh(enrollment: Enrollment, rules, facts, *, actor) -> Attestation | None:
    """Recompute the enrollment's counters from the rules; issue the attestation when complete."""
    result = completion.evaluate(rules, facts, enrollment)
    fields = {
        "hours_completed": result.hours,
        "last_progress_on": result.last_completed_on,
    }
    # A valid attestation keeps the completion it certifies: undoing a module afterwards does not
    # withdraw it (revoking the attestation does). A revoked one keeps the enrollment uncompleted.
    if enrollment.pk not in facts.revoked and enrollment.pk not in facts.attested:
        fields["completed_on"] = (enrollment.completed_on or timezone.localdate()) if result.is_complete else None
    changed = [name for name, value in fields.items() if getattr(enrollment, name) != value]
    hours_before = tallies.hours_key(enrollment)
    for name in changed:
        setattr(enrollment, name, fields[name])
    if changed:
        Enrollment.objects.filter(pk=enrollment.pk).update(**{name: fields[name] for name in changed})
        tallies.enrollment_changed(enrollment, hours_before=hours_before, milestones="completed_on" in changed)
    if result.is_complete:
        return _issue(enrollment, result, actor=actor)[0]
    return None


@transaction.atomic
def progress_sync_attendance(*, cohort: Cohort, actor) -> int:
    """Record the attendance of the cohort's sessions as progress of their live modules.

    Live modules are completed by attendance above the event's threshold (roll call, Zoom or Teams
    import); this writes those facts on the learners' progress (evidence: attendance), withdraws
    the ones no longer true, and issues the attestations now due. Returns how many rows changed.
    """
    cohort = Cohort.objects.select_for_update().select_related("path__program").get(pk=cohort.pk)
    enrollments = list(
        Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ENROLLED).select_related("person")
    )
    rules = completion.load_rules(cohort)
    facts = completion.load_facts(rules, enrollments, as_models=True)
    changed = 0
    live = [module for module in rules.modules if module.is_live]
    for enrollment in enrollments:
        enrollment.cohort = cohort
        touched = False
        for module in live:
            day = completion.module_completed_on(rules, facts, enrollment, module)
            row = facts.progress.get((enrollment.pk, module.pk))
            if day is not None and (row is None or row.status != ModuleProgress.Status.COMPLETED):
                row = row or ModuleProgress(enrollment=enrollment, module=module)
                row.status = ModuleProgress.Status.COMPLETED
                row.evidence = ModuleProgress.Evidence.ATTENDANCE
                row.completed_on = day
                row.save()
            elif day is None and row is not None and row.evidence == ModuleProgress.Evidence.ATTENDANCE:
                row.status = ModuleProgress.Status.NOT_STARTED
                row.evidence = ""
                row.completed_on = None
                row.save()
            else:
                continue
            facts.progress[(enrollment.pk, module.pk)] = row
            changed += 1
            touched = True
            log_activity(
                actor=actor,
                verb=ActivityLogEntry.Verb.UPDATED,
                subject=row,
                changes={"status": [None, row.status]},
                note=str(_("From the attendance of the session.")),
            )
        if touched or enrollment.completed_on is None:
            _refresh(enrollment, rules, facts, actor=actor)
    return changed


# Attestations


def _issue(enrollment: Enrollment, result, *, actor) -> tuple[Attestation, bool]:
    """The enrollment's attestation, created now if it has none (the caller checked the rules)."""
    existing = Attestation.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing, False
    path = enrollment.cohort.path
    competency_rows = (
        Competency.objects.filter(modules__in=sorted(result.completed_module_ids)).distinct().order_by("name_fr")
    )
    person = enrollment.person
    attestation = Attestation(
        enrollment=enrollment,
        learner_name=f"{person.first_name} {person.last_name}".strip(),
        path_title_fr=path.title_fr,
        path_title_en=path.title_en,
        competencies=[{"fr": row.name_fr, "en": row.name_en or row.name_fr} for row in competency_rows],
        hours=result.hours.quantize(Decimal("0.01")),
        completed_on=enrollment.completed_on or timezone.localdate(),
        issuer=path.program.name_fr,
        language=person.preferred_language if person.preferred_language in ("fr", "en") else "fr",
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attestation.full_clean()
    try:
        with transaction.atomic():
            attestation.save()
    except IntegrityError:
        # Issued at the same moment by someone else: theirs is the attestation.
        return Attestation.objects.get(enrollment=enrollment), False
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CREATED,
        subject=attestation,
        changes={"code": [None, attestation.code], "hours": [None, attestation.hours]},
        note=str(_("Attestation issued.")),
    )
    _schedule_send(attestation)
    return attestation, True


def _schedule_send(attestation: Attestation) -> None:
    from . import tasks

    Attestation.objects.filter(pk=attestation.pk).update(sent_at=timezone.now())
    transaction.on_commit(lambda: tasks.send_attestation.delay(attestation.pk))


@transaction.atomic
def attestation_issue(*, enrollment: Enrollment, actor) -> tuple[Attestation, bool]:
    """Issue the enrollment's attestation if the rules are met: ``(attestation, created)``.

    Idempotent: a second call returns the same attestation and issues nothing new.
    """
    enrollment = _locked_enrollment(enrollment)
    existing = Attestation.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing, False
    rules, facts = _load(enrollment)
    result = completion.evaluate(rules, facts, enrollment)
    if not result.is_complete:
        raise ValidationError(NOT_COMPLETE % {"missing": " ".join(result.missing)}, code="not_complete")
    _refresh(enrollment, rules, facts, actor=actor)
    return Attestation.objects.get(enrollment=enrollment), True


@transaction.atomic
def attestations_issue_for_cohort(*, cohort: Cohort, actor) -> list[Attestation]:
    """Record the sessions' attendance, then issue every attestation now due in the cohort.

    Returns the attestations issued by this call (none the second time).
    """
    before = set(Attestation.objects.filter(enrollment__cohort=cohort).values_list("pk", flat=True))
    progress_sync_attendance(cohort=cohort, actor=actor)
    return list(Attestation.objects.filter(enrollment__cohort=cohort).exclude(pk__in=before).order_by("learner_name"))


@transaction.atomic
def attestation_revoke(*, attestation: Attestation, reason: str, actor) -> Attestation:
    """Revoke with a reason: the verification page then says "revoked", and the completion no longer counts."""
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    reason = (reason or "").strip()
    if attestation.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED, code="already_revoked")
    if not reason:
        raise ValidationError({"reason": [REASON_REQUIRED]}, code="reason_required")
    attestation.revoked_at = timezone.now()
    attestation.revocation_reason = reason[:500]
    attestation.full_clean()
    attestation.save(update_fields=["revoked_at", "revocation_reason", "updated_at"])
    enrollment = Enrollment.objects.select_for_update().get(pk=attestation.enrollment_id)
    hours_before = tallies.hours_key(enrollment)
    enrollment.completed_on = None
    enrollment.save(update_fields=["completed_on", "updated_at"])
    tallies.enrollment_changed(enrollment, hours_before=hours_before)
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=attestation,
        changes={
            "revoked_at": [None, attestation.revoked_at],
            "revocation_reason": ["", attestation.revocation_reason],
        },
        note=str(_("Attestation revoked.")),
    )
    return attestation


@transaction.atomic
def attestation_resend(*, attestation: Attestation, actor) -> Attestation:
    """Send the attestation to the learner again (their current e-mail address)."""
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if attestation.revoked_at is not None:
        raise ValidationError(CANNOT_SEND_REVOKED, code="revoked")
    _schedule_send(attestation)
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=attestation,
        changes={},
        note=str(_("Attestation sent again.")),
    )
    attestation.refresh_from_db()
    return attestation
