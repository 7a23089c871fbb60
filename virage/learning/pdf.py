"""The attestation as a PDF: one page in French, one in English, with a QR code to its verification page.

Rendered by WeasyPrint from a Django template; the QR code is drawn by segno (pure Python) as an
SVG inlined in the page, so nothing is fetched from the network.
"""

import base64
import io
from decimal import Decimal

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import Attestation

LANGUAGES = ("fr", "en")


def verification_url(attestation: Attestation) -> str:
    return settings.SITE_URL + attestation.get_verification_url()


def qr_code_data_uri(text: str) -> str:
    """``text`` as a QR code, an SVG data URI (error correction M, no border beyond the quiet zone)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _hours(value: Decimal, language: str) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"
    return text.replace(".", ",") if language == "fr" else text


def _page(attestation: Attestation, language: str) -> str:
    """One page of the attestation, in ``language``."""
    path_title = attestation.path_title_fr
    if language == "en" and attestation.path_title_en:
        path_title = attestation.path_title_en
    with translation.override(language):
        return render_to_string(
            "learning/attestation_page.html",
            {
                "attestation": attestation,
                "language": language,
                "path_title": path_title,
                "competencies": [item.get(language) or item.get("fr", "") for item in attestation.competencies],
                "hours": _hours(attestation.hours, language),
                "completed_on": attestation.completed_on.isoformat(),
                "verification_url": verification_url(attestation),
                "qr_code": qr_code_data_uri(verification_url(attestation)),
            },
        )


def render_attestation_html(attestation: Attestation) -> str:
    """The whole document: the learner's language first, then the other."""
    first = attestation.language if attestation.language in LANGUAGES else "fr"
    order = [first] + [language for language in LANGUAGES if language != first]
    return render_to_string(
        "learning/attestation_pdf.html",
        {"pages": [_page(attestation, language) for language in order], "attestation": attestation},
    )


def render_attestation_pdf(attestation: Attestation) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_attestation_html(attestation), base_url=str(settings.BASE_DIR)).write_pdf()


def attestation_file_name(attestation: Attestation) -> str:
    return f"attestation-{attestation.code}.pdf"
