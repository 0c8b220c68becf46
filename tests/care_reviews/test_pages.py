"""A review's page (the practice's record and the patient's written summary), the patient's list of
their reviews and asking for one, and the request on the practice's due list (issue 14 items 3, 4)."""

import pytest
from django.utils import timezone

from care_reviews.models import ReviewRequest
from portal.audit.models import AuditEvent
from tests.care_reviews.test_reviews import done
from tests.factories import DiagnosisFactory

pytestmark = pytest.mark.django_db


def test_the_patient_reads_their_review_and_the_practice_its_record(client, cast):
    diagnosis = DiagnosisFactory(patient=cast.patient, date_of_diagnosis=timezone.localdate().replace(day=1))
    review = done(cast, diagnosis)
    client.force_login(cast.patient_user)
    mine = client.get("/care-reviews/mine/").content.decode()
    assert f"/care-reviews/reviews/{review.pk}/" in mine
    page = client.get(f"/care-reviews/reviews/{review.pk}/").content.decode()
    assert "Off work, worried about money" in page and "Refer to benefits advice" in page
    assert AuditEvent.objects.filter(action="view", object_id=str(review.pk), actor=cast.patient_user).exists()
    for who, status in ((cast.gp_a, 200), (cast.gp_b, 404), (cast.cns_a, 404), (cast.admin, 404)):
        client.force_login(who)
        assert client.get(f"/care-reviews/reviews/{review.pk}/").status_code == status, who


def test_a_patient_asks_and_the_request_lands_on_the_practice_list(client, cast):
    client.force_login(cast.patient_user)
    client.post("/care-reviews/mine/", {"what_about": "Worried about going back to work"})
    assert ReviewRequest.objects.get(patient=cast.patient).practice == cast.practice_a
    assert "You asked your practice for a review" in client.get("/care-reviews/mine/").content.decode()
    client.force_login(cast.gp_a)
    due = client.get("/care-reviews/").content.decode()
    assert "Worried about going back to work" in due and cast.patient.full_name in due
    client.force_login(cast.gp_b)
    assert "Worried about going back to work" not in client.get("/care-reviews/").content.decode()


def test_my_care_links_the_page_and_staff_cannot_use_it(client, cast):
    client.force_login(cast.patient_user)
    assert "/care-reviews/mine/" in client.get("/").content.decode()
    client.force_login(cast.gp_a)
    assert client.get("/care-reviews/mine/").status_code == 404


def test_the_access_log_names_reviews_and_requests_by_kind_only(client, cast):
    from portal.audit.models import Action
    from portal.audit.services import record_many

    diagnosis = DiagnosisFactory(patient=cast.patient, date_of_diagnosis=timezone.localdate().replace(day=1))
    review = done(cast, diagnosis, experience="Private words")
    asked = ReviewRequest.objects.create(patient=cast.patient, practice=cast.practice_a)
    record_many(Action.VIEW, [(cast.patient, review), (cast.patient, asked)], actor=cast.gp_a)
    client.force_login(cast.auditor)
    from tests.audit.test_audit import audit_rows

    html = client.get("/audit/", {"user": cast.gp_a.email}).content.decode()
    records = {row.split(" Record ")[1].split(" IP address")[0] for row in audit_rows(html)}
    expected = {f"Cancer care review {str(review.pk)[:8]}", f"Request for a cancer care review {str(asked.pk)[:8]}"}
    assert expected <= records
    assert "Private words" not in html
