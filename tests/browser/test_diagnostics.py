"""The digital maturity assessment in the French UI: a contact starts it, answers with autosave,
leaves mid-way, resumes where they left off, describes their needs, submits, and sees the radar,
the table of scores and the action plan; then downloads the plan as a PDF.

Every page the browser shows is scanned with axe-core (``assert_accessible``). Screenshots of the
results page and of the PDF's first page go to var/browser-artifacts/ for a person to look at.
"""

import re

import pypdfium2
import pytest
from playwright.sync_api import expect

from virage.diagnostics import services
from virage.diagnostics.models import Assessment

from .accessibility import assert_accessible
from .conftest import _artifact_path
from .pages import sign_in
from .texts import french

pytestmark = pytest.mark.browser


@pytest.fixture
def questionnaire(world):
    services.questionnaire_load_builtin(program=world.program, key="community", actor=world.manager)
    services.rules_load_defaults(program=world.program, actor=world.manager)


def answer_page(page, choice: int) -> None:
    """Answer every question of the page shown: the ``choice``-th option (from 0) of each, or the last one."""
    for fieldset in page.locator("fieldset[id^=q]").all():
        options = fieldset.locator("input.form-check-input")
        index = min(choice, options.count() - 1)
        # "Not applicable" is always last: never pick it here.
        if options.nth(index).get_attribute("value") == "na":
            index = max(0, index - 1)
        options.nth(index).check()
        expect(page.locator("#save-status")).to_contain_text(re.compile(r"\d\d:\d\d"))


def test_a_contact_starts_leaves_resumes_submits_and_sees_the_radar_and_plan(page, world, questionnaire, request):
    sign_in(page, world.contact_quebec)
    page.get_by_role("link", name=french("My diagnostics")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(french("My diagnostics"))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(re.escape(world.org_quebec.display_name))).first.click()
    assert_accessible(page)
    page.get_by_role("button", name=french("Start the assessment")).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(french("Digital strategy"))
    assert_accessible(page)

    # The first dimension, answered with the keyboard: Tab to a question's first option, Space checks it.
    first = page.locator("fieldset[id^=q]").first.locator("input.form-check-input").first
    first.focus()
    page.keyboard.press("Space")
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    answer_page(page, 1)
    assert_accessible(page)
    page.get_by_role("button", name=french("Save and continue")).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Préparation numérique")
    # Half of the second dimension, saved as it is answered; then the contact leaves.
    page.locator("fieldset[id^=q]").first.locator("input.form-check-input").first.check()
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    assert_accessible(page)
    assessment = Assessment.objects.get(organization=world.org_quebec)
    answered = assessment.answered_count
    assert answered >= 5

    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name=french("My diagnostics")).click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(re.escape(french("Continue")))).first.click()
    # Resumed on the dimension left unfinished, with the saved answer checked.
    expect(page.locator("input[name=dimension]")).to_have_value("2")
    expect(page.locator("fieldset[id^=q]").first.locator("input.form-check-input").first).to_be_checked()
    assert_accessible(page)
    answer_page(page, 2)
    page.get_by_role("button", name=french("Save and continue")).click()
    for _dimension in range(4):
        assert_accessible(page)
        answer_page(page, 1)
        page.get_by_role(
            "button",
            name=re.compile(
                re.escape(french("Save and continue")) + "|" + re.escape(french("Save and go to the needs"))
            ),
        ).click()

    # Needs: one expertise theme, one financing need.
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Support needs"))
    assert_accessible(page)
    page.get_by_label("Cybersécurité", exact=True).check()
    page.get_by_label(french("Financing need")).first.select_option("equipment")
    page.get_by_label(french("Estimated amount ($)")).first.fill("4500")
    page.get_by_role("button", name=french("Save and review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Review and submit"))
    assert_accessible(page)
    page.get_by_role("button", name=french("Submit the assessment")).click()

    # Results: the radar (an image with its title), the same numbers in the table, the action plan.
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Results of the assessment"))
    expect(page.get_by_role("img", name=french("Radar chart of the scores per dimension"))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=french("Action plan"))).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.is_submitted
    table = page.get_by_role("table", name=french("Scores per dimension (0 to 100)"))
    expect(table).to_contain_text(f"{assessment.overall_score}".replace(".", ","))
    assert_accessible(page)
    page.screenshot(path=_artifact_path(request.node, "-results.png"), full_page=True)

    # The plan as a PDF, its first page rendered to an image.
    response = page.request.get(f"/diagnostics/{assessment.pk}/plan-action.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.body())
    pdf[0].render(scale=1.5).to_pil().save(_artifact_path(request.node, "-plan-page-1.png"))
