"""The quality of life survey's demo stages seed_demo makes (qol_survey/demo.py)."""

import pytest
from django.core.management import call_command

from portal.outbox.models import Notification
from portal.people.demo import demo_nhs_number
from qol_survey import demo
from qol_survey.models import Invitation, InvitationSend, InvitationStatus, Purpose, QolLetter, Response

pytestmark = pytest.mark.django_db


def invitation_of(index) -> Invitation:
    return Invitation.objects.select_related("patient").get(patient__nhs_number=demo_nhs_number(index))


def test_each_stage_is_there_with_its_status_and_what_was_sent(seeded_demo):
    by_email, by_sms, by_post = (invitation_of(i) for i in (demo.BY_EMAIL, demo.BY_SMS, demo.BY_POST))
    assert (by_email.channel, by_sms.channel, by_post.channel) == ("email", "sms", "post")
    assert {by_email.status, by_sms.status, by_post.status} == {InvitationStatus.INVITED}
    assert Notification.objects.filter(idempotency_key=f"qol-invitation:{by_email.pk}", channel="email").exists()
    assert Notification.objects.filter(idempotency_key=f"qol-invitation:{by_sms.pk}", channel="sms").exists()
    assert QolLetter.objects.filter(invitation=by_post, printed_at=None, kind=Purpose.INVITATION).exists()
    reminded = invitation_of(demo.REMINDED)
    assert reminded.status == InvitationStatus.REMINDED and reminded.reminded_on is not None
    assert InvitationSend.objects.filter(invitation=reminded, purpose=Purpose.REMINDER).exists()
    shared, private = (
        Response.objects.get(invitation=invitation_of(i)) for i in (demo.ANSWERED, demo.ANSWERED_PRIVATE)
    )
    assert shared.share_with_gp is True and private.share_with_gp is False
    assert invitation_of(demo.ANSWERED).status == InvitationStatus.RESPONDED
    expired = invitation_of(demo.EXPIRED)
    assert expired.status == InvitationStatus.EXPIRED and expired.closed_at is not None
    assert InvitationSend.objects.filter(invitation=expired, purpose=Purpose.INVITATION).exists()
    opted_out = invitation_of(demo.OPTED_OUT)
    assert opted_out.status == InvitationStatus.OPTED_OUT and opted_out.patient.survey_opt_out is True
    for line in ("invited by email", "invitation letter waiting to print", "reminded after 3 weeks", "opted out"):
        assert f"Quality of life survey: {line}" in seeded_demo


def test_a_second_run_makes_nothing(seeded_demo):
    before = (Invitation.objects.count(), InvitationSend.objects.count(), Response.objects.count())
    call_command("seed_demo")
    assert before[0] >= len(demo.INVITED_DAYS_AGO)
    assert (Invitation.objects.count(), InvitationSend.objects.count(), Response.objects.count()) == before


def test_the_demo_dashboard_has_groups_to_show_in_every_grouping(seeded_demo):
    """The past cohort (qol_survey/demo_cohort.py): each grouping shows at least one group of 10 or
    more with its mean scores, so a newcomer's first look at the dashboard is not all "fewer than 10"."""
    from qol_survey.services import dashboard

    assert Response.objects.count() >= 80
    for table in dashboard.tables():
        shown = [row for row in table.rows if row.responses is not None and row.responses >= dashboard.MIN_GROUP]
        assert shown, f"{table.grouping.title}: no group of 10 or more"
        assert any(cell.mean is not None for row in shown for cell in row.cells), table.grouping.title
        if table.grouping.key in ("age_band", "ethnic_category"):
            assert any(row.responses is None for row in table.rows), f"{table.grouping.title}: nothing hidden"
    assert "a past cohort of 96 invited" in seeded_demo
    cohort = Response.objects.filter(patient__email__startswith="survey")
    assert cohort.count() == 84 and not cohort.filter(may_contact=True).exists()
