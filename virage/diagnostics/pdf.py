"""The action plan as a PDF: the results page's own content (scores, radar, plan), rendered by WeasyPrint.

The radar is inline SVG, drawn on the server as on the page; nothing is fetched from the network.
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_plan_html(context: dict) -> str:
    return render_to_string("diagnostics/plan_pdf.html", context)


def render_plan_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_plan_html(context), base_url=str(settings.BASE_DIR)).write_pdf()


def plan_file_name(assessment) -> str:
    return f"plan-action-diagnostic-{assessment.pk}.pdf"
