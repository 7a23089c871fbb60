"""Reads of learning shared by pages and the API: lists, the cohort grid, a learner's own page."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import completion
from .models import Attestation, Cohort, Enrollment, LearningPath, Module, ModuleProgress
from .permissions import cohorts_for, own_enrollments, paths_for


def path_list(user, *, program_id: int | None = None) -> QuerySet[LearningPath]:
    paths = (
        paths_for(user)
        .select_related("program")
        .annotate(module_count=Count("modules", distinct=True), cohort_count=Count("cohorts", distinct=True))
    )
    if program_id:
        paths = paths.filter(program_id=program_id)
    return paths.order_by("program__name_fr", "title_fr")


def _enrolled_count(status: str):
    counted = (
        Enrollment.objects.filter(cohort=OuterRef("pk"), status=status)
        .order_by()
        .values("cohort")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


def cohort_list(user, *, path_id: int | None = None) -> QuerySet[Cohort]:
    """Cohorts the user sees, with their enrolled and waitlisted counts computed in the same query."""
    cohorts = cohorts_for(user).select_related("path", "program", "region", "client_organization")
    if path_id:
        cohorts = cohorts.filter(path_id=path_id)
    return cohorts.annotate(
        enrolled_count=_enrolled_count(Enrollment.Status.ENROLLED),
        waitlisted_count=_enrolled_count(Enrollment.Status.WAITLISTED),
    ).order_by("-starts_on", "id")


def enrollments_of(cohort: Cohort) -> QuerySet[Enrollment]:
    return cohort.enrollments.select_related("person", "organization", "mentor", "attestation").order_by(
        "status", "person__last_name", "person__first_name", "id"
    )


@dataclass
class GridCell:
    module: Module
    status: str
    evidence: str
    declared: bool
    completed_on: object


@dataclass
class GridRow:
    enrollment: Enrollment
    cells: list[GridCell]
    completion: completion.Completion
    attestation: Attestation | None

    @property
    def name(self) -> str:
        person = self.enrollment.person
        return f"{person.first_name} {person.last_name}".strip()


def cell_for(rules, facts, enrollment: Enrollment, module: Module) -> GridCell:
    row = facts.progress.get((enrollment.pk, module.pk))
    if module.is_live:
        day = completion.module_completed_on(rules, facts, enrollment, module)
        status = ModuleProgress.Status.COMPLETED if day else ModuleProgress.Status.NOT_STARTED
        return GridCell(module, status, ModuleProgress.Evidence.ATTENDANCE if day else "", False, day)
    if row is None:
        return GridCell(module, ModuleProgress.Status.NOT_STARTED, "", False, None)
    return GridCell(module, row.status, row.evidence, row.declared_at is not None, row.completed_on)


def cohort_grid(cohort: Cohort, *, enrollments=None) -> dict:
    """The learners × modules grid of a cohort, in a fixed number of queries whatever its size.

    Live modules show their attendance (from the sessions' roll call or imports); the others their
    progress rows. Each row carries the completion verdict and the attestation, if any.
    """
    rules = completion.load_rules(cohort)
    if enrollments is None:
        enrollments = list(
            Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ENROLLED)
            .select_related("person", "organization", "attestation")
            .order_by("person__last_name", "person__first_name", "id")
        )
    facts = completion.load_facts(rules, enrollments)
    rows = []
    for enrollment in enrollments:
        enrollment.cohort = cohort
        rows.append(
            GridRow(
                enrollment=enrollment,
                cells=[cell_for(rules, facts, enrollment, module) for module in rules.modules],
                completion=completion.evaluate(rules, facts, enrollment),
                attestation=getattr(enrollment, "attestation", None),
            )
        )
    return {"modules": rules.modules, "rows": rows, "rules": rules}


def my_learning(user) -> dict:
    """A learner's enrollments with their progress, and their attestations."""
    enrollments = list(
        own_enrollments(user)
        .exclude(status=Enrollment.Status.CANCELLED)
        .select_related("cohort__path", "cohort__program", "organization", "person", "attestation", "mentor")
        .order_by("-cohort__starts_on", "id")
    )
    rows = []
    # One cohort at a time (a learner has a handful of enrollments).
    for enrollment in enrollments:
        rules = completion.load_rules(enrollment.cohort)
        facts = completion.load_facts(rules, [enrollment])
        rows.append(
            {
                "enrollment": enrollment,
                "cells": [cell_for(rules, facts, enrollment, module) for module in rules.modules],
                "completion": completion.evaluate(rules, facts, enrollment),
                "attestation": getattr(enrollment, "attestation", None),
            }
        )
    return {"rows": rows}


def attestations_of(cohort: Cohort) -> QuerySet[Attestation]:
    return Attestation.objects.filter(enrollment__cohort=cohort).select_related("enrollment__person")


def cohort_counts(cohort: Cohort) -> dict:
    return cohort.enrollments.aggregate(
        enrolled=Count("id", filter=Q(status=Enrollment.Status.ENROLLED)),
        waitlisted=Count("id", filter=Q(status=Enrollment.Status.WAITLISTED)),
        completed=Count("id", filter=Q(completed_on__isnull=False)),
    )
