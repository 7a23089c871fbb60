"""HTML pages of the organizations registry. Views parse input, check access, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from virage.accounts.scope import scope_for
from virage.core.activity import history_for
from virage.core.errors import ConfirmationRequired, DuplicateError, parse_id
from virage.core.pagination import SEARCH_COUNT_CAP, CappedPaginator
from virage.programs.selectors import programs_for, programs_run_by
from virage.programs.services import organization_create_in_program

from . import exports, services
from .forms import ArchiveForm, MergeForm, OrganizationFilterForm, OrganizationForm, PersonForm, ProgramChoiceForm
from .permissions import (
    access_organization_by_id,
    access_person_by_id,
    can_add_person,
    can_archive_organization,
    can_create_organization,
    can_edit_organization,
    can_edit_person,
    can_list_organizations,
    can_restore_organization,
    can_see_history,
    can_validate_registration,
    require,
)
from .selectors import organization_list as select_organizations
from .selectors import pending_registrations, similar_organizations

PAGE_SIZE = 50


def _require_listing(user) -> None:
    allowed, reason = can_list_organizations(user)
    if not allowed:
        raise PermissionDenied(reason)


@login_required
def organization_list(request):
    _require_listing(request.user)
    form = OrganizationFilterForm(request.GET or None, programs=programs_for(request.user))
    filters = form.filters()
    organizations = select_organizations(request.user, **filters)
    paginator = CappedPaginator(organizations, PAGE_SIZE, cap=SEARCH_COUNT_CAP if filters.get("query") else None)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/organization_list.html",
        {
            "form": form,
            "page_obj": page,
            "organizations": page.object_list,
            "can_create": can_create_organization(request.user)[0],
        },
    )


@login_required
def organization_export(request, file_format):
    _require_listing(request.user)
    if file_format not in exports.FORMATS:
        raise Http404
    form = OrganizationFilterForm(request.GET or None, programs=programs_for(request.user))
    organizations = select_organizations(request.user, **form.filters())
    return exports.export_organizations(organizations, file_format)


def _similar_context(error: ConfirmationRequired) -> dict:
    return {"similar": error.candidates, "similar_message": error.message}


@login_required
def organization_create(request):
    require(can_create_organization(request.user))
    programs = programs_run_by(request.user)
    form = OrganizationForm(request.POST or None)
    program_form = ProgramChoiceForm(
        request.POST or None, programs=programs, required=not scope_for(request.user).is_admin
    )
    context = {"form": form, "program_form": program_form}
    if request.method == "POST" and form.is_valid() and program_form.is_valid():
        try:
            organization = organization_create_in_program(
                actor=request.user,
                program=program_form.cleaned_data.get("program"),
                data=form.service_data(),
                confirm_similar=request.POST.get("confirm_similar") == "1",
            )
        except DuplicateError as error:
            form.add_error(error.field, error.messages[0])
            context["existing"] = error.existing
        except ConfirmationRequired as error:
            context.update(_similar_context(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organization %(name)s was registered.") % {"name": organization})
            return redirect(organization)
    return render(request, "organizations/organization_form.html", context)


@login_required
def organization_detail(request, pk):
    organization = access_organization_by_id(request.user, pk)
    people = organization.people.filter(is_active=True).order_by("-is_primary", "last_name", "first_name")
    participations = organization.participations.select_related("program").order_by("program__name_fr")
    user = request.user
    context = {
        "organization": organization,
        "people": people,
        "participations": participations,
        "can_edit": can_edit_organization(user, organization),
        "can_archive": can_archive_organization(user, organization),
        "can_restore": can_restore_organization(user, organization),
        "can_validate": can_validate_registration(user, organization),
        "can_add_person": can_add_person(user, organization),
        "archive_form": ArchiveForm(),
        # Through the reverse relation: organizations must not import the events app above it.
        "events_attended": organization.event_registrations.filter(attended=True)
        .select_related("event")
        .order_by("-event__starts_at")[:50],
    }
    if can_see_history(user, organization)[0]:
        context["history"] = history_for(organization)[:100]
    return render(request, "organizations/organization_detail.html", context)


@login_required
def organization_edit(request, pk):
    organization = access_organization_by_id(request.user, pk)
    require(can_edit_organization(request.user, organization))
    form = OrganizationForm(request.POST or None, instance=organization)
    context = {"form": form, "organization": organization}
    if request.method == "POST" and form.is_valid():
        try:
            # The form wrote the new values onto the instance; the service reloads it before comparing.
            services.organization_update(actor=request.user, organization=organization, data=form.service_data())
        except DuplicateError as error:
            form.add_error(error.field, error.messages[0])
            context["existing"] = error.existing
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(organization)
    return render(request, "organizations/organization_form.html", context)


@login_required
@require_POST
def organization_archive(request, pk):
    organization = access_organization_by_id(request.user, pk)
    require(can_archive_organization(request.user, organization))
    form = ArchiveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.organization_archive(actor=request.user, organization=organization, reason=reason)
    messages.success(request, _("The organization was archived."))
    return redirect(organization)


@login_required
@require_POST
def organization_restore(request, pk):
    organization = access_organization_by_id(request.user, pk)
    require(can_restore_organization(request.user, organization))
    services.organization_restore(actor=request.user, organization=organization)
    messages.success(request, _("The organization was restored."))
    return redirect(organization)


@login_required
def registration_list(request):
    require(can_create_organization(request.user))
    registrations = pending_registrations(request.user)
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "organizations/registration_list.html", {"page_obj": page, "registrations": page.object_list}
    )


@login_required
@require_POST
def registration_validate(request, pk):
    organization = access_organization_by_id(request.user, pk)
    require(can_validate_registration(request.user, organization))
    services.registration_validate(actor=request.user, organization=organization)
    messages.success(request, _("The registration of %(name)s was validated.") % {"name": organization})
    return redirect("organizations:registrations")


@login_required
def registration_merge(request, pk):
    organization = access_organization_by_id(request.user, pk)
    require(can_validate_registration(request.user, organization))
    form = MergeForm(request.POST or None)
    candidates = similar_organizations(
        legal_name=organization.legal_name,
        usual_name=organization.usual_name,
        municipality_id=organization.municipality_id,
        exclude_id=organization.pk,
    )
    if request.method == "POST" and form.is_valid():
        target_id = parse_id(form.cleaned_data["into"])
        try:
            target = access_organization_by_id(request.user, target_id)
        except Http404:
            form.add_error("into", _("No organization you can see has this number."))
        else:
            try:
                with transaction.atomic():
                    services.registration_merge(actor=request.user, organization=organization, into=target)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The registration was merged into %(name)s.") % {"name": target})
                return redirect(target)
    return render(
        request,
        "organizations/registration_merge.html",
        {"organization": organization, "form": form, "candidates": candidates},
    )


@login_required
def person_create(request, pk):
    organization = access_organization_by_id(request.user, pk)
    require(can_add_person(request.user, organization))
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_create(actor=request.user, organization=organization, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact was added."))
            return redirect(organization)
    return render(request, "organizations/person_form.html", {"form": form, "organization": organization})


@login_required
def person_detail(request, pk):
    person = access_person_by_id(request.user, pk)
    return render(
        request,
        "organizations/person_detail.html",
        {
            "person": person,
            "organization": person.organization,
            "can_edit": can_edit_person(request.user, person),
            "consents": person.consents.order_by("purpose", "-answered_at"),
            "events_attended": person.registrations.filter(attended=True)
            .select_related("event")
            .order_by("-event__starts_at")[:50],
            "history": history_for(person)[:100],
        },
    )


@login_required
def person_edit(request, pk):
    person = access_person_by_id(request.user, pk)
    require(can_edit_person(request.user, person))
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(person)
    return render(
        request, "organizations/person_form.html", {"form": form, "organization": person.organization, "person": person}
    )
