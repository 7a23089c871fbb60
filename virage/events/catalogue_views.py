"""A program's event topics and series: listed, and added by its managers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from virage.programs.permissions import access_program_by_slug, can_manage_program

from . import services
from .permissions import require


class TopicForm(forms.Form):
    name_fr = forms.CharField(label=gettext_lazy("Name (French)"), max_length=100)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=100, required=False)


class SeriesForm(forms.Form):
    title_fr = forms.CharField(label=gettext_lazy("Title (French)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200, required=False)


def _styled(form):
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    return form


@login_required
def program_catalogue(request, slug):
    program = access_program_by_slug(request.user, slug)
    require(can_manage_program(request.user, program))
    kind = request.POST.get("kind") if request.method == "POST" else None
    topic_form = _styled(TopicForm(request.POST if kind == "topic" else None, prefix="topic"))
    series_form = _styled(SeriesForm(request.POST if kind == "series" else None, prefix="series"))
    form, create = {
        "topic": (topic_form, lambda data: services.topic_create(program=program, actor=request.user, **data)),
        "series": (series_form, lambda data: services.series_create(program=program, actor=request.user, **data)),
    }.get(kind, (None, None))
    if form is not None and form.is_valid():
        try:
            create(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added."))
            return redirect("events:program_catalogue", slug=program.slug)
    return render(
        request,
        "events/program_catalogue.html",
        {
            "program": program,
            "topics": program.topics.order_by("name_fr"),
            "series_list": program.event_series.order_by("title_fr"),
            "topic_form": topic_form,
            "series_form": series_form,
        },
    )
