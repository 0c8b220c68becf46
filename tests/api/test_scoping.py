"""Every role sees exactly the patients scoping allows, whether signed in or using a token,
and every patient shown is in the access log."""

import pytest

from portal.audit.models import Action, AuditEvent
from tests.api.conftest import PATIENTS, detail

CAN_SEE = {"cns_a": True, "cns_b": False, "gp_a": True, "gp_b": False, "admin": False, "auditor": False}


def listed_ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("auth", ["api_as", "session_as"])
@pytest.mark.parametrize("who", CAN_SEE)
def test_list_is_scoped_to_the_role_in_use(cast, auth, who, request):
    api = request.getfixturevalue(auth)(getattr(cast, who))
    ids = listed_ids(api.get(PATIENTS))
    assert ids == ({str(cast.patient.pk)} if CAN_SEE[who] else set())


@pytest.mark.parametrize("auth", ["api_as", "session_as"])
@pytest.mark.parametrize("who", CAN_SEE)
def test_detail_is_404_for_outsiders(cast, auth, who, request):
    api = request.getfixturevalue(auth)(getattr(cast, who))
    response = api.get(detail(cast.patient))
    if CAN_SEE[who]:
        assert response.status_code == 200
        assert response.json()["nhs_number"] == cast.patient.nhs_number
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no patient with this id that you may see", "errors": {}}


def test_a_patient_sees_only_themselves(cast, api_as):
    from tests.factories import PatientFactory

    other = PatientFactory(registered_practice=cast.practice_a, care_teams=[cast.team_a])
    api = api_as(cast.patient_user)
    assert listed_ids(api.get(PATIENTS)) == {str(cast.patient.pk)}
    assert api.get(detail(cast.patient)).status_code == 200
    assert api.get(detail(other)).status_code == 404


def test_detail_shows_every_field(cast, api_as):
    body = api_as(cast.cns_a).get(detail(cast.patient)).json()
    assert body == {
        "id": str(cast.patient.pk),
        "nhs_number": cast.patient.nhs_number,
        "given_name": cast.patient.given_name,
        "family_name": cast.patient.family_name,
        "date_of_birth": "1960-05-17",
        "postcode": "LS1 4AP",
        "email": cast.patient.email,
        "mobile": "",
        "preferred_contact": "email",
        "registered_practice_ods_code": "A00001",
        "care_teams": ["Team A (breast)"],
        "date_of_death": None,
        "survey_opt_out": False,
    }


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00", "1" * 500])
def test_detail_with_a_bad_or_unknown_id_is_a_json_404(cast, api_as, bad_id):
    response = api_as(cast.cns_a).get(f"{PATIENTS}{bad_id}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_unknown_api_address_is_a_json_404(cast, client):
    response = client.post("/api/v2/nothing-here", "{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no API endpoint at this address", "errors": {}}


def test_list_writes_one_view_event_per_patient_listed(cast, api_as):
    from tests.factories import PatientFactory

    second = PatientFactory(registered_practice=cast.practice_b, care_teams=[cast.team_a])
    api_as(cast.cns_a).get(PATIENTS)
    events = AuditEvent.objects.filter(action=Action.VIEW)
    assert sorted((e.patient_id, e.actor_id, e.role) for e in events) == sorted(
        [(cast.patient.pk, cast.cns_a.pk, "cns"), (second.pk, cast.cns_a.pk, "cns")]
    )


def test_detail_writes_a_view_event(cast, api_as):
    api_as(cast.gp_a).get(detail(cast.patient))
    event = AuditEvent.objects.get()
    assert (event.action, event.patient, event.actor, event.role) == (Action.VIEW, cast.patient, cast.gp_a, "gp")
    assert event.organisation == cast.practice_a


def test_outsiders_leave_no_view_events(cast, api_as):
    api = api_as(cast.cns_b)
    # The requests must reach the view (a 401 would leave no events either).
    assert listed_ids(api.get(PATIENTS)) == set()
    assert api.get(detail(cast.patient)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_responses_are_never_cached(cast, api_as):
    response = api_as(cast.cns_a).get(PATIENTS)
    assert "no-store" in response["Cache-Control"]
