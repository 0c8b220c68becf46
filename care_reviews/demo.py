"""The care reviews app's demo stages (seed_demo asks CareReviewsConfig.demo_stages, ADR 0023):
Hillside Medical Practice, where the demo GP gp.hillside works, has a patient at every point of the
early contact and the review, made through the same services the pages call:

- early contact due; early contact done (review not due yet);
- review due; review overdue;
- review done, with actions, signposting and the next review; declined, with why; not contactable;
- asked for by the patient (the practice took the call), still open;
- and demo patient 1 (account patient.two, a Hillside patient) has a completed review to read at
  /care-reviews/mine/, which My care links.

Everyone else diagnosed in the window at either practice gets a history a practice might have
(`_history`): four in five have their early contact, and their review once it is due, so the
indicator reads like a working practice's and the overdue count is a list a GP could work through.

What is due is worked out from the diagnosis date (care_reviews.services.due), so each stage has a
patient of its own with a diagnosis dated back from the day of seeding: the 60 people of
portal.people.demo have random dates, which would put the stages anywhere. A patient already made
(or, for patient.two, one with any review) is left as they are, so a second run makes nothing."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from care_reviews.models import Kind, Mode, Outcome, Review
from care_reviews.services.due import REVIEW_BY_MONTHS, REVIEW_FROM_MONTHS, diagnoses_in_window
from care_reviews.services.reviews import ask_for_review, record_review
from portal.people.demo import EMAIL_DOMAIN, FAMILY, GIVEN, TEAMS, Stage, demo_nhs_number
from portal.people.models import Diagnosis, Patient

GP, STAFF = "gp.hillside", "practice.hillside"
GPS = ("gp.millbrook", "gp.hillside")  # every demo practice's GP, for `_history`
LEFT_UNDONE = 5  # one patient in this many has nothing recorded: the practice's work to do
HILLSIDE = 1  # in PRACTICES order
FIRST_INDEX = 2000  # demo_nhs_number indexes no other demo patient uses (the survey cohort has 1000 on)
READER = 1  # demo patient 1 has the account patient.two and is registered at Hillside
weeks, months = (lambda n: relativedelta(weeks=n)), (lambda n: relativedelta(months=n))

EARLY = {
    "mode": Mode.PHONE,
    "experience": "Diagnosed recently and starting treatment; feels the hospital team explained things well.",
    "concerns_emotional": "Worried about telling the children.",
    "signposting": "Macmillan Support Line 0808 808 00 00; the Macmillan Information Centre at Riverside Hospital.",
    "getting_back_in": "Ring the surgery on 0113 496 0202; out of hours, NHS 111. The care team's number is on "
    "the treatment letters.",
}
REVIEW = {
    "mode": Mode.FACE_TO_FACE,
    "carer_attended": True,
    "carer_name": "Partner",
    "experience": "Treatment finished some months ago. Glad it is over, but finds the quiet after treatment hard.",
    "concerns_physical": "Tired most afternoons; some numbness in the fingers.",
    "concerns_emotional": "Worries the cancer will come back, mostly before check-ups.",
    "concerns_practical": "Wants to go back to work part time.",
    "concerns_financial": "Sick pay ends next month.",
    "medication_reviewed": True,
    "main_carer": "Partner, who lives with them",
    "consequences_discussed": True,
    "recurrence_symptoms_discussed": True,
    "lifestyle_advice": "Walk most days, building up slowly; cut down alcohol; the practice can help with "
    "stopping smoking.",
    "signposting": "Living well after cancer course (Riverside wellbeing sessions); Macmillan benefits advice "
    "0808 808 00 00; Access to Work for a phased return.",
    "getting_back_in": "Ring the surgery on 0113 496 0202 with any new symptom; out of hours, NHS 111. The "
    "care team can see you again without a new referral.",
}
ACTIONS = [
    ("Blood test for tiredness: full blood count, thyroid and vitamin D", "Practice nurse"),
    ("Fit note for a phased return to work", "GP"),
    ("Ask Macmillan about benefits before sick pay ends", "Patient"),
]
DECLINED = "Said the hospital team and their specialist nurse are support enough for now; may ask later."
NOT_CONTACTABLE = "No answer to three calls on different days; a letter sent asking them to ring the surgery."
ASKED = "Tiredness, and going back to work"


def _completed(kind, after, **fields) -> dict:
    return {"kind": kind, "outcome": Outcome.COMPLETED, "after": after, **fields}


def _not_done(outcome, reason) -> dict:
    return {"kind": Kind.REVIEW, "outcome": outcome, "after": months(7), "reason": reason}


EARLY_DONE = _completed(Kind.EARLY_CONTACT, weeks(5), **EARLY)
REVIEW_DONE = _completed(Kind.REVIEW, months(8), **REVIEW, next_review_after=months(12))
# (what the stage shows, how long ago the diagnosis was, what the practice recorded, asked for one).
STAGES = [
    ("Care review: early contact due", weeks(5), [], False),
    ("Care review: early contact done, review not due yet", weeks(10), [EARLY_DONE | {"after": weeks(3)}], False),
    ("Care review: review due", months(7), [EARLY_DONE], False),
    ("Care review: review overdue", months(14), [EARLY_DONE], False),
    (
        "Care review: review done, with actions, signposting and the next review",
        months(10),
        [EARLY_DONE, REVIEW_DONE],
        False,
    ),
    ("Care review: review declined, with why", months(9), [EARLY_DONE, _not_done(Outcome.DECLINED, DECLINED)], False),
    (
        "Care review: patient could not be contacted for the review",
        months(8),
        [EARLY_DONE, _not_done(Outcome.NOT_CONTACTABLE, NOT_CONTACTABLE)],
        False,
    ),
    ("Care review: asked for by the patient, open", months(4), [EARLY_DONE], True),
]


def demo_stages(world) -> list[Stage]:
    gp, staff = world.user(GP), world.user(STAFF)
    today = timezone.localdate()
    stages = []
    for k, (what, ago, recorded, asked) in enumerate(STAGES):
        patient = Patient.objects.filter(nhs_number=demo_nhs_number(FIRST_INDEX + k)).first()
        if patient is None:
            patient, diagnosis = _patient(world, k, today - ago)
            for step in recorded:
                _record(gp, diagnosis, **step)
            if asked:
                # The patient rang the surgery; the practice may record a request as the patient may.
                ask_for_review(actor=staff, patient=patient, what_about=ASKED)
        stages.append(Stage(what, patient))
    reader = world.patient(READER)
    if not Review.objects.filter(patient=reader).exists():
        diagnosis = reader.diagnoses.order_by("-date_of_diagnosis").first()
        reviewed_on = max(diagnosis.date_of_diagnosis, today - datetime.timedelta(days=14))
        _record(gp, diagnosis, **REVIEW_DONE | {"on": reviewed_on})
    stages.append(Stage("Care review: done, for the patient to read in My care (patient.two)", reader))
    return stages


def demo_after(world, stages) -> None:
    """Once every app has made its patients: the practices' history for those not in a stage."""
    today = timezone.localdate()
    staged = {stage.patient.pk for stage in stages if stage.patient is not None}
    for name in GPS:
        _history(world.user(name), today, staged)


def _history(gp, today, staged):
    """Early contacts and reviews done for the practice's other patients in the window, none twice."""
    reviewed = set(Review.objects.visible_to(gp).values_list("diagnosis_id", flat=True))
    for n, diagnosis in enumerate(diagnoses_in_window(gp, today)):
        if diagnosis.patient_id in staged or diagnosis.pk in reviewed or n % LEFT_UNDONE == 0:
            continue
        diagnosed = diagnosis.date_of_diagnosis
        early_on = diagnosed + weeks(4 + n % 6)
        if early_on < today:
            _record(gp, diagnosis, **EARLY_DONE | {"on": early_on})
        review_on = diagnosed + months(REVIEW_FROM_MONTHS + n % (REVIEW_BY_MONTHS - REVIEW_FROM_MONTHS))
        if diagnosed + months(REVIEW_FROM_MONTHS) <= today and review_on < today:
            _record(gp, diagnosis, **REVIEW_DONE | {"on": review_on})


def _record(gp, diagnosis, *, kind, outcome, after, on=None, reason="", next_review_after=None, **fields):
    """A review recorded by the practice's GP, `after` the diagnosis (or `on` a day)."""
    reviewed_on = on or diagnosis.date_of_diagnosis + after
    if next_review_after is not None:
        fields["next_review"] = reviewed_on + next_review_after
    actions = ACTIONS if kind == Kind.REVIEW and outcome == Outcome.COMPLETED else ()
    return record_review(
        actor=gp, diagnosis=diagnosis, kind=kind, outcome=outcome, reviewed_on=reviewed_on, reason=reason,
        actions=actions, **fields,
    )  # fmt: skip


def _patient(world, k, diagnosed):
    """Stage patient `k`: registered at Hillside, under the teams by turns, diagnosed on `diagnosed`."""
    team = k % len(TEAMS)
    site, _name, _phone, icd = TEAMS[team]
    index = FIRST_INDEX + k
    patient = Patient.objects.create(
        nhs_number=demo_nhs_number(index),
        given_name=GIVEN[(5 * k + 2) % len(GIVEN)],
        family_name=FAMILY[(7 * k + 4) % len(FAMILY)],
        date_of_birth=datetime.date(1948 + 3 * k, 1 + k % 12, 10 + k),
        sex="1" if site == "prostate" else "2",
        postcode=f"LS{1 + index % 28} {1 + index % 9}{'ABDEFGHJ'[index % 8]}{'LNPQRSTU'[index % 8]}",
        email=f"review{k}@{EMAIL_DOMAIN}",
        mobile=f"07700 900 {500 + k:03d}",
        preferred_contact=Patient.Contact.SMS,
        registered_practice=world.practices[HILLSIDE],
    )
    patient.care_teams.add(world.teams[team])
    diagnosis = Diagnosis.objects.create(
        patient=patient,
        tumour_site=site,
        icd10_code=icd,
        date_of_diagnosis=diagnosed,
        stage="2",
        treatment_intent=Diagnosis.Intent.CURATIVE,
    )
    return patient, diagnosis
