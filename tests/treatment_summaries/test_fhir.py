"""/fhir/DocumentReference: every response validated with fhir.resources' R4B models; the type
code, NHS number, PDF attachment, statuses, scoping, audit and errors checked by hand."""

import base64
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.documentreference import DocumentReference

from portal.audit.models import AuditEvent
from tests.factories import PatientFactory
from tests.hna.test_fhir import NHS, assert_subject, fhir_json, outcome
from tests.treatment_summaries.factories import clinician, make_summary
from treatment_summaries.models import SummaryVersion

pytestmark = pytest.mark.django_db

SEARCH = "/fhir/DocumentReference?patient="


def read(api, version) -> dict:
    return fhir_json(api.get(f"/fhir/DocumentReference/{version.pk}"), DocumentReference)


def versions(summary) -> list[SummaryVersion]:
    return list(SummaryVersion.objects.filter(summary=summary).order_by("number"))


def test_a_sent_version_is_a_current_final_document_with_its_pdf(cast, api_as):
    (version,) = versions(make_summary(cast))
    data = read(api_as(cast.gp_a), version)
    assert (data["id"], data["status"], data["docStatus"]) == (str(version.pk), "current", "final")
    assert data["type"]["coding"] == [
        {
            "system": "http://snomed.info/sct",
            "code": "1324891000000103",
            "display": "End of treatment summary record artifact",
        }
    ]
    assert_subject(data, cast.patient)
    assert data["date"] == version.sent_at.isoformat()
    assert data["author"] == [{"display": str(clinician(cast))}]
    assert data["custodian"]["identifier"]["value"] == "RTA"
    assert "relatesTo" not in data and "description" not in data
    (content,) = data["content"]
    attachment = content["attachment"]
    pdf = bytes(version.pdf)
    assert attachment["contentType"] == "application/pdf"
    assert base64.b64decode(attachment["data"]) == pdf
    assert attachment["size"] == len(pdf)
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(pdf).digest()  # noqa: S324 - FHIR's Attachment.hash
    assert attachment["title"] == "End of treatment summary, version 1.pdf"
    assert data["identifier"] == [{"system": "urn:ietf:rfc:3986", "value": f"nih:sha-256;{version.pdf_sha256}"}]
    assert version.pdf_sha256 == hashlib.sha256(pdf).hexdigest()


def test_an_amendment_is_amended_and_replaces_the_superseded_version(cast, api_as):
    v1, v2 = versions(make_summary(cast, statuses=("superseded", "sent")))
    api = api_as(cast.gp_a)
    old, new = read(api, v1), read(api, v2)
    assert (old["status"], old["docStatus"]) == ("superseded", "final")
    assert (new["status"], new["docStatus"]) == ("current", "amended")
    assert new["relatesTo"] == [{"code": "replaces", "target": {"reference": f"DocumentReference/{v1.pk}"}}]
    assert new["description"] == "Amended: Staging corrected"
    assert base64.b64decode(new["content"][0]["attachment"]["data"]) == bytes(v2.pdf)
    assert "(amended)" in new["content"][0]["attachment"]["title"]


def test_search_returns_a_bundle_of_sent_versions_only(cast, api_as):
    v1, v2, draft = versions(make_summary(cast, statuses=("superseded", "sent", "draft")))
    (unsent,) = versions(make_summary(cast, statuses=("signed_off",)))
    for user in (cast.cns_a, cast.gp_a, cast.patient_user):
        for patient in (cast.patient.nhs_number, f"{NHS}|{cast.patient.nhs_number}"):
            data = fhir_json(api_as(user).get(SEARCH + patient.replace("|", "%7C")), Bundle)
            assert data["type"] == "searchset" and data["total"] == 2
            assert [e["resource"]["id"] for e in data["entry"]] in ([str(v2.pk), str(v1.pk)], [str(v1.pk), str(v2.pk)])
            for entry in data["entry"]:
                DocumentReference.model_validate(entry["resource"])
                assert entry["fullUrl"] == f"http://testserver/fhir/DocumentReference/{entry['resource']['id']}"
                assert_subject(entry["resource"], cast.patient)
        for hidden in (draft, unsent):
            outcome(api_as(user).get(f"/fhir/DocumentReference/{hidden.pk}"), 404, "not-found")


def test_reads_and_searches_are_audited_as_exports(cast, api_as):
    v1, v2 = versions(make_summary(cast, statuses=("superseded", "sent")))
    api = api_as(cast.gp_a)
    read(api, v2)
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.patient, event.object_id) == (cast.gp_a, cast.patient, str(v2.pk))
    assert event.object_type == "treatment_summaries.summaryversion" and event.organisation_id == cast.practice_a.pk
    fhir_json(api.get(SEARCH + cast.patient.nhs_number), Bundle)
    exports = AuditEvent.objects.filter(action="export").exclude(pk=event.pk)
    assert sorted(e.object_id for e in exports) == sorted([str(v1.pk), str(v2.pk)])
    assert {(e.actor_id, e.patient_id, e.role) for e in exports} == {(cast.gp_a.pk, cast.patient.pk, "gp")}


@pytest.mark.parametrize("outsider", ["cns_b", "gp_b", "admin"])
def test_outsiders_get_404s_and_empty_bundles(cast, api_as, outsider):
    (version,) = versions(make_summary(cast))
    api = api_as(getattr(cast, outsider))
    assert "that you may see" in outcome(api.get(f"/fhir/DocumentReference/{version.pk}"), 404, "not-found")
    data = fhir_json(api.get(SEARCH + cast.patient.nhs_number), Bundle)
    assert data["total"] == 0 and "entry" not in data
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?patient=abc",
        "?patient=1234567890",
        "?patient=%00",
        "?patient=9434765919&patient=9434765870",
        "?patient=http://example.org/id|9434765919",
        "?patient=" + "9" * 5000,
    ],
)
def test_malformed_searches_are_400_operation_outcomes(cast, api_as, query):
    outcome(api_as(cast.cns_a).get(f"/fhir/DocumentReference{query}"), 400, "invalid")


def test_malformed_ids_tokens_sessions_and_methods(cast, api_as, client):
    (version,) = versions(make_summary(cast))
    path = f"/fhir/DocumentReference/{version.pk}"
    outcome(client.get(path), 401, "login")
    outcome(api_as(cast.cns_a).get("/fhir/DocumentReference/not-a-uuid"), 404, "not-found")
    outcome(api_as(cast.cns_a).get(f"/fhir/DocumentReference/{cast.patient.pk}"), 404, "not-found")
    outcome(api_as(cast.cns_a).get("/fhir/DocumentReference/"), 404, "not-found")  # hna's catch-all still answers
    outcome(api_as(cast.cns_a).post(path, {}), 405, "not-supported")
    client.force_login(cast.gp_a)
    fhir_json(client.get(path, headers={"Accept": "application/xml"}), DocumentReference)


def test_search_query_count_is_flat(cast, api_as):
    api = api_as(cast.gp_a)
    search = SEARCH + cast.patient.nhs_number
    api.get(search)  # warm up: the first use of a token records last_used_at

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            data = fhir_json(api.get(search), Bundle)
        return len(ctx.captured_queries), data["total"]

    make_summary(cast, statuses=("superseded", "sent"))
    make_summary(cast, PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a))
    two = count()
    for _ in range(7):
        make_summary(cast, statuses=("superseded", "superseded", "sent"))
    twenty_three = count()
    assert (two[1], twenty_three[1]) == (2, 23)
    assert two[0] == twenty_three[0] <= 10, (two, twenty_three)
