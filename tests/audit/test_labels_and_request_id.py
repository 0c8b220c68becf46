"""The access log's words for records, and the request id each row carries."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.audit.labels import describe, record_labels
from portal.audit.middleware import RequestIdMiddleware

pytestmark = pytest.mark.django_db


def test_a_retired_kind_does_not_stop_the_kinds_after_it_being_named(cast):
    """Labels are looked up kind by kind: one no longer installed is skipped, not the end of the page."""
    refs = [("retired_app.thing", "1"), ("people.patient", str(cast.patient.pk)), ("people.diagnosis", "x")]
    labels = record_labels(refs)
    patient = ("people.patient", str(cast.patient.pk))
    assert labels == {patient: "Patient record", ("people.diagnosis", "x"): "Diagnosis"}
    assert describe("retired_app.thing", "1", labels) == "retired_app.thing"
    assert describe("", "", labels) == ""


def request_id(**headers) -> str:
    request = RequestFactory().get("/", **headers)
    RequestIdMiddleware(lambda r: HttpResponse())(request)
    return request.request_id


def test_the_proxys_request_id_is_kept_when_sane_and_replaced_when_not():
    assert request_id(HTTP_X_REQUEST_ID="abc-123") == "abc-123"
    assert request_id(HTTP_X_REQUEST_ID="a" * 64) == "a" * 64
    for bad in ("a" * 65, "abc;drop", ""):
        assert re.fullmatch(r"[0-9a-f]{32}", request_id(HTTP_X_REQUEST_ID=bad)), bad
    assert re.fullmatch(r"[0-9a-f]{32}", request_id())


def test_each_row_names_its_actor_truthfully(cast):
    """A patient is "patient"; a job names itself; a failed sign-in names the email tried; nobody is
    "anonymous" (each with no role); a row about part of a record names that part."""
    from portal.audit.models import Action
    from portal.audit.services import record

    diagnosis = cast.patient.diagnoses.first() or cast.patient
    by_patient = record(Action.VIEW, actor=cast.patient_user, patient=cast.patient, obj=diagnosis)
    assert (by_patient.actor, by_patient.role) == (cast.patient_user, "patient")
    assert (by_patient.object_type, by_patient.object_id) == (diagnosis._meta.label_lower, str(diagnosis.pk))
    by_job = record(Action.VIEW, system_actor="followup-sweep", patient=cast.patient)
    assert (by_job.actor, by_job.actor_label, by_job.role) == (None, "system:followup-sweep", "")
    failed = record(Action.FAILED_SIGN_IN, label="someone@example.com")
    assert (failed.actor, failed.actor_label, failed.object_type) == (None, "someone@example.com", "")
    nobody = record(Action.VIEW, patient=cast.patient)
    assert (nobody.actor_label, nobody.role) == ("anonymous", "")
    assert (nobody.object_type, nobody.object_id) == ("people.patient", str(cast.patient.pk))
    staff = record(Action.VIEW, actor=cast.cns_a, patient=cast.patient, label="ignored@example.com")
    assert (staff.actor_label, staff.role) == (cast.cns_a.email, "cns")
