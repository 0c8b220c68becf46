"""Recording a response, and the invitation's link token and short code."""

import pytest

from qol_survey.models import InvitationStatus, Response
from qol_survey.services import responses, scoring, tokens
from tests.qol_survey.factories import answers, make_invitation, make_response

pytestmark = pytest.mark.django_db


def test_a_response_is_scored_on_both_parts_and_closes_the_invitation():
    invitation = make_invitation()
    response = make_response(invitation, profile="21111", health_today=70, cancer={"q9": 4, "q19": 4})
    assert response.scores["cancer-30"]["PA"] == pytest.approx(100.0)  # both pain items at the top
    assert response.scores["cancer-30"]["PF"] == pytest.approx(100.0)
    assert response.scores["health-profile-5d"]["state"] == "21111"
    assert response.scores["health-profile-5d"]["health_today"] == 70
    assert response.versions == {"health-profile-5d": "demo-1", "cancer-30": "demo-1"}
    invitation.refresh_from_db()
    assert (invitation.status, invitation.draft) == (InvitationStatus.RESPONDED, {})


def test_a_second_submission_is_refused_and_the_first_kept():
    invitation = make_invitation()
    first = make_response(invitation)
    with pytest.raises(responses.AlreadyAnswered):
        make_response(invitation, health_today=10)
    assert list(Response.objects.filter(invitation=invitation)) == [first]


def test_online_answers_to_a_closed_invitation_are_refused():
    invitation = make_invitation(status=InvitationStatus.EXPIRED)
    with pytest.raises(responses.Closed, match="closed 12 weeks"):
        make_response(invitation)


def test_an_answer_outside_the_scale_is_refused_naming_the_item():
    given = answers(cancer={"q29": 9})
    with pytest.raises(scoring.AnswerError, match="q29"):
        responses.submit(make_invitation(), given, share_with_gp=True, may_contact=False)
    assert not Response.objects.exists()


def test_the_link_token_and_short_code_find_their_invitation_and_nothing_else():
    invitation, other = make_invitation(), make_invitation()
    token, code = tokens.link_token(invitation), tokens.short_code(invitation)
    assert tokens.parse_link(token) == invitation.pk
    assert tokens.parse_code(tokens.display_code(code).lower()) == invitation.serial
    assert tokens.matches(invitation, token=token) and tokens.matches(invitation, code=code)
    assert not tokens.matches(other, token=token) and not tokens.matches(other, code=code)
    assert tokens.short_code(other) != code and len(code) == 12
