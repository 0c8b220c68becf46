import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from followup.models import PathwayStatus, Result, TestStatus
from followup.services import results
from portal.people.models import Role
from portal.worklist.models import Kind, Priority, Status, WorkItem
from tests.conftest import give_totp
from tests.factories import CareTeamFactory
from tests.followup.results_helpers import (
    after_the_samples,  # noqa: F401 - autouse: the clock after the samples
    colorectal_pathway,
    staff,
)

pytestmark = pytest.mark.django_db
SAMPLE = datetime.date(2026, 7, 20)  # CEA due 15 July 2026 (6 months after 15 January)


def keyed(actor, pathway, **fields):
    values = dict(
        actor=actor,
        nhs_number=pathway.patient.nhs_number,
        test_code="CEA",
        sample_date=SAMPLE,
        source=Result.Source.KEYED,
        value=Decimal("2.1"),
        units="ug/L",
        abnormal=False,
    )
    return results.record_result(**(values | fields))


def test_a_result_matches_the_open_test_nearest_its_sample_date_and_goes_for_review():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    result = keyed(cns, pathway, sample_date=datetime.date(2027, 1, 10))  # nearest: due 15 Jan 2027
    assert result.test.due_date == datetime.date(2027, 1, 15)
    assert result.test.status == TestStatus.RESULTED
    assert result.test.changes.last().status_to == TestStatus.RESULTED
    item = WorkItem.objects.get(kind=Kind.RESULT_TO_REVIEW, source_id=str(result.pk))
    assert (item.team, item.patient, item.status) == (pathway.team, pathway.patient, Status.OPEN)


def test_nhs_number_spaces_and_lower_case_code_still_match():
    pathway = colorectal_pathway()
    n = pathway.patient.nhs_number
    result = keyed(staff(pathway.team), pathway, nhs_number=f"{n[:3]} {n[3:6]} {n[6:]}", test_code="cea")
    assert result.test is not None and result.test_code == "CEA"


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"test_code": "NOPE"}, "Unknown test code 'NOPE'"),
        ({"test_code": "PSA"}, "no open PSA test"),
    ],
)
def test_a_result_for_no_open_test_is_kept_unmatched_on_the_team_worklist(fields, reason):
    pathway = colorectal_pathway()
    result = keyed(staff(pathway.team), pathway, **fields)
    assert result.test is None and result.patient == pathway.patient
    assert reason in result.unmatched_reason
    item = WorkItem.objects.get(kind=Kind.UNMATCHED_RESULT, source_id=str(result.pk))
    assert item.team == pathway.team and reason in item.title


def test_a_cancelled_test_is_named_as_the_reason():
    pathway = colorectal_pathway()
    pathway.tests.filter(test_type__code="CEA").update(status=TestStatus.CANCELLED)
    result = keyed(staff(pathway.team), pathway)
    assert result.test is None and "was cancelled" in result.unmatched_reason


def test_an_unknown_nhs_number_is_kept_for_the_receiving_team_only():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    result = keyed(cns, pathway, nhs_number="9434765919")
    assert (result.test, result.patient, result.received_by_team) == (None, None, pathway.team)
    assert "No patient" in result.unmatched_reason
    assert list(results.unmatched_for(cns)) == [result]
    assert list(results.unmatched_for(staff(CareTeamFactory()))) == []
    # On the receiving team's worklist too, about no patient, pointing at the unmatched list.
    item = WorkItem.objects.get(kind=Kind.UNMATCHED_RESULT, source_id=str(result.pk))
    assert (item.team, item.patient, item.link) == (pathway.team, None, "/follow-up/results/unmatched/")
    assert list(WorkItem.objects.visible_to(staff(CareTeamFactory()))) == []


def test_the_worklist_page_shows_a_result_that_matched_no_patient(client):
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    keyed(cns, pathway, nhs_number="9434765919")
    give_totp(cns)
    client.force_login(cns)
    page = client.get("/worklist/")
    html = page.content.decode()
    assert page.status_code == 200 and "No patient matched" in html
    assert 'href="/follow-up/results/unmatched/"' in html and "No patient with this NHS number" in html


def test_another_teams_patient_is_treated_as_unknown():
    pathway = colorectal_pathway()
    other = staff(CareTeamFactory(tumour_site="colorectal"))
    result = keyed(other, pathway)
    assert result.patient is None and result.test is None
    assert pathway.tests.get(due_date=datetime.date(2026, 7, 15)).status == TestStatus.SCHEDULED


def test_what_no_result_can_be_is_refused_with_each_field_named():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    tomorrow = datetime.date(2027, 3, 2)  # the clock is 1 March 2027 here
    with pytest.raises(ValidationError) as refused:
        keyed(cns, pathway, nhs_number="9434765918", sample_date=tomorrow, value=Decimal("-5"), units="u" * 21)
    assert refused.value.message_dict == {
        "nhs_number": ["NHS number is not valid: check the digits and try again"],
        "sample_date": ["Sample date must be today or in the past"],
        "value": ["Value cannot be negative"],
        "units": ["Units must be 20 characters or fewer"],
    }
    with pytest.raises(ValidationError, match="10 digits"):
        keyed(cns, pathway, nhs_number="abc")
    assert not Result.objects.exists()
    assert keyed(cns, pathway, sample_date=datetime.date(2027, 3, 1)).test is not None  # today is fine


def test_another_team_sending_the_same_sample_learns_nothing_and_keeps_its_own():
    pathway = colorectal_pathway()
    first = keyed(staff(pathway.team), pathway)
    other = keyed(staff(CareTeamFactory(tumour_site="colorectal")), pathway)  # no DuplicateResult
    assert (other.patient, other.test, other.received_by_team) != (first.patient, first.test, first.received_by_team)
    assert other.patient is None and "No patient" in other.unmatched_reason


def test_a_duplicate_sample_is_refused_and_the_first_kept():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    first = keyed(cns, pathway)
    with pytest.raises(results.DuplicateResult, match="already here"):
        keyed(cns, pathway, value=Decimal("9"))
    assert list(Result.objects.all()) == [first]


def test_someone_with_no_team_may_not_record():
    pathway = colorectal_pathway()
    with pytest.raises(PermissionDenied):
        keyed(staff(pathway.team, role=Role.GP), pathway)


def test_a_blank_nhs_number_is_named():
    pathway = colorectal_pathway()
    with pytest.raises(ValidationError) as error:
        keyed(staff(pathway.team), pathway, nhs_number=" ")
    assert "nhs_number" in error.value.message_dict


def test_staff_match_an_unmatched_result_to_an_open_test():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    result = keyed(cns, pathway, nhs_number="9434765919")
    test = pathway.tests.get(due_date=datetime.date(2026, 7, 15))
    results.match_result(cns, result, test)
    result.refresh_from_db()
    test.refresh_from_db()
    assert (result.test, result.patient, result.unmatched_reason) == (test, pathway.patient, "")
    assert test.status == TestStatus.RESULTED
    assert WorkItem.objects.filter(kind=Kind.RESULT_TO_REVIEW, source_id=str(result.pk)).exists()


def test_matching_needs_an_open_test_and_the_team():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    matched = keyed(cns, pathway)
    stray = keyed(cns, pathway, sample_date=datetime.date(2026, 7, 21), test_code="PSA")
    with pytest.raises(ValidationError, match="choose an open test"):
        results.match_result(cns, stray, matched.test)
    with pytest.raises(PermissionDenied):
        results.match_result(staff(CareTeamFactory()), stray, pathway.tests.last())
    assert WorkItem.objects.get(kind=Kind.UNMATCHED_RESULT, source_id=str(stray.pk)).status == Status.OPEN


def test_review_then_tell_moves_the_test_along_the_loop():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    result = keyed(cns, pathway)
    with pytest.raises(ValidationError, match="reviewed before"):
        results.tell(cns, result, Result.ToldHow.PHONE)
    results.review(cns, result, "Normal")
    assert WorkItem.objects.get(kind=Kind.RESULT_TO_REVIEW, source_id=str(result.pk)).status == Status.DONE
    results.tell(cns, result, Result.ToldHow.PHONE)
    result.refresh_from_db()
    assert (result.review_note, result.told_how, result.told_by) == ("Normal", "phone", cns)
    assert [c.status_to for c in result.test.changes.all()] == ["resulted", "reviewed", "told"]
    assert WorkItem.objects.get(kind=Kind.RESULT_TO_TELL, source_id=str(result.pk)).status == Status.DONE
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE
    with pytest.raises(ValidationError, match="already been told"):
        results.tell(cns, result, Result.ToldHow.PHONE)


def test_an_abnormal_result_suspends_the_pathway_and_asks_for_clinic_urgently():
    pathway = colorectal_pathway()
    clinician = staff(pathway.team, role=Role.CLINICIAN)
    result = keyed(clinician, pathway, abnormal=True, value=Decimal("12"))
    results.review(clinician, result, "Rising CEA")
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.SUSPENDED
    assert pathway.changes.last().reason == "Abnormal CEA result"
    item = WorkItem.objects.get(kind=Kind.ABNORMAL_RESULT, source_id=str(result.pk))
    assert item.priority == Priority.URGENT and "clinic" in item.title


def test_a_support_worker_or_another_team_may_not_review():
    pathway = colorectal_pathway()
    result = keyed(staff(pathway.team), pathway)
    with pytest.raises(PermissionDenied, match="CNS or clinician"):
        results.review(staff(pathway.team, role=Role.SUPPORT_WORKER), result)
    with pytest.raises(PermissionDenied):
        results.review(staff(CareTeamFactory()), result)
    result.refresh_from_db()
    assert result.reviewed_at is None


def test_an_unmatched_result_cannot_be_reviewed_and_a_bad_how_is_named():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    result = keyed(cns, pathway, test_code="PSA")
    with pytest.raises(ValidationError, match="Match this result"):
        results.review(cns, result)
    with pytest.raises(ValidationError) as error:
        results.tell(cns, result, "pigeon")
    assert "how" in error.value.message_dict


def test_a_result_is_only_reviewed_once():
    pathway = colorectal_pathway()
    cns = staff(pathway.team)
    result = keyed(cns, pathway)
    results.review(cns, result)
    with pytest.raises(ValidationError, match="already been reviewed"):
        results.review(cns, result)
