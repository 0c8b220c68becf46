"""Staff list pages cost a fixed number of queries however long the list is (no N+1).

Each page is read once to warm up, then measured with 5 rows and again with 50. The audit
events a list page writes go in one bulk insert, so they do not grow with the list either."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.access.mfa import has_totp
from portal.worklist.models import Kind
from portal.worklist.services import raise_item
from tests.factories import PatientFactory

PATIENT_LINK = re.compile(r'href="/patients/[0-9a-f-]{36}/"')


@pytest.fixture
def cns_client(client, cast):
    """cast.cns_a signed in. Staff need an authenticator app or the MFA middleware redirects;
    the cast gives them one, and this makes sure of it (its check is part of the count)."""
    if not has_totp(cast.cns_a):
        TOTP.activate(cast.cns_a, generate_totp_secret())
    client.force_login(cast.cns_a)
    return client


def queries_for(client, url):
    """(number of queries, response) for one GET of a page already read once."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response
    return len(ctx.captured_queries), response


def raise_items(cast, start, stop):
    for i in range(start, stop):
        patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a)
        raise_item(
            kind=Kind.OTHER,
            patient=patient,
            team=cast.team_a,
            source_type="test.source",
            source_id=str(i),
            title=f"Item {i}",
        )


def test_worklist_queries_do_not_grow_with_items(cns_client, cast):
    raise_items(cast, 0, 5)
    cns_client.get("/worklist/")
    few, response = queries_for(cns_client, "/worklist/")
    assert response.content.decode().count(">Item ") == 5

    raise_items(cast, 5, 50)
    many, response = queries_for(cns_client, "/worklist/")
    assert response.content.decode().count(">Item ") == 50
    assert many == few


def test_patient_list_queries_do_not_grow_with_patients(cns_client, cast):
    # cast.patient is in team A already: 1 + 4 = 5 patients, then 1 + 49 = 50.
    PatientFactory.create_batch(4, care_teams=[cast.team_a], registered_practice=cast.practice_a)
    cns_client.get("/patients/")
    few, response = queries_for(cns_client, "/patients/")
    assert len(PATIENT_LINK.findall(response.content.decode())) == 5

    PatientFactory.create_batch(45, care_teams=[cast.team_a], registered_practice=cast.practice_a)
    many, response = queries_for(cns_client, "/patients/")
    assert len(PATIENT_LINK.findall(response.content.decode())) == 50
    assert many == few


def test_audit_log_queries_do_not_grow_with_events(client, cast):
    from portal.audit.models import Action
    from portal.audit.services import record

    patients = PatientFactory.create_batch(50, care_teams=[cast.team_a], registered_practice=cast.practice_a)
    for patient in patients[:5]:
        record(Action.VIEW, actor=cast.cns_a, patient=patient)
    if not has_totp(cast.auditor):
        TOTP.activate(cast.auditor, generate_totp_secret())
    client.force_login(cast.auditor)
    # Reading the log is itself logged (as the auditor): look at the CNS's events only.
    url = f"/audit/?user={cast.cns_a.email}"
    client.get(url)
    few, response = queries_for(client, url)
    assert response.content.decode().count("Viewed") == 5

    for patient in patients[5:]:
        record(Action.VIEW, actor=cast.cns_a, patient=patient)
    many, response = queries_for(client, url)
    assert response.content.decode().count("Viewed") == 50
    assert many == few
