"""Quality of life survey demo stages, for seed_demo (ADR 0023, ADR 0036): patients invited by email,
by text message and by a letter waiting to print, one reminded, two who answered (one not sharing
with the GP), one expired and one who opted out. Each stage's invitation is made as if dispatch had
made it that many days ago; then this morning's dispatch sends, reminds and expires, as the beat
would at 07:30. Skipped for a patient who already has an invitation, so a second run makes nothing."""

import datetime

from django.conf import settings
from django.utils import timezone

from portal.people.demo import Stage, team_of
from qol_survey import demo_cohort
from qol_survey.models import Channel, Invitation, InvitationStatus
from qol_survey.services import dispatch, responses, tokens

days = datetime.timedelta

# Demo patient indexes (portal/people/demo.py: contact_of(i) gives email, SMS or post by turns of
# three) no other app's stages use; how many days ago each was invited.
BY_EMAIL, BY_SMS, BY_POST, REMINDED, ANSWERED, ANSWERED_PRIVATE, EXPIRED, OPTED_OUT = 19, 14, 17, 20, 27, 28, 29, 30
INVITED_DAYS_AGO = {
    BY_EMAIL: 0,
    BY_SMS: 0,
    BY_POST: 0,
    REMINDED: 22,
    ANSWERED: 10,
    ANSWERED_PRIVATE: 16,
    EXPIRED: 90,
    OPTED_OUT: 5,
}


def _answers(profile: str, health_today: int, worse: int) -> dict:
    """A whole survey: the profile's five dimensions as a state string, health today, and the 30
    cancer-30 items (the first `worse` at 2, "a bit"; overall health and quality of life 5 of 7)."""
    dims = dict(zip(["MO", "SC", "UA", "PD", "AD"], (int(c) for c in profile), strict=True))
    cancer = {f"q{n}": 2 if n <= worse else 1 for n in range(1, 29)} | {"q29": 5, "q30": 5}
    return {"health-profile-5d": dims | {"VAS": health_today}, "cancer-30": cancer}


def _invite(world, index, today) -> Invitation:
    """The patient's invitation about their (one) diagnosis, as dispatch would have made it."""
    patient = world.patient(index)
    existing = Invitation.objects.filter(patient=patient).first()
    if existing is not None:
        return existing
    invited_on = today - days(INVITED_DAYS_AGO[index])
    return Invitation.objects.create(
        patient=patient,
        diagnosis=patient.diagnoses.order_by("date_of_diagnosis").first(),
        team=world.teams[team_of(index)],
        channel=Channel(patient.preferred_contact),  # demo patients hold an email address and a mobile
        invited_on=invited_on,
        remind_on=invited_on + days(settings.QOL_REMINDER_DAYS),
        expires_on=invited_on + days(settings.QOL_EXPIRY_DAYS),
    )


def demo_stages(world) -> list:
    today = timezone.localdate()
    made = {index: _invite(world, index, today) for index in INVITED_DAYS_AGO}
    # Sent on the day each was made (the expired one too, before it closed); then this morning's run.
    dispatch.announce(today - days(max(INVITED_DAYS_AGO.values())))
    dispatch.run(today)
    for index, share, answers in (
        (ANSWERED, True, _answers("11211", 80, 6)),
        (ANSWERED_PRIVATE, False, _answers("22321", 55, 18)),
    ):
        invitation = Invitation.objects.get(pk=made[index].pk)
        if invitation.is_open:
            responses.submit(invitation, answers, share_with_gp=share, may_contact=True)
    opted = Invitation.objects.select_related("patient").get(pk=made[OPTED_OUT].pk)
    if opted.is_open:
        # As the opt-out page records it: the invitation closed, and no survey again.
        Invitation.objects.filter(pk=opted.pk).update(status=InvitationStatus.OPTED_OUT, closed_at=timezone.now())
        type(opted.patient).objects.filter(pk=opted.patient_id).update(survey_opt_out=True)

    answered = demo_cohort.make(world)

    def code(index):
        return f"short code {tokens.display_code(tokens.short_code(made[index]))} at {tokens.START_PATH}"

    return [
        Stage("Quality of life survey: invited by email (in the outbox)", made[BY_EMAIL].patient, code(BY_EMAIL)),
        Stage("Quality of life survey: invited by text message", made[BY_SMS].patient, code(BY_SMS)),
        Stage(
            "Quality of life survey: invitation letter waiting to print (/quality-of-life/letters/)",
            made[BY_POST].patient,
            code(BY_POST),
        ),
        Stage("Quality of life survey: reminded after 3 weeks", made[REMINDED].patient, code(REMINDED)),
        Stage("Quality of life survey: answered, report shared with the GP", made[ANSWERED].patient),
        Stage("Quality of life survey: answered, not shared with the GP", made[ANSWERED_PRIVATE].patient),
        Stage("Quality of life survey: invitation expired after 12 weeks", made[EXPIRED].patient),
        Stage("Quality of life survey: opted out", made[OPTED_OUT].patient),
        Stage(
            "Quality of life survey: a past cohort of 96 invited, 84 answered, for /quality-of-life/dashboard/",
            Invitation.objects.select_related("patient")
            .get(patient__nhs_number=demo_cohort.first_nhs_number())
            .patient,
            f"{answered} recorded in this run" if answered else "made by an earlier run",
        ),
    ]
