"""Journey: a patient on their phone types a wrong date of birth 5 times and their passcode locks;
the right date of birth then gets the "locked" page (what happened, what to do, no "try again");
their CNS finds the item on the team's worklist, gives them a new passcode, and the item is done;
the patient carries on with the new one. Axe on every page; nothing scrolls sideways at 320 px."""

import datetime

import pytest
from playwright.sync_api import expect

from hna.models import Passcode
from hna.services import assessments
from portal.worklist.models import Status, WorkItem
from tests.system.conftest import DESKTOP, NARROWEST, PHONE, assert_fits
from tests.system.test_hna_journey import sign_in
from tests.system.test_hna_patient_journey import NOT_RIGHT, enter_passcode, heading

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_patient_locked_out_is_told_so_and_their_team_is_told_too(
    live_server, browser, phone_page, cast, assert_accessible
):
    hna = assessments.set_up(
        actor=cast.cns_a, patient=cast.patient, point_of_pathway="01", trigger="diagnosis", offer_status="03",
        event_date=datetime.date.today(),
    )  # fmt: skip
    page, dob = phone_page, cast.patient.date_of_birth
    typo = dob.replace(year=dob.year - 1)  # the same day and month, the year mistyped

    # Given the passcode from their nurse, when they type a wrong date of birth 4 times
    page.goto(live_server.url + "/hna/start/")
    assert_accessible(page)
    for _ in range(4):
        enter_passcode(page, hna.passcode, typo)
        expect(page.locator(".nhsuk-error-summary")).to_contain_text(NOT_RIGHT)
    assert_accessible(page)

    # And a 5th time, then they are told at once that the passcode is locked
    enter_passcode(page, hna.passcode, typo)
    expect(heading(page)).to_have_text("Your passcode is locked")
    assert_accessible(page)

    # When they go back and type the right date of birth, it is still locked, and the page says
    # what happened and what to do, with no "try again"
    page.goto(live_server.url + "/hna/start/")
    enter_passcode(page, hna.passcode, dob)
    expect(heading(page)).to_have_text("Your passcode is locked")
    main = page.get_by_role("main")
    expect(main).to_contain_text("did not match the one your care team has for you 5 times")
    expect(main).to_contain_text("Call your care team and ask for a new passcode. We have told them")
    expect(main).not_to_contain_text("try again")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert_accessible(page)
    assert_fits(page, NARROWEST, PHONE)

    # Then their CNS finds it on the team's worklist, once
    cns = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(cns, live_server, cast, cast.cns_a, assert_accessible)
    cns.goto(live_server.url + "/worklist/")
    title = f"HNA passcode locked for {cast.patient.full_name}: give them a new one"
    expect(cns.get_by_role("link", name=title)).to_have_count(1)
    assert_accessible(cns)

    # When they open it, the assessment says the passcode is locked, and they reissue one
    cns.get_by_role("link", name=title).click()
    expect(cns.get_by_role("main")).to_contain_text("The passcode is locked after too many wrong dates of birth")
    assert_accessible(cns)
    cns.get_by_role("button", name="Reissue passcode").click()
    expect(heading(cns)).to_have_text("Passcode for the patient")
    assert_accessible(cns)
    new = cns.locator("[data-passcode] [aria-hidden=true]").inner_text().replace("-", "").strip()

    # Then the item is done and leaves the worklist
    item = WorkItem.objects.get(source_type="hna.passcode.locked")
    assert item.status == Status.DONE and item.status_changes.last().created_by == cast.cns_a
    cns.goto(live_server.url + "/worklist/")
    expect(cns.get_by_role("link", name=title)).to_have_count(0)

    # And the patient carries on with the new passcode
    page.goto(live_server.url + "/hna/start/")
    enter_passcode(page, new, dob)
    expect(heading(page)).to_have_text("Physical concerns")
    assert_accessible(page)
    assert Passcode.objects.filter(assessment=hna.assessment, locked_at__isnull=False).count() == 1
