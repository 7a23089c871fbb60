"""HTML pages of programs: the dashboard, programs and their members, and public self-registration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from virage.accounts.scope import scope_for
from virage.core.activity import history_for
from virage.core.errors import DuplicateError
from virage.core.ratelimits import TOO_MANY_REQUESTS, TOO_MANY_SUBMISSIONS, public_form_limited
from virage.organizations.models import Organization
from virage.organizations.permissions import require
from virage.organizations.selectors import organizations_for, pending_registrations

from . import selectors, services
from .forms import (
    ConsentForm,
    InviteForm,
    ProgramChoiceRegistrationForm,
    ProgramForm,
    RegistrationContactForm,
    RegistrationOrganizationForm,
    TargetsForm,
)
from .permissions import (
    access_membership_by_id,
    access_program_by_slug,
    can_create_program,
    can_manage_program,
    can_see_members,
)


@login_required
def home(request):
    scope = scope_for(request.user)
    context = {"programs": selectors.program_list(request.user)}
    if scope.is_staff_of_some_program:
        context["pending_count"] = pending_registrations(request.user).count()
    return render(request, "programs/home.html", context)


@login_required
def program_list(request):
    return render(
        request,
        "programs/program_list.html",
        {"programs": selectors.program_list(request.user), "can_create": can_create_program(request.user)[0]},
    )


def _operator_choices(user):
    return organizations_for(user).exclude(status=Organization.Status.ARCHIVED).order_by("name_folded")


@login_required
def program_create(request):
    require(can_create_program(request.user))
    form = ProgramForm(request.POST or None, organizations=_operator_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(
                actor=request.user,
                data=form.service_data(),
                partners=form.cleaned_data["partners"],
                regions=form.cleaned_data["regions"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The program was created."))
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form})


@login_required
def program_detail(request, slug):
    program = access_program_by_slug(request.user, slug)
    selectors.with_program_details(program)
    scope = scope_for(request.user)
    context = {
        "program": program,
        "summary": selectors.program_summary(program),
        "by_region": selectors.program_organizations_by_region(program),
        "can_manage": can_manage_program(request.user, program)[0],
        "can_see_members": can_see_members(request.user, program)[0],
    }
    if scope.sees_personal_information:
        context["history"] = history_for(program)[:50]
    return render(request, "programs/program_detail.html", context)


@login_required
def program_edit(request, slug):
    program = access_program_by_slug(request.user, slug)
    require(can_manage_program(request.user, program))
    form = ProgramForm(request.POST or None, instance=program, organizations=_operator_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_update(
                actor=request.user,
                program=program,
                data=form.service_data(),
                partners=form.cleaned_data["partners"],
                regions=form.cleaned_data["regions"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@login_required
def program_targets(request, slug):
    program = access_program_by_slug(request.user, slug)
    require(can_manage_program(request.user, program))
    form = TargetsForm(request.POST if request.method == "POST" else None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for indicator, value in form.cleaned_data.items():
                    services.target_set(actor=request.user, program=program, indicator=indicator, value=value)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The targets were saved."))
            return redirect(program)
    return render(request, "programs/program_targets.html", {"form": form, "program": program})


@login_required
def program_members(request, slug):
    program = access_program_by_slug(request.user, slug)
    require(can_see_members(request.user, program))
    can_manage = can_manage_program(request.user, program)[0]
    form = InviteForm(request.POST or None, organizations=_operator_choices(request.user)) if can_manage else None
    if request.method == "POST":
        require((can_manage, ""))
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = services.membership_invite(
                    actor=request.user,
                    program=program,
                    email=data["email"],
                    role=data["role"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    language=data["language"],
                    regions=data["regions"],
                    organizations=data["organizations"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(person)s is now %(role)s in this program.")
                    % {"person": membership.user, "role": membership.get_role_display().lower()},
                )
                return redirect("programs:members", slug=program.slug)
    return render(
        request,
        "programs/program_members.html",
        {"program": program, "members": selectors.program_members(program), "form": form, "can_manage": can_manage},
    )


@login_required
@require_POST
def membership_revoke(request, slug, membership_id):
    program = access_program_by_slug(request.user, slug)
    require(can_manage_program(request.user, program))
    membership = access_membership_by_id(request.user, program, membership_id)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was removed."))
    return redirect("programs:members", slug=program.slug)


def register(request):
    """Public self-registration of an organization and its first contact."""
    programs = list(selectors.public_programs())
    data = request.POST or None
    program_form = ProgramChoiceRegistrationForm(data, programs=selectors.public_programs(), prefix="program")
    # A program's own registration link (?programme=<slug>) preselects it.
    chosen = next((p for p in programs if p.slug == request.GET.get("programme")), None)
    if chosen is not None:
        program_form.fields["program"].initial = chosen
    organization_form = RegistrationOrganizationForm(data, prefix="organization")
    contact_form = RegistrationContactForm(data, prefix="contact")
    consent_form = ConsentForm(data, prefix="consent")
    # Every form is validated (no short-circuit) so that all errors show at once.
    valid = [form.is_valid() for form in (program_form, organization_form, contact_form, consent_form)]
    limited = public_form_limited(request, "self-registration")
    if limited:
        organization_form.add_error(None, TOO_MANY_SUBMISSIONS)
    elif request.method == "POST" and all(valid):
        try:
            services.organization_self_register(
                program=program_form.cleaned_data["program"],
                organization_data=organization_form.service_data(),
                contact_data=contact_form.cleaned_data,
                consents=consent_form.answers(),
            )
        except DuplicateError as error:
            # The public never sees the registry: say it exists, without naming or linking it.
            organization_form.add_error(
                error.field,
                _(
                    "An organization with this number is already registered. "
                    "Contact the program team to be added to it."
                ),
            )
        except ValidationError as error:
            _dispatch_errors(error, organization_form, contact_form)
        else:
            return redirect("programs:register_done")
    return render(
        request,
        "programs/register.html",
        {
            "programs": programs,
            "program_form": program_form,
            "organization_form": organization_form,
            "contact_form": contact_form,
            "consent_form": consent_form,
            "has_errors": request.method == "POST",
        },
        status=TOO_MANY_REQUESTS if limited else 200,
    )


def _dispatch_errors(error: ValidationError, organization_form, contact_form) -> None:
    if not hasattr(error, "error_dict"):
        organization_form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        if field in contact_form.fields:
            contact_form.add_error(field, messages_)
        elif field in organization_form.fields:
            organization_form.add_error(field, messages_)
        else:
            organization_form.add_error(None, messages_)


def register_done(request):
    return render(request, "programs/register_done.html")
