"""The attestation PDF and the public verification page."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from virage.core.tests.factories import PersonFactory
from virage.learning import services
from virage.learning.models import Attestation, format_code, new_verification_code, normalize_code
from virage.learning.pdf import qr_code_data_uri, render_attestation_pdf
from virage.learning.public_views import LOOKUPS_PER_WINDOW

from .factories import CohortFactory, CompetencyFactory, ModuleFactory, PathFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attestation(world):
    competency = CompetencyFactory(program=world.program, name_fr="Cybersécurité", name_en="Cybersecurity")
    path = PathFactory(
        program=world.program,
        title_fr="Économie numérique pour conseillers",
        title_en="Digital economy for advisors",
    )
    module = ModuleFactory(path=path, expected_hours="7.50")
    module.competencies.add(competency)
    person = PersonFactory(
        organization=world.org_montreal, first_name="Élise", last_name="Fournier", email="elise@caisse.qc.ca"
    )
    enrollment = services.enrollment_create(cohort=CohortFactory(path=path), person=person, actor=None)
    services.progress_update(enrollment=enrollment, module=module, status="completed", actor=world.manager)
    return Attestation.objects.get(enrollment=enrollment)


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_pdf_has_a_french_page_then_an_english_page_with_name_path_hours_and_code(attestation):
    content = render_attestation_pdf(attestation)
    assert content.startswith(b"%PDF")
    french, english = pdf_pages(content)
    code = attestation.display_code
    assert "Attestation de réussite" in french
    assert "Élise Fournier" in french and "Économie numérique pour conseillers" in french
    assert "Cybersécurité" in french and "7,5" in french and code in french
    assert "Certificate of completion" in english
    assert "Élise Fournier" in english and "Digital economy for advisors" in english
    assert "Cybersecurity" in english and "7.5" in english and code in english
    # The verification address, never the e-mail address.
    assert f"/attestations/verifier/{attestation.code}/" in french
    assert "elise@caisse.qc.ca" not in french + english


def test_an_english_speaking_learner_gets_the_english_page_first(attestation):
    attestation.language = "en"
    first, second = pdf_pages(render_attestation_pdf(attestation))
    assert "Certificate of completion" in first and "Attestation de réussite" in second


def test_the_qr_code_is_an_inline_svg():
    assert qr_code_data_uri("https://virage.example/attestations/verifier/X/").startswith("data:image/svg+xml;base64,")


def test_the_learner_downloads_their_pdf(client, attestation):
    person = attestation.enrollment.person
    from virage.core.tests.factories import UserFactory

    person.user = UserFactory(email="elise@caisse.qc.ca")
    person.save()
    client.force_login(person.user)
    response = client.get(reverse("learning:attestation_pdf", args=[attestation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert attestation.code in response["Content-Disposition"]


def test_verification_codes_are_unguessable_and_forgiving_to_type():
    codes = {new_verification_code() for _number in range(1000)}
    assert len(codes) == 1000
    code = codes.pop()
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{16}", code)
    assert normalize_code(format_code(code).lower().replace("-", " ")) == code
    assert normalize_code("O0O0-I1I1-L1L1-0000") == ""


def test_the_verification_page_shows_valid_with_name_path_and_date_only(client, attestation):
    response = client.get(reverse("attestations:verify", args=[attestation.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valide" in page
    assert "Élise Fournier" in page and "Économie numérique pour conseillers" in page
    assert attestation.completed_on.isoformat() in page
    # Nothing else about the person: no e-mail, organization, hours or competencies.
    for leak in ("elise@caisse.qc.ca", "Carrefour", "7,50", "Cybersécurité"):
        assert leak not in page


def test_a_revoked_attestation_verifies_as_revoked_without_its_reason(client, attestation, world):
    services.attestation_revoke(attestation=attestation, reason="Erreur d’inscription", actor=world.manager)
    response = client.get(reverse("attestations:verify", args=[attestation.code]))
    page = response.content.decode()
    assert "Révoquée" in page and "Valide —" not in page
    assert "Erreur d’inscription" not in page


def test_an_unknown_code_says_so_with_404(client, db):
    response = client.get(reverse("attestations:verify", args=["AAAABBBBCCCCDDDD"]))
    assert response.status_code == 404
    assert "Aucune attestation" in response.content.decode()


def test_the_form_sends_to_the_code_page_whatever_the_typing(client, attestation):
    response = client.get(reverse("attestations:verify_form"), {"code": attestation.display_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("attestations:verify", args=[attestation.code])
    response = client.get(reverse("attestations:verify_form"), {"code": "pas un code"})
    assert response.status_code == 200 and "16" in response.content.decode()


def test_lookups_are_limited_per_address(client, db):
    url = reverse("attestations:verify", args=["AAAABBBBCCCCDDDD"])
    for _number in range(LOOKUPS_PER_WINDOW):
        assert client.get(url).status_code == 404
    assert client.get(url).status_code == 429
