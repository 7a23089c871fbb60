"""Pages of learning: the catalogue (competencies, paths, modules), cohorts, the progress grid,
a learner's own page, attestations.

Views parse input, check access through permissions.py, call one service and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from virage.core.activity import history_for
from virage.core.errors import parse_id
from virage.core.forms import add_service_errors
from virage.organizations.selectors import organizations_for, people_for
from virage.programs.models import Program

from . import selectors, services
from .forms import (
    CohortForm,
    CompetencyForm,
    EnrollForm,
    MentorForm,
    ModuleForm,
    PathForm,
    PhaseForm,
    ProgressForm,
    RevokeForm,
    SessionForm,
)
from .grid import GridCells
from .models import Cohort, Enrollment, Module
from .pdf import attestation_file_name, render_attestation_pdf
from .permissions import (
    access_attestation_by_id,
    access_cohort_by_id,
    access_enrollment_by_id,
    access_module_by_id,
    access_open_cohort_by_id,
    access_own_enrollment_by_id,
    access_path_by_id,
    access_program_for_learning,
    can_facilitate_cohort,
    can_manage_attestation,
    can_manage_learning,
    can_run_cohort,
    can_see_learning,
    cohorts_open_to,
    require,
)


def _managed_programs(user):
    from virage.accounts.scope import scope_for

    scope = scope_for(user)
    if scope.is_admin:
        return Program.objects.filter(is_active=True)
    return Program.objects.filter(pk__in=sorted(scope.managed_program_ids))


# Catalogue


@login_required
def path_list(request):
    require(can_see_learning(request.user))
    return render(
        request,
        "learning/path_list.html",
        {
            "paths": selectors.path_list(request.user),
            "cohorts": selectors.cohort_list(request.user)[:50],
            "can_create": can_manage_learning(request.user)[0],
            "managed_programs": _managed_programs(request.user),
        },
    )


@login_required
def competencies(request, slug):
    program = access_program_for_learning(request.user, slug)
    form = CompetencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_create(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The competency was added."))
            return redirect("learning:competencies", slug=program.slug)
    return render(
        request,
        "learning/competencies.html",
        {"program": program, "form": form, "competencies": program.competencies.all()},
    )


@login_required
def competency_edit(request, slug, pk):
    program = access_program_for_learning(request.user, slug)
    competency = program.competencies.filter(pk=parse_id(pk) or 0).first()
    if competency is None:
        raise Http404
    form = CompetencyForm(request.POST or None, instance=competency)
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_update(competency=competency, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The competency was saved."))
            return redirect("learning:competencies", slug=program.slug)
    return render(request, "learning/form.html", {"form": form, "title": _("Edit the competency"), "program": program})


@login_required
def path_create(request):
    require(can_manage_learning(request.user))
    form = PathForm(request.POST or None, programs=_managed_programs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            path = services.path_create(
                data=form.service_data(),
                prerequisite_paths=form.cleaned_data.get("prerequisite_paths") or (),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The path was created. Add its modules."))
            return redirect(path)
    return render(request, "learning/form.html", {"form": form, "title": _("New learning path")})


@login_required
def path_detail(request, pk):
    path = access_path_by_id(request.user, pk)
    return render(
        request,
        "learning/path_detail.html",
        {
            "path": path,
            "modules": path.modules.prefetch_related("competencies"),
            "prerequisite_paths": path.prerequisite_paths.all(),
            "cohorts": selectors.cohort_list(request.user, path_id=path.pk),
            "can_manage": can_manage_learning(request.user, path.program)[0],
            "history": history_for(path)[:50],
        },
    )


@login_required
def path_edit(request, pk):
    path = access_path_by_id(request.user, pk)
    require(can_manage_learning(request.user, path.program))
    form = PathForm(request.POST or None, instance=path, programs=None)
    if request.method == "POST" and form.is_valid():
        try:
            path = services.path_update(
                path=path,
                data=form.service_data(),
                prerequisite_paths=form.cleaned_data.get("prerequisite_paths") or (),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The path was saved."))
            return redirect(path)
    return render(request, "learning/form.html", {"form": form, "title": _("Edit the path"), "path": path})


@login_required
def module_create(request, pk):
    path = access_path_by_id(request.user, pk)
    require(can_manage_learning(request.user, path.program))
    form = ModuleForm(request.POST or None, path=path)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_create(
                path=path,
                data=form.service_data(),
                competencies=form.cleaned_data.get("competencies") or (),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The module was added."))
            return redirect(path)
    return render(request, "learning/form.html", {"form": form, "title": _("New module"), "path": path})


@login_required
def module_edit(request, pk, module_pk):
    path = access_path_by_id(request.user, pk)
    module = access_module_by_id(request.user, path, module_pk)
    form = ModuleForm(request.POST or None, instance=module, path=path)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(
                module=module,
                data=form.service_data(),
                competencies=form.cleaned_data.get("competencies") or (),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The module was saved."))
            return redirect(path)
    return render(request, "learning/form.html", {"form": form, "title": _("Edit the module"), "path": path})


# Cohorts


@login_required
def cohort_create(request, pk):
    path = access_path_by_id(request.user, pk)
    require(can_manage_learning(request.user, path.program))
    form = CohortForm(request.POST or None, program=path.program, organizations=organizations_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(
                path=path,
                data=form.service_data(),
                facilitators=form.cleaned_data.get("facilitators") or (),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cohort was created."))
            return redirect(cohort)
    return render(request, "learning/form.html", {"form": form, "title": _("New cohort"), "path": path})


@login_required
def cohort_detail(request, pk):
    cohort = access_cohort_by_id(request.user, pk)
    can_run = can_run_cohort(request.user, cohort)[0]
    return render(
        request,
        "learning/cohort_detail.html",
        {
            "cohort": cohort,
            "counts": selectors.cohort_counts(cohort),
            "enrollments": selectors.enrollments_of(cohort),
            "sessions": cohort.sessions.select_related("module", "event"),
            "phases": cohort.phases.all(),
            "facilitators": cohort.facilitators.all(),
            "can_run": can_run,
            "can_facilitate": can_run or can_facilitate_cohort(request.user, cohort)[0],
            "enroll_form": EnrollForm(people=people_for(request.user)),
            "mentor_form": MentorForm(program=cohort.program) if cohort.path.kind == "leadership" else None,
            "history": history_for(cohort)[:50],
        },
    )


@login_required
def cohort_edit(request, pk):
    cohort = access_cohort_by_id(request.user, pk)
    require(can_run_cohort(request.user, cohort))
    form = CohortForm(
        request.POST or None, instance=cohort, program=cohort.program, organizations=organizations_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_update(
                cohort=cohort,
                data=form.service_data(),
                facilitators=form.cleaned_data.get("facilitators") or (),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cohort was saved."))
            return redirect(cohort)
    return render(request, "learning/form.html", {"form": form, "title": _("Edit the cohort"), "cohort": cohort})


@login_required
def phase_create(request, pk):
    cohort = access_cohort_by_id(request.user, pk)
    require(can_run_cohort(request.user, cohort))
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_phase_create(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The phase was added."))
            return redirect(cohort)
    return render(request, "learning/form.html", {"form": form, "title": _("New phase"), "cohort": cohort})


@login_required
def session_create(request, pk):
    cohort = access_cohort_by_id(request.user, pk)
    require(can_run_cohort(request.user, cohort))
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.cohort_session_create(
                cohort=cohort,
                module=data["module"],
                event_data={
                    "starts_at": data["starts_at"],
                    "ends_at": data["ends_at"],
                    "online_url": data["online_url"],
                    "address": data["address"],
                },
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The session was scheduled: %(title)s. Its learners are registered.") % {"title": session.event},
            )
            return redirect(cohort)
    return render(request, "learning/form.html", {"form": form, "title": _("New session"), "cohort": cohort})


@login_required
def enroll(request, pk):
    """Staff enroll a person, found by e-mail address among the people they work with."""
    cohort = access_cohort_by_id(request.user, pk)
    require(can_run_cohort(request.user, cohort))
    form = EnrollForm(request.POST or None, people=people_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrollment_create(
                cohort=cohort, person=form.person, source=Enrollment.Source.STAFF, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if enrollment.status == Enrollment.Status.WAITLISTED:
                messages.warning(
                    request, _("The cohort is full: %(name)s is on the waiting list.") % {"name": form.person}
                )
            else:
                messages.success(request, _("%(name)s is enrolled.") % {"name": form.person})
            return redirect(cohort)
    return render(request, "learning/form.html", {"form": form, "title": _("Enroll a learner"), "cohort": cohort})


@login_required
@require_POST
def enrollment_cancel(request, pk, enrollment_pk):
    cohort = access_cohort_by_id(request.user, pk)
    require(can_run_cohort(request.user, cohort))
    enrollment = access_enrollment_by_id(request.user, cohort, enrollment_pk)
    try:
        services.enrollment_cancel(enrollment=enrollment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The enrollment was cancelled."))
    return redirect(cohort)


@login_required
@require_POST
def enrollment_mentor(request, pk, enrollment_pk):
    cohort = access_cohort_by_id(request.user, pk)
    require(can_run_cohort(request.user, cohort))
    enrollment = access_enrollment_by_id(request.user, cohort, enrollment_pk)
    form = MentorForm(request.POST, program=cohort.program)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("mentor", [])))
        return redirect(cohort)
    try:
        services.enrollment_assign_mentor(enrollment=enrollment, mentor=form.cleaned_data["mentor"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The mentor was saved."))
    return redirect(cohort)


# Progress grid


@login_required
def cohort_grid(request, pk):
    cohort = access_cohort_by_id(request.user, pk)
    require(can_facilitate_cohort(request.user, cohort))
    grid = selectors.cohort_grid(cohort)
    cells = GridCells(cohort)
    for row in grid["rows"]:
        row.cells_html = cells.row(row)
    return render(
        request,
        "learning/cohort_grid.html",
        {"cohort": cohort, "can_run": can_run_cohort(request.user, cohort)[0], **grid},
    )


@login_required
@require_POST
def progress_cell(request, pk, enrollment_pk, module_pk):
    """Set one learner's status for one module: the cell again for htmx, the grid again without it."""
    cohort = access_cohort_by_id(request.user, pk)
    enrollment = access_enrollment_by_id(request.user, cohort, enrollment_pk)
    module = cohort.path.modules.filter(pk=parse_id(module_pk) or 0).first()
    if module is None:
        raise Http404
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a valid status."))
    error_message = ""
    try:
        services.progress_update(
            enrollment=enrollment, module=module, status=form.cleaned_data["status"], actor=request.user
        )
    except ValidationError as error:
        error_message = " ".join(error.messages)
    if request.htmx:
        grid = selectors.cohort_grid(cohort, enrollments=[_grid_enrollment(enrollment)])
        row = grid["rows"][0]
        cell = next(cell for cell in row.cells if cell.module.pk == module.pk)
        html = GridCells(cohort).cell(row, cell, error=error_message)
        # The cell, and the row's completion swapped out of band so that it stays true.
        status = render_to_string("learning/_grid_status.html", {"row": row, "oob": True}, request=request)
        return HttpResponse(html + status)
    if error_message:
        messages.error(request, error_message)
    return redirect("learning:cohort_grid", pk=cohort.pk)


def _grid_enrollment(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.select_related("person", "organization", "attestation").get(pk=enrollment.pk)


@login_required
@require_POST
def attendance_sync(request, pk):
    cohort = access_cohort_by_id(request.user, pk)
    require(can_facilitate_cohort(request.user, cohort))
    changed = services.progress_sync_attendance(cohort=cohort, actor=request.user)
    messages.success(request, _("Attendance recorded: %(count)s changes.") % {"count": changed})
    return redirect("learning:cohort_grid", pk=cohort.pk)


# Attestations


@login_required
@require_POST
def attestations_issue(request, pk):
    cohort = access_cohort_by_id(request.user, pk)
    require(can_run_cohort(request.user, cohort))
    issued = services.attestations_issue_for_cohort(cohort=cohort, actor=request.user)
    messages.success(request, _("Attestations issued: %(count)s.") % {"count": len(issued)})
    return redirect(cohort)


@login_required
def attestation_pdf(request, pk):
    attestation = access_attestation_by_id(request.user, pk)
    response = HttpResponse(render_attestation_pdf(attestation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{attestation_file_name(attestation)}"'
    return response


@login_required
def attestation_revoke(request, pk):
    attestation = access_attestation_by_id(request.user, pk)
    require(can_manage_attestation(request.user, attestation))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attestation_revoke(attestation=attestation, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attestation was revoked."))
            return redirect(attestation.enrollment.cohort)
    return render(request, "learning/attestation_revoke.html", {"form": form, "attestation": attestation})


@login_required
@require_POST
def attestation_resend(request, pk):
    attestation = access_attestation_by_id(request.user, pk)
    require(can_manage_attestation(request.user, attestation))
    try:
        services.attestation_resend(attestation=attestation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The attestation was sent again."))
    return redirect(attestation.enrollment.cohort)


# A learner's own pages


@login_required
def my_learning(request):
    context = selectors.my_learning(request.user)
    enrolled_cohorts = {row["enrollment"].cohort_id for row in context["rows"]}
    open_cohorts = [
        cohort
        for cohort in cohorts_open_to(request.user).select_related("path", "region").order_by("starts_on", "id")[:50]
        if cohort.pk not in enrolled_cohorts
    ]
    # Facilitators (coaches, say) find the cohorts they lead here, with their progress grids.
    facilitated = request.user.facilitated_cohorts.exclude(status=Cohort.Status.CANCELLED).select_related("path")
    return render(
        request,
        "learning/my_learning.html",
        {**context, "open_cohorts": open_cohorts, "facilitated": facilitated.order_by("-starts_on", "id")[:50]},
    )


@login_required
@require_POST
def self_enroll(request, pk):
    cohort = access_open_cohort_by_id(request.user, pk)
    person = (
        request.user.contact_records.filter(is_active=True)
        .select_related("organization")
        .order_by("-organization_id" if cohort.client_organization_id else "id")
    )
    if cohort.client_organization_id:
        person = person.filter(organization_id=cohort.client_organization_id)
    person = person.first()
    if person is None:
        raise Http404
    try:
        enrollment = services.enrollment_create(
            cohort=cohort, person=person, source=Enrollment.Source.SELF_SERVICE, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrollment.status == Enrollment.Status.WAITLISTED:
            messages.warning(request, _("The cohort is full: you are on its waiting list."))
        else:
            messages.success(request, _("You are enrolled."))
    return redirect("learning:my_learning")


@login_required
@require_POST
def self_declare(request, pk, module_pk):
    enrollment = access_own_enrollment_by_id(request.user, pk)
    module = Module.objects.filter(path_id=enrollment.cohort.path_id, pk=parse_id(module_pk) or 0).first()
    if module is None:
        raise Http404
    try:
        services.progress_declare(enrollment=enrollment, module=module, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your facilitator will validate this module."))
    return redirect("learning:my_learning")
