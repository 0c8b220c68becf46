"""Results pages: review and tell in one submit, then the next result; typing in; CSV upload;
matching an unmatched result; the care team only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from followup.models import Result, TestStatus
from portal.audit.models import AuditEvent
from portal.people.models import Role
from tests.conftest import give_totp
from tests.factories import RoleAssignmentFactory
from tests.followup.results_helpers import (
    _cast_result,
    after_the_samples,  # noqa: F401 - autouse: the clock after the samples
)

pytestmark = pytest.mark.django_db
QUEUE = "/follow-up/results/"


def test_review_and_tell_is_one_submit_and_the_next_result_loads(client, cast):
    first = _cast_result(cast, abnormal=True)[1]
    second = _cast_result(cast, abnormal=False)[1]
    client.force_login(cast.cns_a)
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and f"{QUEUE}{first.pk}/" in queue.content.decode()  # abnormal first
    page = client.get(f"{QUEUE}{first.pk}/")
    assert "Abnormal result" in page.content.decode()
    response = client.post(f"{QUEUE}{first.pk}/", {"note": "Recall", "tell_by": "phone"})
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}{second.pk}/"
    first.refresh_from_db()
    assert first.reviewed_by == cast.cns_a and first.told_how == "phone"
    assert first.test.status == TestStatus.TOLD
    assert AuditEvent.objects.filter(action="view", object_id=str(first.pk)).exists()


def test_not_yet_leaves_it_to_tell_later(client, cast):
    result = _cast_result(cast)[1]
    client.force_login(cast.cns_a)
    assert client.post(f"{QUEUE}{result.pk}/", {"tell_by": ""})["Location"] == f"{QUEUE}{result.pk}/"
    result.refresh_from_db()
    assert result.reviewed_at and not result.told_at
    page = client.get(f"{QUEUE}{result.pk}/").content.decode()
    assert "How was the patient told?" in page
    response = client.post(f"{QUEUE}{result.pk}/", {})
    assert response.status_code == 200 and "Select how the patient was told" in response.content.decode()
    assert client.post(f"{QUEUE}{result.pk}/", {"how": "letter"})["Location"] == QUEUE
    result.refresh_from_db()
    assert result.told_how == "letter"


def test_a_support_worker_sees_no_review_form(client, cast):
    result = _cast_result(cast)[1]
    worker = RoleAssignmentFactory(role=Role.SUPPORT_WORKER, organisation=cast.trust, team=cast.team_a).user
    give_totp(worker)  # staff have two-factor authentication
    client.force_login(worker)
    page = client.get(f"{QUEUE}{result.pk}/").content.decode()
    assert "nurse specialist or clinician reviews" in page and "tell_by" not in page
    client.post(f"{QUEUE}{result.pk}/", {"tell_by": ""})
    result.refresh_from_db()
    assert result.reviewed_at is None


def test_key_in_matches_or_names_each_bad_field(client, cast):
    pathway = _cast_result(cast, test_code="PSA")[0]  # a pathway whose mammogram is still open
    client.force_login(cast.cns_a)
    bad = client.post(
        f"{QUEUE}key-in/",
        {"nhs_number": "", "test_code": "", "sample_date_day": "40", "sample_date_month": "1",
         "sample_date_year": "2027", "value": "lots", "abnormal": ""},
    )  # fmt: skip
    text = bad.content.decode()
    assert bad.status_code == 200 and "There is a problem" in text
    for message in ("Enter nhs number", "must be a real date", "Value must be a number"):
        assert message.lower() in text.lower(), message
    good = {
        "nhs_number": pathway.patient.nhs_number, "test_code": "MAMMOGRAM", "sample_date_day": "20",
        "sample_date_month": "1", "sample_date_year": "2026", "abnormal": "no",
    }  # fmt: skip
    response = client.post(f"{QUEUE}key-in/", good)
    result = Result.objects.get(test_code="MAMMOGRAM", patient=pathway.patient)
    assert response["Location"] == f"{QUEUE}{result.pk}/" and result.test is not None
    again = client.post(f"{QUEUE}key-in/", good)
    assert again.status_code == 200 and "already here" in again.content.decode()


def test_upload_names_bad_rows_and_keeps_good_ones(client, cast):
    pathway = _cast_result(cast, test_code="PSA")[0]
    n = pathway.patient.nhs_number
    content = f"nhs_number,test_code,sample_date,abnormal\n{n},MAMMOGRAM,2026-01-20,no\n{n},MAMMOGRAM,someday,no\n"
    client.force_login(cast.cns_a)
    response = client.post(f"{QUEUE}upload/", {"file": SimpleUploadedFile("r.csv", content.encode(), "text/csv")})
    text = response.content.decode()
    assert response.status_code == 200 and "1 result saved" in text and "someday" in text
    assert Result.objects.filter(source="csv").count() == 1
    empty = client.post(f"{QUEUE}upload/", {})
    assert "Choose a CSV file" in empty.content.decode()


def test_an_unmatched_result_is_listed_and_matched(client, cast):
    pathway, stray = _cast_result(cast, test_code="PSA")
    test = pathway.tests.get(test_type__code="MAMMOGRAM", due_date="2027-01-15")
    client.force_login(cast.cns_a)
    listing = client.get(f"{QUEUE}unmatched/").content.decode()
    assert f"{QUEUE}unmatched/{stray.pk}/" in listing and "no open PSA test" in listing
    assert client.post(f"{QUEUE}unmatched/{stray.pk}/", {"test": ""}).status_code == 200
    response = client.post(f"{QUEUE}unmatched/{stray.pk}/", {"test": str(test.pk)})
    assert response["Location"] == f"{QUEUE}{stray.pk}/"
    stray.refresh_from_db()
    assert stray.test == test
    assert client.get(f"{QUEUE}unmatched/{stray.pk}/").status_code == 404  # matched now


@pytest.mark.parametrize("outsider", ["gp_a", "admin", "patient_user"])
def test_roles_without_a_care_team_get_404(client, cast, outsider):
    result = _cast_result(cast)[1]
    client.force_login(getattr(cast, outsider))
    for url in (QUEUE, f"{QUEUE}{result.pk}/", f"{QUEUE}key-in/", f"{QUEUE}upload/", f"{QUEUE}unmatched/"):
        assert client.get(url).status_code == 404, url


def test_another_team_sees_its_own_empty_queue_not_this_teams_results(client, cast):
    result = _cast_result(cast)[1]
    stray = _cast_result(cast, test_code="PSA")[1]
    client.force_login(cast.cns_b)
    assert str(result.pk) not in client.get(QUEUE).content.decode()
    assert client.get(f"{QUEUE}{result.pk}/").status_code == 404
    assert client.get(f"{QUEUE}unmatched/{stray.pk}/").status_code == 404
    assert str(stray.pk) not in client.get(f"{QUEUE}unmatched/").content.decode()


def test_the_access_log_names_follow_up_records_by_test_code_only(client, cast):
    from portal.audit.labels import record_labels

    pathway, result = _cast_result(cast, report_text="Private words")
    refs = [
        ("followup.result", str(result.pk)),
        ("followup.surveillancetest", str(result.test_id)),
        ("followup.pathway", str(pathway.pk)),
    ]
    labels = record_labels(refs)
    assert [labels[ref] for ref in refs] == ["MAMMOGRAM result", "MAMMOGRAM test", "Follow-up pathway"]


def test_the_queue_and_the_result_page_space_the_nhs_number_as_people_read_it(client, cast):
    result = _cast_result(cast)[1]
    n = result.nhs_number
    spaced = f"NHS number {n[:3]} {n[3:6]} {n[6:]}"
    client.force_login(cast.cns_a)
    assert spaced in client.get(QUEUE).content.decode()
    assert spaced in client.get(f"{QUEUE}{result.pk}/").content.decode()


def test_a_value_reads_as_the_lab_gave_it_not_as_stored(client, cast):
    from decimal import Decimal

    result = _cast_result(cast, value=Decimal("11.8"), units="ug/L")[1]
    result.refresh_from_db()
    assert str(result.value) == "11.800" and result.reading == "11.8 ug/L"
    client.force_login(cast.cns_a)
    body = client.get(f"{QUEUE}{result.pk}/").content.decode()
    assert "11.8 ug/L" in body and "11.800" not in body
