"""Invitations and responses for tests, made as dispatch and the answering pages make them."""

import datetime

from qol_survey.models import Channel, Invitation
from qol_survey.services import responses
from tests.factories import DiagnosisFactory


def make_invitation(patient=None, team=None, diagnosis=None, invited_on=datetime.date(2026, 9, 1), **fields):
    diagnosis = diagnosis or DiagnosisFactory(**({"patient": patient} if patient else {}))
    fields.setdefault("channel", Channel.EMAIL)
    return Invitation.objects.create(
        patient=diagnosis.patient,
        diagnosis=diagnosis,
        team=team,
        invited_on=invited_on,
        remind_on=invited_on + datetime.timedelta(days=21),
        expires_on=invited_on + datetime.timedelta(days=84),
        **fields,
    )


def answers(profile="11111", health_today=80, cancer=None) -> dict:
    """A whole survey: the profile's five dimensions (as a state string), health today, and the 30
    cancer-30 items (all 1 unless `cancer` says otherwise; 29-30 default to 6)."""
    given = {f"q{n}": 1 for n in range(1, 29)} | {"q29": 6, "q30": 6} | (cancer or {})
    dims = dict(zip(["MO", "SC", "UA", "PD", "AD"], (int(c) for c in profile), strict=True))
    return {"health-profile-5d": dims | {"VAS": health_today}, "cancer-30": given}


def make_response(invitation=None, *, share_with_gp=True, may_contact=True, **answer_fields):
    invitation = invitation or make_invitation()
    return responses.submit(invitation, answers(**answer_fields), share_with_gp=share_with_gp, may_contact=may_contact)
