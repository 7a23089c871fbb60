"""Staff pages that import a Zoom or Teams attendance report: upload, preview, confirm."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .attendance_import import (
    CREATE,
    IGNORE,
    attendance_import_apply,
    attendance_import_upload,
    attendance_preview,
)
from .attendance_reports import ReportError
from .models import AttendanceImport
from .permissions import access_attendance_import, access_event_by_id, can_manage_event, require


class ReportUploadForm(forms.Form):
    report = forms.FileField(
        label=gettext_lazy("Attendance report"),
        help_text=gettext_lazy(
            "The webinar's “Attendee Report” from Zoom, or the attendance report from Teams, as exported (CSV)."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,text/csv,text/plain"}),
    )


@login_required
def attendance_import_start(request, pk):
    event = access_event_by_id(request.user, pk)
    require(can_manage_event(request.user, event))
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["report"]
        try:
            attendance_import = attendance_import_upload(
                event=event, data=upload.read(), filename=upload.name, actor=request.user
            )
        except ReportError as error:
            form.add_error("report", str(error))
        else:
            return redirect("events:attendance_import_preview", pk=event.pk, token=attendance_import.token)
    return render(request, "events/attendance_import_start.html", {"event": event, "form": form})


@login_required
def attendance_import_preview(request, pk, token):
    event = access_event_by_id(request.user, pk)
    attendance_import = access_attendance_import(request.user, event, token)
    if attendance_import.status == AttendanceImport.Status.APPLIED:
        messages.info(request, _("This import was already confirmed."))
        return redirect("events:roll_call", pk=event.pk)
    try:
        preview = attendance_preview(attendance_import)
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("events:attendance_import", pk=event.pk)
    linkable = [match.registration for match in preview.matched] + preview.absent
    if request.method == "POST":
        links = {match.key: request.POST.get(f"link-{index}", IGNORE) for index, match in enumerate(preview.unmatched)}
        try:
            summary = attendance_import_apply(attendance_import=attendance_import, actor=request.user, links=links)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Attendance imported: %(matched)s matched, %(created)s added from the report, %(changed)s changed.")
                % summary,
            )
            return redirect("events:roll_call", pk=event.pk)
    return render(
        request,
        "events/attendance_import_preview.html",
        {
            "event": event,
            "attendance_import": attendance_import,
            "preview": preview,
            "unmatched": list(enumerate(preview.unmatched)),
            "linkable": sorted(linkable, key=lambda registration: registration.full_name),
            "CREATE": CREATE,
            "IGNORE": IGNORE,
        },
    )
