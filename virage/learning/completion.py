"""Completion rules of a path: what a learner must have done to get the attestation.

An enrollment is complete when it is active (enrolled, not waitlisted or cancelled) and:

- **prerequisites** are met: the learner attended an event of the path's prerequisite kind in the
  program (an information session, say) and completed every prerequisite path;
- every **required module** is completed. A live module (live session, in-person workshop) is
  completed only by attending one of the cohort's sessions for it above the event's attendance
  threshold (present, and present long enough when the minutes are known); any other module by the
  facilitator's validation (directly, or of the learner's self-declaration);
- modules of a **phase** are validated only once the required modules of every earlier phase are
  completed (checked by the progress services; attendance, a fact, is recorded whatever the phase).

Optional modules add their hours when completed, and never block completion.

The data is read in a fixed number of queries (``load``), then ``evaluate`` is pure, so the same
rules serve one learner, a cohort grid and the bulk issue of a cohort's attestations.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from virage.events.models import Event, Registration

from .models import Attestation, Enrollment, LearningPath, Module, ModuleProgress

NOT_ACTIVE = _("The enrollment is not active (waiting list or cancelled).")
PREREQUISITE_EVENT_MISSING = _("Prerequisite not met: attend an event of this kind first: %(kind)s.")
PREREQUISITE_PATH_MISSING = _("Prerequisite not met: complete the path “%(path)s” first.")
MODULE_MISSING = _("Required module not completed: %(module)s.")
LIVE_MODULE_NOT_ATTENDED = _("Required live module not attended long enough: %(module)s.")
EARLIER_PHASE_INCOMPLETE = _("The required modules of phase %(phase)s must be completed first.")
REVOKED = _("The attestation of this enrollment was revoked.")


@dataclass
class Completion:
    """Where one enrollment stands against the rules."""

    is_complete: bool
    missing: list[str] = field(default_factory=list)
    completed_module_ids: set[int] = field(default_factory=set)
    hours: Decimal = Decimal("0")
    last_completed_on: object = None


@dataclass
class PathRules:
    """What the rules need about a path and a cohort, loaded once."""

    path: LearningPath
    modules: list[Module]
    prerequisite_paths: list[LearningPath]
    # module id -> event ids of the cohort's sessions for that module
    session_events: dict[int, set[int]]


def attended_long_enough(registration: Registration) -> bool:
    """Present, and (when the minutes are known) at least the event's attendance threshold."""
    return present_long_enough(
        attended=registration.attended,
        minutes=registration.minutes_present,
        status=registration.status,
        event=registration.event,
    )


def present_long_enough(*, attended, minutes, status: str, event) -> bool:
    if attended is not True or status == Registration.Status.CANCELLED:
        return False
    return minutes is None or minutes >= event.attendance_threshold


def load_rules(cohort) -> PathRules:
    """The cohort's path, modules, prerequisite paths and sessions (4 queries)."""
    path = cohort.path
    modules = list(path.modules.order_by("position", "id"))
    session_events: dict[int, set[int]] = {}
    for module_id, event_id in cohort.sessions.values_list("module_id", "event_id"):
        session_events.setdefault(module_id, set()).add(event_id)
    return PathRules(
        path=path,
        modules=modules,
        prerequisite_paths=list(path.prerequisite_paths.all()),
        session_events=session_events,
    )


@dataclass
class LearnerFacts:
    """What the learners of a cohort did: progress rows, attendance, prerequisites."""

    progress: dict[tuple[int, int], ModuleProgress]  # (enrollment id, module id) -> progress
    attended_events: dict[int, dict[int, object]]  # enrollment id -> {event id: date attended}
    prerequisite_event_people: set[int]  # enrollment ids whose learner attended the prerequisite kind
    completed_paths: dict[int, set[int]]  # person id -> ids of paths completed
    revoked: set[int]  # enrollment ids whose attestation is revoked
    attested: set[int] = field(default_factory=set)  # enrollment ids holding a valid attestation


class ProgressFact(NamedTuple):
    """What the rules and the grid read of a progress row."""

    status: str
    evidence: str
    completed_on: object
    declared_at: object


def load_facts(rules: PathRules, enrollments: list[Enrollment], *, as_models: bool = False) -> LearnerFacts:
    """Facts for ``enrollments`` of one cohort, in at most 6 queries whatever their number.

    ``as_models`` gives the progress rows as model instances, for callers that change them;
    read-only callers (the grid: 1,200 cells for 100 learners) get plain tuples, much cheaper.
    """
    ids = [enrollment.pk for enrollment in enrollments]
    person_ids = {enrollment.person_id for enrollment in enrollments}
    rows = ModuleProgress.objects.filter(enrollment_id__in=ids)
    if as_models:
        progress = {(row.enrollment_id, row.module_id): row for row in rows}
    else:
        progress = {
            (row[0], row[1]): ProgressFact(*row[2:])
            for row in rows.values_list(
                "enrollment_id", "module_id", "status", "evidence", "completed_on", "declared_at"
            )
        }
    attended_events: dict[int, dict[int, object]] = {enrollment.pk: {} for enrollment in enrollments}
    event_ids = sorted(set().union(*rules.session_events.values())) if rules.session_events else []
    if event_ids:
        by_person = {enrollment.person_id: enrollment.pk for enrollment in enrollments}
        events = {event.pk: event for event in Event.objects.filter(pk__in=event_ids)}
        registrations = Registration.objects.filter(
            event_id__in=event_ids, person_id__in=sorted(person_ids), attended=True
        ).values_list("person_id", "event_id", "attended", "minutes_present", "status")
        for person_id, event_id, attended, minutes, status in registrations:
            event = events[event_id]
            if present_long_enough(attended=attended, minutes=minutes, status=status, event=event):
                attended_events[by_person[person_id]][event_id] = event.starts_at.date()
    prerequisite_event_people: set[int] = set()
    if rules.path.prerequisite_event_kind:
        emails = {
            enrollment.person.email.lower(): enrollment.pk for enrollment in enrollments if enrollment.person.email
        }
        by_person = {enrollment.person_id: enrollment.pk for enrollment in enrollments}
        attended = (
            Registration.objects.annotate(email_folded=Lower("email"))
            .filter(
                Q(person_id__in=person_ids) | Q(email_folded__in=sorted(emails)),
                event__program_id=rules.path.program_id,
                event__kind=rules.path.prerequisite_event_kind,
                attended=True,
            )
            .exclude(status=Registration.Status.CANCELLED)
        )
        for person_id, email in attended.values_list("person_id", "email"):
            if person_id in by_person:
                prerequisite_event_people.add(by_person[person_id])
            if email and email.lower() in emails:
                prerequisite_event_people.add(emails[email.lower()])
    completed_paths: dict[int, set[int]] = {}
    if rules.prerequisite_paths:
        done = Enrollment.objects.filter(
            person_id__in=person_ids,
            completed_on__isnull=False,
            cohort__path__in=[path.pk for path in rules.prerequisite_paths],
        ).values_list("person_id", "cohort__path_id")
        for person_id, path_id in done:
            completed_paths.setdefault(person_id, set()).add(path_id)
    revoked, attested = set(), set()
    for pk, revoked_at in Attestation.objects.filter(enrollment_id__in=ids).values_list("enrollment_id", "revoked_at"):
        (revoked if revoked_at is not None else attested).add(pk)
    return LearnerFacts(
        progress=progress,
        attended_events=attended_events,
        prerequisite_event_people=prerequisite_event_people,
        completed_paths=completed_paths,
        revoked=revoked,
        attested=attested,
    )


def module_completed_on(rules: PathRules, facts: LearnerFacts, enrollment: Enrollment, module: Module):
    """The day ``module`` was completed by ``enrollment``, or None."""
    if module.is_live:
        attended = facts.attended_events.get(enrollment.pk, {})
        days = [attended[event_id] for event_id in rules.session_events.get(module.pk, ()) if event_id in attended]
        return min(days) if days else None
    row = facts.progress.get((enrollment.pk, module.pk))
    if row is not None and row.status == ModuleProgress.Status.COMPLETED:
        return row.completed_on
    return None


def evaluate(rules: PathRules, facts: LearnerFacts, enrollment: Enrollment) -> Completion:
    """Whether ``enrollment`` meets the rules, what is missing, and the hours of its completed modules."""
    missing: list[str] = []
    if enrollment.status != Enrollment.Status.ENROLLED:
        missing.append(str(NOT_ACTIVE))
    if enrollment.pk in facts.revoked:
        missing.append(str(REVOKED))
    path = rules.path
    if path.prerequisite_event_kind and enrollment.pk not in facts.prerequisite_event_people:
        kind = dict(LearningPath._meta.get_field("prerequisite_event_kind").flatchoices)[path.prerequisite_event_kind]
        missing.append(str(PREREQUISITE_EVENT_MISSING) % {"kind": kind})
    done_paths = facts.completed_paths.get(enrollment.person_id, set())
    for prerequisite in rules.prerequisite_paths:
        if prerequisite.pk not in done_paths:
            missing.append(str(PREREQUISITE_PATH_MISSING) % {"path": prerequisite.title})
    completed: set[int] = set()
    hours = Decimal("0")
    last = None
    for module in rules.modules:
        day = module_completed_on(rules, facts, enrollment, module)
        if day is not None:
            completed.add(module.pk)
            hours += module.expected_hours
            last = day if last is None or day > last else last
        elif module.is_required:
            message = LIVE_MODULE_NOT_ATTENDED if module.is_live else MODULE_MISSING
            missing.append(str(message) % {"module": module.title})
    return Completion(
        is_complete=not missing, missing=missing, completed_module_ids=completed, hours=hours, last_completed_on=last
    )


def earlier_phase_incomplete(rules: PathRules, facts: LearnerFacts, enrollment: Enrollment, module: Module):
    """The first earlier phase whose required modules are not all completed, or None."""
    if module.phase is None:
        return None
    for phase in sorted({other.phase for other in rules.modules if other.phase and other.phase < module.phase}):
        for other in rules.modules:
            if (
                other.phase == phase
                and other.is_required
                and module_completed_on(rules, facts, enrollment, other) is None
            ):
                return phase
    return None
