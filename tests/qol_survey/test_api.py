"""/api/v1/qol/invitations/ and /api/v1/qol/responses/: scoped by the policy table (a response reaches
the practice only when the respondent agreed to share it), audited, and never showing the link token or
short code that open the survey."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from portal.audit.models import AuditEvent
from qol_survey.services import tokens
from tests.factories import DiagnosisFactory, PatientFactory
from tests.qol_survey.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db
INVITATIONS = "/api/v1/qol/invitations/"
RESPONSES = "/api/v1/qol/responses/"


def ours(cast, **fields):
    """An invitation for the cast's patient, followed up by team A."""
    return make_invitation(diagnosis=DiagnosisFactory(patient=cast.patient), team=cast.team_a, **fields)


def test_the_team_lists_and_reads_invitations_and_responses(cast, api_as):
    response = make_response(ours(cast), cancer={"q1": 4})
    api = api_as(cast.cns_a)
    listed = api.get(INVITATIONS).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == str(response.invitation_id)
    invitation = api.get(f"{INVITATIONS}{response.invitation_id}/").json()
    assert invitation["status"] == "responded" and invitation["nhs_number"] == cast.patient.nhs_number
    assert invitation["team"]["name"] == cast.team_a.name
    detail = api.get(f"{RESPONSES}{response.pk}/").json()
    assert detail["answers"]["cancer-30"]["q1"] == 4 and detail["scores"]["cancer-30"]["PF"] < 100
    assert detail["versions"] == response.versions and detail["value_set"] == response.value_set.name


def test_no_token_or_short_code_in_any_output(cast, api_as):
    invitation = ours(cast)
    response = make_response(invitation)
    invitation.refresh_from_db()
    secrets = (tokens.link_token(invitation), tokens.short_code(invitation), str(invitation.serial))
    api = api_as(cast.cns_a)
    for path in (INVITATIONS, f"{INVITATIONS}{invitation.pk}/", RESPONSES, f"{RESPONSES}{response.pk}/"):
        body = api.get(path).content.decode()
        assert not [secret for secret in secrets if secret in body], path
    assert not {"serial", "token", "short_code", "draft", "failed_attempts"} & set(
        api.get(f"{INVITATIONS}{invitation.pk}/").json()
    )


def test_each_record_shown_is_audited(cast, api_as):
    other = PatientFactory(care_teams=[cast.team_a])
    first = make_response(ours(cast))
    second = make_response(make_invitation(diagnosis=DiagnosisFactory(patient=other), team=cast.team_a))
    api = api_as(cast.cns_a)
    assert api.get(RESPONSES).json()["count"] == 2
    events = AuditEvent.objects.filter(action="view", object_type="qol_survey.response")
    assert {(e.patient_id, e.object_id) for e in events} == {
        (cast.patient.pk, str(first.pk)),
        (other.pk, str(second.pk)),
    }
    api.get(f"{INVITATIONS}{first.invitation_id}/")
    event = AuditEvent.objects.get(action="view", object_type="qol_survey.invitation")
    assert (event.actor, event.patient, event.object_id) == (cast.cns_a, cast.patient, str(first.invitation_id))


@pytest.mark.parametrize("outsider", ["cns_b", "gp_b", "admin", "auditor"])
def test_outsiders_see_none_of_it(cast, api_as, outsider):
    response = make_response(ours(cast))
    api = api_as(getattr(cast, outsider))
    for path, record in ((INVITATIONS, response.invitation_id), (RESPONSES, response.pk)):
        assert api.get(path).json()["count"] == 0, path
        missing = api.get(f"{path}{record}/")
        assert missing.status_code == 404 and missing.json()["detail"].startswith("There is no "), path
    assert not AuditEvent.objects.filter(action="view").exists()


@pytest.mark.parametrize("share, seen", [(True, 1), (False, 0)])
def test_the_practice_sees_a_response_only_when_shared_and_never_the_invitation(cast, api_as, share, seen):
    response = make_response(ours(cast), share_with_gp=share)
    api = api_as(cast.gp_a)
    assert api.get(RESPONSES).json()["count"] == seen
    assert api.get(f"{RESPONSES}{response.pk}/").status_code == (200 if share else 404)
    assert api.get(INVITATIONS).json()["count"] == 0
    assert api.get(f"{INVITATIONS}{response.invitation_id}/").status_code == 404


def test_the_patient_sees_their_own_only(cast, api_as):
    mine = make_response(ours(cast), share_with_gp=False)
    make_response()  # someone else's
    api = api_as(cast.patient_user)
    assert [r["id"] for r in api.get(RESPONSES).json()["results"]] == [str(mine.pk)]
    assert [i["id"] for i in api.get(INVITATIONS).json()["results"]] == [str(mine.invitation_id)]


@pytest.mark.parametrize("bad", ["not-an-id", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_id_is_404(cast, api_as, bad):
    api = api_as(cast.cns_a)
    for path in (INVITATIONS, RESPONSES):
        assert api.get(f"{path}{bad}/").status_code == 404, path


def test_no_token_is_401(client):
    assert client.get(RESPONSES).status_code == 401


def test_both_kinds_are_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (INVITATIONS, RESPONSES):
        assert "get" in schema["paths"][path] and "get" in schema["paths"][f"{path}{{id}}/"], path
    assert "post" not in schema["paths"][RESPONSES]
