"""Learning in the French UI: a learner's whole path (enroll, attend, complete, download the
attestation, verify it) and a facilitator's progress grid driven with the keyboard.

Every page the browser shows is scanned with axe-core (``assert_accessible``).
"""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from virage.events.models import Registration
from virage.events.services import attendance_mark
from virage.learning import services
from virage.learning.models import Attestation, Enrollment, LearningPath, Module, ModuleProgress
from virage.learning.tests.factories import CohortFactory, ModuleFactory, PathFactory

from .accessibility import assert_accessible
from .pages import sign_in
from .texts import french

pytestmark = pytest.mark.browser

PATH_TITLE = "Sensibilisation à l’intelligence artificielle"
MAX_TABS = 80


@pytest.fixture
def awareness(world):
    path = PathFactory(
        program=world.program,
        title_fr=PATH_TITLE,
        title_en="Artificial-intelligence awareness",
        kind=LearningPath.Kind.AWARENESS,
    )
    reading = ModuleFactory(
        path=path, position=1, title_fr="L’IA, qu’est-ce que c’est?", format=Module.Format.SELF_PACED
    )
    live = ModuleFactory(path=path, position=2, title_fr="L’IA au travail", format=Module.Format.LIVE_SESSION)
    cohort = CohortFactory(path=path, name="IA — cohorte de novembre", region=world.region_quebec)
    starts_at = timezone.now() - datetime.timedelta(hours=3)
    session = services.cohort_session_create(
        cohort=cohort,
        module=live,
        event_data={
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "online_url": "https://zoom.example/j/77",
        },
        actor=world.manager,
    )
    return cohort, reading, live, session


def test_a_learner_enrolls_attends_completes_downloads_and_verifies_the_attestation(page, world, awareness, screenshot):
    cohort, reading, _live, session = awareness
    sign_in(page, world.contact_quebec)
    page.get_by_role("link", name=french("My learning")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(french("My learning"))
    assert_accessible(page)

    # Enroll in the open cohort.
    page.get_by_role("button", name=re.compile(re.escape(french("Enroll")) + r".*" + re.escape(cohort.name))).click()
    expect(page.get_by_role("alert")).to_have_text(french("You are enrolled."))
    expect(page.get_by_role("heading", level=2, name=PATH_TITLE)).to_be_visible()
    assert_accessible(page)
    enrollment = Enrollment.objects.get(person=world.person_quebec, cohort=cohort)
    # Enrolling registered the learner to the cohort's live session (an event).
    registration = Registration.objects.get(event=session.event, person=world.person_quebec)

    # The learner declares the reading done; then attends the session (the facilitator's roll call).
    page.get_by_role("button", name=re.compile(re.escape(french("I completed it")))).click()
    expect(page.get_by_text(french("Declared, waiting for validation"))).to_be_visible()
    assert_accessible(page)
    attendance_mark(registration=registration, attended=True, actor=world.manager)
    services.progress_update(enrollment=enrollment, module=reading, status="completed", actor=world.manager)
    services.progress_sync_attendance(cohort=cohort, actor=world.manager)
    attestation = Attestation.objects.get(enrollment=enrollment)

    # Complete: the attestation is on the page; the learner downloads it.
    page.reload()
    download_link = page.get_by_role("link", name=french("Download my attestation (PDF)"))
    expect(download_link).to_be_visible()
    assert_accessible(page)
    screenshot("my-learning-completed")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == f"attestation-{attestation.code}.pdf"
    with open(download.path(), "rb") as pdf:
        text = " ".join(PdfReader(io.BytesIO(pdf.read())).pages[0].extract_text().split())
    assert "Jérôme Côté" in text or world.person_quebec.last_name in text
    assert PATH_TITLE in text and attestation.display_code in text

    # Verify: the public page says valid, with the name, the path and the date, and no e-mail.
    page.get_by_role("link", name=attestation.display_code).click()
    expect(page.get_by_role("status")).to_contain_text(french("Valid"))
    expect(page.get_by_text(PATH_TITLE)).to_be_visible()
    assert world.person_quebec.email not in page.content()
    assert_accessible(page)
    screenshot("verification")


def focus_by_tabbing(page, target) -> None:
    """Press Tab until ``target`` has the keyboard focus; fail when it is never reached."""
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError("The control was never reached with the Tab key.")


def wait_for_swap(page) -> None:
    """Wait until htmx has put the answer in place (the request's classes are gone)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def test_a_facilitator_updates_the_grid_with_the_keyboard(page, world, awareness, screenshot):
    cohort, reading, live, _session = awareness
    cohort.facilitators.add(world.coach)
    enrollment = services.enrollment_create(cohort=cohort, person=world.person_quebec, actor=world.manager)
    sign_in(page, world.coach)
    page.goto(f"/apprentissage/cohortes/{cohort.pk}/grille/")
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Progress: %(name)s", name=cohort.name))
    assert_accessible(page)

    name = f"{world.person_quebec.first_name} {world.person_quebec.last_name}"
    # The label reads the same in both languages: the learner, then the module.
    cell = page.get_by_label(f"{name}, {reading.title_fr}", exact=True)
    expect(cell).to_have_value("not_started")
    page.locator("body").focus()
    focus_by_tabbing(page, cell)
    saved = lambda response: "/grille/" in response.url and response.request.method == "POST"  # noqa: E731
    # Typing the first letter of a status (or the arrow keys) chooses it; Enter saves it, focus kept.
    page.keyboard.type(french("In progress")[0])
    with page.expect_response(saved):
        page.keyboard.press("Enter")
    wait_for_swap(page)
    select = page.locator(f"#status-{enrollment.pk}-{reading.pk}")
    expect(select).to_have_value("in_progress")
    expect(select).to_be_focused()
    assert ModuleProgress.objects.get(enrollment=enrollment, module=reading).status == "in_progress"
    # The down arrow moves to the next status, "completed".
    page.keyboard.press("ArrowDown")
    expect(select).to_have_value("completed")
    with page.expect_response(saved):
        page.keyboard.press("Enter")
    wait_for_swap(page)
    expect(page.locator(f"#status-{enrollment.pk}-{reading.pk}")).to_have_value("completed")
    # The live module still waits for attendance: the row says one requirement is left.
    completion = page.locator(f"#completion-{enrollment.pk}")
    expect(completion).to_contain_text("1")
    assert_accessible(page)
    screenshot("grid")
    progress = ModuleProgress.objects.get(enrollment=enrollment, module=reading)
    assert progress.status == ModuleProgress.Status.COMPLETED
    assert progress.validated_by == world.coach
    assert not Attestation.objects.filter(enrollment=enrollment).exists()
    assert live.pk  # the live cell is read-only text, not a control
    expect(page.get_by_label(re.compile(re.escape(live.title_fr)))).to_have_count(0)
