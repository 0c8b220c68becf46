"""A past survey cohort for the demo dashboard (ADR 0039): 96 patients diagnosed about 18 months
before they were invited, 2 to 10 months ago, 32 under each team, with stated gender, ethnic category
and demo postcodes, so every grouping on /quality-of-life/dashboard/ has groups of 10 or more to show
and some smaller ones it hides. 84 answered (through responses.submit, so scored as any response);
the rest let the invitation expire. Deterministic and keyed on NHS numbers, so a second run makes
nothing. They said no to being contacted, so the closing loop raises no work items for them."""

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from portal.people.demo import FAMILY, GIVEN, TEAMS, demo_nhs_number
from portal.people.models import Diagnosis, Patient
from qol_survey.models import Channel, Invitation, InvitationStatus
from qol_survey.services import responses

FIRST_INDEX = 1000  # demo_nhs_number indexes no other demo patient uses
SIZE = 96
NO_REPLY_EVERY = 8  # every eighth did not answer
# Ages at invitation, by turns: most in the older bands, as in the survey's real respondents.
AGES = (48, 58, 63, 67, 71, 76, 52, 60, 69, 73, 80, 38)
# Ethnic categories by turns (NHS data dictionary codes): mostly White British, "Z" not stated.
ETHNIC = ("A", "A", "A", "A", "A", "A", "B", "H", "A", "M", "Z", "A", "J", "A", "C", "A")
days = datetime.timedelta


def _sex(team: int, k: int) -> str:
    site = TEAMS[team][0]
    if site == "prostate":
        return "1"
    if site == "breast":
        return "1" if k % 20 == 0 else "2"
    return "1" if k % 2 else "2"


def _answers(rng) -> dict:
    """A whole survey, mostly mild, some with more trouble: items 1-28 on 1-4, 29-30 on 1-7."""
    burden = rng.choice((0, 0, 1, 1, 2))
    cancer = {f"q{n}": min(4, max(1, 1 + burden + rng.choice((-1, 0, 0, 1)))) for n in range(1, 29)}
    cancer |= {"q29": max(1, 6 - burden - rng.randrange(2)), "q30": max(1, 6 - burden - rng.randrange(2))}
    profile = {dim: min(5, 1 + burden + rng.randrange(2)) for dim in ("MO", "SC", "UA", "PD", "AD")}
    return {"health-profile-5d": profile | {"VAS": 85 - 15 * burden - rng.randrange(10)}, "cancer-30": cancer}


def _patient(world, k, rng, today):
    index = FIRST_INDEX + k
    team = k % len(TEAMS)
    site, _name, _phone, icd = TEAMS[team]
    invited_on = today - days(60 + (k * 7) % 240)
    diagnosed = invited_on - relativedelta(months=settings.QOL_DUE_MONTHS)
    born = invited_on - days(365 * AGES[k % len(AGES)] + k % 300)
    patient = Patient.objects.create(
        nhs_number=demo_nhs_number(index),
        given_name=rng.choice(GIVEN),
        family_name=rng.choice(FAMILY),
        date_of_birth=born,
        sex=_sex(team, k),
        ethnic_category=ETHNIC[k % len(ETHNIC)],
        postcode=f"LS{1 + index % 28} {1 + index % 9}{'ABDEFGHJ'[index % 8]}{'LNPQRSTU'[index % 8]}",
        email=f"survey{k}@demo.example.nhs.uk",
        preferred_contact="email",
        registered_practice=world.practices[k % len(world.practices)],
    )
    patient.care_teams.add(world.teams[team])
    diagnosis = Diagnosis.objects.create(
        patient=patient,
        tumour_site=site,
        icd10_code=icd,
        date_of_diagnosis=diagnosed,
        treatment_intent=Diagnosis.Intent.CURATIVE,
        end_of_treatment_date=diagnosed + days(150),
    )
    return Invitation.objects.create(
        patient=patient,
        diagnosis=diagnosis,
        team=world.teams[team],
        channel=Channel.EMAIL,
        invited_on=invited_on,
        remind_on=invited_on + days(settings.QOL_REMINDER_DAYS),
        expires_on=invited_on + days(settings.QOL_EXPIRY_DAYS),
    )


def first_nhs_number() -> str:
    return demo_nhs_number(FIRST_INDEX)


def make(world) -> int:
    """The cohort, unless an earlier run made it; returns how many responses it recorded."""
    if Patient.objects.filter(nhs_number=first_nhs_number()).exists():
        return 0
    rng = random.Random(18)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    answered = 0
    for k in range(SIZE):
        invitation = _patient(world, k, rng, today)
        if k % NO_REPLY_EVERY == NO_REPLY_EVERY - 1:
            closed = timezone.now()
            Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.EXPIRED, closed_at=closed)
            continue
        responses.submit(invitation, _answers(rng), share_with_gp=k % 3 != 0, may_contact=False)
        answered += 1
    return answered
