"""Three months of past HNA work for the demo (HnaConfig.demo_after, ADR 0023), so the alliance's
coverage report (/alliance/coverage/, ADR 0055) shows counts and not only "fewer than 10": every
patient of each team not in a stage and with no HNA yet was offered one in one of the last three
full months. Most sent it (by the passcode, as a patient would) and the team reviewed it; some
declined or could not complete it; most completed ones led to a care plan agreed the same day.

Each patient's history is made through the services the pages call, today, and then dated back to
its day: the offer's date, the day it was sent and reviewed, and the day its plan was agreed, which
are what the report counts by. The clock is not moved back while the services run: the access log
is a hash chain in time order (portal.audit), and its rows rightly say the demo was made today.
Dates never come before the patient's diagnosis. A patient who already has an HNA is skipped, so a
second run makes nothing."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from hna.demo import CNS as BREAST_CNS
from hna.demo import answer_as_patient, lock_version, offer
from hna.models import Assessment, CarePlan, OfferStatus, PathwayPoint, Trigger
from hna.services import assessments, care_plans
from portal.people.models import Patient

CNS_OF_TEAM = (BREAST_CNS, "cns.colorectal", "cns.prostate")  # in portal.people.demo.TEAMS order
MONTHS_BACK = 3
# By turns, what happened to each offer: mostly sent; one in eight declined, one in sixteen unable.
OUTCOMES = ("sent",) * 6 + ("declined",) + ("sent",) * 7 + ("declined", "unable")
CONCERNS = (
    [("physical", "fatigue", 6), ("emotional", "worry", 5)],
    [("practical", "money", 7)],
    [("physical", "sleep", 4), ("family", "children", 3)],
    [("physical", "pain", 5)],
)
SUMMARY = "We went through the concerns you raised and agreed what you and the team will do next."
HOUR = datetime.time(11, 0)


def demo_after(world, stages) -> None:
    staged = {stage.patient.pk for stage in stages if stage.patient is not None}
    today = timezone.localdate()
    for team, cns_local in zip(world.teams, CNS_OF_TEAM, strict=True):
        cns = world.user(cns_local)
        patients = (
            Patient.objects.filter(care_teams=team, assessments__isnull=True)  # unscoped-ok: demo seeding
            .exclude(pk__in=staged)
            .prefetch_related("diagnoses")
            .order_by("nhs_number")
        )
        for n, patient in enumerate(patients):
            on = _day(today, n)
            diagnosed = min((d.date_of_diagnosis for d in patient.diagnoses.all()), default=None)
            if diagnosed is None or diagnosed > on:
                continue
            _history(cns, patient, n, on)


def _day(today, n) -> datetime.date:
    """Patient n's day: the months before this one by turns, days 1 to 28 spread within each."""
    first = today.replace(day=1) - relativedelta(months=1 + n % MONTHS_BACK)
    return first + datetime.timedelta(days=(n * 5) % 28)


def _history(cns, patient, n, on) -> None:
    outcome = OUTCOMES[n % len(OUTCOMES)]
    done = offer(cns, patient, PathwayPoint.END_OF_TREATMENT, Trigger.END_OF_TREATMENT, event_date=on)
    if outcome != "sent":
        status = OfferStatus.DECLINED if outcome == "declined" else OfferStatus.UNABLE_TO_COMPLETE
        assessments.record_offer_outcome(actor=cns, assessment=done.assessment, offer_status=status, on=on)
        return
    assessment = answer_as_patient(done, patient, CONCERNS[n % len(CONCERNS)], distress=3 + n % 5)
    assessments.mark_reviewed(actor=cns, assessment=assessment)
    at = timezone.make_aware(datetime.datetime.combine(on, HOUR))
    dated = {"submitted_at": at, "reviewed_at": at, "offer_status_date": on}
    Assessment.objects.filter(pk=assessment.pk).update(**dated)  # unscoped-ok: the row just made
    if n % 8 == 3:
        return  # no plan was needed
    plan = care_plans.start_plan(actor=cns, assessment=assessment)
    care_plans.update_summary(actor=cns, plan=plan, seen_lock_version=lock_version(plan), summary=SUMMARY)
    care_plans.lock(actor=cns, plan=plan, seen_lock_version=lock_version(plan), confirm_blank=True)
    CarePlan.objects.filter(pk=plan.pk).update(locked_at=at)  # unscoped-ok: the row just made
