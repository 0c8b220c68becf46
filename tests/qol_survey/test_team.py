"""Staff pages: a response through visible_to (the practice only while shared), and keying in a paper
return (the owning team; answers outside the scale named by item; a second entry refused)."""

import datetime
import html

import pytest
from django.utils import timezone

from portal.audit.models import Action, AuditEvent
from portal.outbox.models import Notification
from qol_survey.models import Response, Source
from qol_survey.services import report, tokens
from tests.qol_survey.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db


def invitation_for(cast, **fields):
    fields.setdefault("invited_on", timezone.localdate() - datetime.timedelta(days=7))
    fields.setdefault("channel", "post")
    return make_invitation(patient=cast.patient, team=cast.team_a, **fields)


@pytest.mark.parametrize(
    ("who", "shared", "status"),
    [("cns_a", True, 200), ("cns_a", False, 200), ("gp_a", True, 200), ("gp_a", False, 404), ("cns_b", True, 404),
     ("gp_b", True, 404), ("patient_user", True, 404)],
)  # fmt: skip
def test_the_response_page_is_for_whoever_visible_to_lets_read_it(client, cast, who, shared, status):
    response = make_response(invitation_for(cast), share_with_gp=shared)
    client.force_login(getattr(cast, who))
    page = client.get(report.staff_path(response))
    assert page.status_code == status
    if status == 200:
        assert "Your physical functioning score is 100 out of 100" in page.content.decode()
        assert cast.patient.full_name in page.content.decode()
        assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(response.pk), actor=getattr(cast, who))
        pdf = client.get(f"{report.staff_path(response)}pdf/")
        assert pdf["Content-Type"] == "application/pdf"


def paper_data(cast, **changes) -> dict:
    data = {f"cancer-30__q{n}": "1" for n in range(1, 29)} | {"cancer-30__q29": "5", "cancer-30__q30": "6"}
    data |= {f"health-profile-5d__{c}": "1" for c in ("MO", "SC", "UA", "PD", "AD")}
    data |= {"health-profile-5d__VAS": "70", "share_with_gp": "yes", "may_contact": "yes"}
    return data | changes


def test_staff_find_a_paper_return_by_its_code_and_key_it_in(client, cast):
    cast.practice_a.email = "practice.a@example.com"
    cast.practice_a.save()
    invitation = invitation_for(cast)
    client.force_login(cast.cns_a)
    code = tokens.display_code(tokens.short_code(invitation))
    found = client.get("/quality-of-life/team/paper/", {"code": code})
    assert found["Location"] == f"/quality-of-life/team/paper/{invitation.pk}/"
    page = client.get(found["Location"]).content.decode()
    assert "Question 7 (q1)" in page and code in page
    done = client.post(found["Location"], paper_data(cast, **{"cancer-30__q9": ""}))
    response = Response.objects.get(invitation=invitation)
    assert done["Location"] == report.staff_path(response)
    assert (response.source, response.entered_by) == (Source.PAPER, cast.cns_a)
    assert "q9" not in response.answers["cancer-30"] and response.answers["health-profile-5d"]["VAS"] == 70
    assert Notification.objects.filter(template=report.GP_TEMPLATE, recipient="practice.a@example.com").exists()


def test_staff_find_by_nhs_number(client, cast):
    invitation = invitation_for(cast)
    client.force_login(cast.cns_a)
    found = client.get("/quality-of-life/team/paper/", {"nhs_number": cast.patient.nhs_number})
    assert found["Location"] == f"/quality-of-life/team/paper/{invitation.pk}/"


def test_an_unknown_code_or_another_teams_invitation_is_not_found(client, cast):
    invitation = invitation_for(cast)
    client.force_login(cast.cns_b)
    code = tokens.short_code(invitation)
    page = client.get("/quality-of-life/team/paper/", {"code": code})
    assert page.status_code == 200 and "No survey invitation of your team has that code" in page.content.decode()
    assert client.get(f"/quality-of-life/team/paper/{invitation.pk}/").status_code == 404
    empty = client.get("/quality-of-life/team/paper/", {"code": "", "nhs_number": ""})
    assert "Enter the short code from the letter, or the patient's NHS number" in html.unescape(empty.content.decode())


def test_the_practice_cannot_key_in(client, cast):
    client.force_login(cast.gp_a)
    assert client.get("/quality-of-life/team/paper/").status_code == 403


def test_answers_outside_the_scale_are_named_by_item_and_nothing_is_lost(client, cast):
    invitation = invitation_for(cast)
    client.force_login(cast.cns_a)
    url = f"/quality-of-life/team/paper/{invitation.pk}/"
    page = client.post(url, paper_data(cast, **{"cancer-30__q12": "7", "health-profile-5d__VAS": "150"}))
    text = page.content.decode()
    assert "Question 18 (q12): the answer must be one of 1 to 4" in text
    assert "Question 6 (VAS) must be a whole number from 0 to 100" in text
    assert 'value="150"' in text  # what they typed is still there to correct
    assert not Response.objects.filter(invitation=invitation).exists()


def test_a_second_entry_is_refused_clearly(client, cast):
    invitation = invitation_for(cast)
    first = make_response(invitation)
    client.force_login(cast.cns_a)
    url = f"/quality-of-life/team/paper/{invitation.pk}/"
    page = client.post(url, paper_data(cast, **{"health-profile-5d__VAS": "10"}))
    assert "This survey has already been answered" in page.content.decode()
    assert report.staff_path(first) in page.content.decode()
    assert list(Response.objects.filter(invitation=invitation)) == [first]


def test_a_paper_return_for_someone_who_opted_out_is_refused_with_its_reason(client, cast):
    invitation = invitation_for(cast, status="opted_out")
    client.force_login(cast.cns_a)
    page = client.post(f"/quality-of-life/team/paper/{invitation.pk}/", paper_data(cast))
    assert "you asked not to take part" in page.content.decode()
    assert not Response.objects.filter(invitation=invitation).exists()


def test_a_paper_return_after_the_link_closed_is_taken(client, cast):
    invitation = invitation_for(cast, status="expired")
    client.force_login(cast.cns_a)
    client.post(f"/quality-of-life/team/paper/{invitation.pk}/", paper_data(cast))
    assert Response.objects.get(invitation=invitation).source == Source.PAPER
