"""The HNA app's demo stages (seed_demo asks HnaConfig.demo_stages, ADR 0023): patients of the
breast care team at each point of the HNA journey, made through the same services the pages call,
by the demo CNS and by the patient with their passcode, so the audit, outbox and worklist hold what
real use leaves there.

- waiting: set up, passcode emailed, not started;
- submitted: answered and sent by the patient, waiting for review (on the team's worklist);
- planned: reviewed, with a care plan agreed and locked, shared with the GP (demo patient 0,
  who has an account, sees it in My care, and Millbrook Surgery opens it from the patient page);
- compared: a first HNA reviewed, a second sent since, to compare with the first;
- keyed in from paper, and completed with the patient (assisted): entered by the CNS on the staff
  pages' services (ADR 0053), each waiting for review with "How it was completed" on the page.

A patient who already has any HNA is left as they are, so a second run makes nothing."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from hna.models import CarePlan, ConcernCategory, EntryMode, ItemOwner, ItemStatus, OfferStatus, PathwayPoint, Trigger
from hna.services import assessments, care_plans, passcodes, staff_entry
from portal.people.demo import Stage

CNS = "cns.breast"
# Demo patient indexes (portal.people.demo): every third is the breast care team's.
WAITING, SUBMITTED, PLANNED, COMPARED = 3, 9, 0, 18
PAPER, ASSISTED = 21, 33

# What each demo patient ticks, with the score they give: (category code, item code, score); the
# checklist's item codes are "<category>-<item>" (hna/checklist_v1.py).
PLANNED_CONCERNS = [
    ("emotional", "worry", 8),
    ("physical", "fatigue", 7),
    ("physical", "sleep", 6),
    ("practical", "money", 5),
    ("lifestyle", "activity", 3),
]
SUBMITTED_CONCERNS = [
    ("physical", "pain", 7),
    ("physical", "getting-around", 6),
    ("family", "children", 5),
    ("emotional", "sadness", 4),
]
# The comparison shows every kind of change: lower (worry), higher (fatigue), the same (pain),
# new (hot flushes) and a concern not ticked the second time (sleep).
FIRST_CONCERNS = [
    ("emotional", "worry", 8),
    ("physical", "fatigue", 5),
    ("physical", "sleep", 6),
    ("physical", "pain", 4),
]
SECOND_CONCERNS = [
    ("emotional", "worry", 4),
    ("physical", "fatigue", 8),
    ("physical", "pain", 4),
    ("physical", "hot-flushes", 6),
]
# The care planning conversation, per concern item code: (what matters, agreed action, who, who in words,
# signposting, status). Our own words.
PLAN = {
    "emotional-worry": (
        "Not lying awake worrying that the cancer will come back",
        "Talk through what to look out for and who to call; offer a place on the living well course",
        ItemOwner.CNS,
        "",
        "Macmillan Support Line, 0808 808 00 00",
        ItemStatus.IN_PROGRESS,
    ),
    "physical-fatigue": (
        "Having the energy to pick up my grandchildren from school",
        "Plan the day around rest; try the gentle exercise group on Tuesdays",
        ItemOwner.PATIENT,
        "",
        "Moving on: gentle exercise group, Riverside Leisure Centre",
        ItemStatus.IN_PROGRESS,
    ),
    "physical-sleep": (
        "Getting a full night's sleep again",
        "Keep a sleep diary for two weeks and bring it to the next appointment",
        ItemOwner.PATIENT,
        "",
        "",
        ItemStatus.NOT_STARTED,
    ),
    "practical-money": (
        "Knowing we can pay the bills while I am off work",
        "Referral to the benefits adviser for a check of what I can claim",
        ItemOwner.SERVICE,
        "Macmillan benefits advice service",
        "",
        ItemStatus.DONE,
    ),
    "lifestyle-activity": (
        "Getting back to walking with my friends",
        "Start with short walks and build up over six weeks",
        ItemOwner.PATIENT,
        "",
        "Walking for health groups near you",
        ItemStatus.NOT_STARTED,
    ),
}
PLAN_SUMMARY = (
    "We talked about the worries that keep you awake and your tiredness after treatment. You will "
    "try the exercise group and a sleep diary, and we have referred you for benefits advice."
)


def demo_stages(world) -> list[Stage]:
    cns = world.user(CNS)
    made = [
        (WAITING, "HNA waiting for the patient (passcode issued, not started)", _waiting),
        (SUBMITTED, "HNA submitted, waiting for review", _submitted),
        (PLANNED, "HNA reviewed, with a care plan agreed, locked and shared with the GP", _planned),
        (COMPARED, "Two HNAs to compare: the first reviewed, the second submitted", _compared),
        (PAPER, "HNA keyed in by the CNS from the patient's paper form, waiting for review", _paper),
        (ASSISTED, "HNA completed by the CNS with the patient (assisted), waiting for review", _assisted),
    ]
    stages = []
    for index, what, make in made:
        patient = world.patient(index)
        note = "" if patient.assessments.exists() else make(cns, patient)
        stages.append(Stage(what, patient, note or ""))
    return stages


def _waiting(cns, patient) -> str:
    done = offer(cns, patient, PathwayPoint.END_OF_TREATMENT, Trigger.END_OF_TREATMENT, send_by="email")
    return f"passcode {passcodes.display(done.passcode)} at /hna/start/, shown only now: reissue it from the HNA"


def _submitted(cns, patient) -> None:
    done = offer(cns, patient, PathwayPoint.END_OF_TREATMENT, Trigger.END_OF_TREATMENT)
    answer_as_patient(
        done, patient, SUBMITTED_CONCERNS, distress=6, anything_else="Stairs are hard since the operation."
    )


def _planned(cns, patient) -> None:
    done = offer(cns, patient, PathwayPoint.INITIAL_DIAGNOSIS, Trigger.DIAGNOSIS)
    assessment = answer_as_patient(done, patient, PLANNED_CONCERNS, distress=7)
    assessments.mark_reviewed(actor=cns, assessment=assessment)
    plan = care_plans.start_plan(actor=cns, assessment=assessment)
    due = timezone.localdate() + timedelta(weeks=6)
    for item in plan.items.select_related("concern_item").order_by("position"):
        what_matters, action, owner, owner_detail, signposting, status = PLAN[item.concern_item.code]
        care_plans.update_item(
            actor=cns,
            item=item,
            seen_lock_version=lock_version(plan),
            what_matters=what_matters,
            action=action,
            owner=owner,
            owner_detail=owner_detail,
            signposting=signposting,
            due_date=due,
            status=status,
            outcome="Seen by the benefits adviser; claim made" if status == ItemStatus.DONE else "",
        )
    care_plans.update_summary(actor=cns, plan=plan, seen_lock_version=lock_version(plan), summary=PLAN_SUMMARY)
    care_plans.set_sharing(actor=cns, plan=plan, seen_lock_version=lock_version(plan), shared_with_gp=True)
    care_plans.lock(actor=cns, plan=plan, seen_lock_version=lock_version(plan))


def _compared(cns, patient) -> None:
    diagnosis = patient.diagnoses.order_by("date_of_diagnosis").first()
    first = offer(
        cns, patient, PathwayPoint.INITIAL_DIAGNOSIS, Trigger.DIAGNOSIS, event_date=diagnosis.date_of_diagnosis
    )
    assessments.mark_reviewed(actor=cns, assessment=answer_as_patient(first, patient, FIRST_CONCERNS, distress=7))
    second = offer(
        cns,
        patient,
        PathwayPoint.END_OF_TREATMENT,
        Trigger.END_OF_TREATMENT,
        event_date=diagnosis.end_of_treatment_date or timezone.localdate(),
    )
    answer_as_patient(second, patient, SECOND_CONCERNS, distress=4)


PAPER_CONCERNS = [("physical", "breathing", 6), ("practical", "money", 4)]
ASSISTED_CONCERNS = [("emotional", "anger", 5), ("physical", "fatigue", 8)]


def _paper(cns, patient) -> None:
    _enter(cns, patient, EntryMode.PAPER, PAPER_CONCERNS, distress=5, on_paper=timezone.localdate() - timedelta(days=4))


def _assisted(cns, patient) -> None:
    _enter(cns, patient, EntryMode.ASSISTED, ASSISTED_CONCERNS, distress=3)


def _enter(cns, patient, mode, concerns, *, distress, on_paper=None):
    """The CNS's side (hna.views.staff_entry): the answers, then the scores, sent to the review."""
    ticked = defaultdict(set)
    for category, item, _score in concerns:
        ticked[category].add(f"{category}-{item}")
    assessment = staff_entry.start_entry(
        actor=cns,
        patient=patient,
        entry_mode=mode,
        completed_on_paper=on_paper,
        point_of_pathway=PathwayPoint.END_OF_TREATMENT,
        trigger=Trigger.END_OF_TREATMENT,
        ticks=ticked,
        answers={"distress_score": distress, "wants_company": "no", "communication_needs": []},
    )
    scores = {f"{category}-{item}": score for category, item, score in concerns}
    staff_entry.enter_scores_and_send(actor=cns, assessment=assessment, scores=scores)


def offer(cns, patient, point_of_pathway, trigger, *, event_date=None, send_by=""):
    return assessments.set_up(
        actor=cns,
        patient=patient,
        point_of_pathway=point_of_pathway,
        trigger=trigger,
        offer_status=OfferStatus.ACCEPTED,
        event_date=event_date or timezone.localdate(),
        send_by=send_by,
    )


def answer_as_patient(done, patient, concerns, *, distress, anything_else=""):
    """The patient's side: sign in with the passcode and date of birth, go through every category
    page (ticking some), score the ticked concerns, answer the last questions and send it."""
    passcode = passcodes.check(done.passcode, patient.date_of_birth)
    assessment = assessments.open_for_patient(passcode)
    ticked = defaultdict(set)
    for category, item, _score in concerns:
        ticked[category].add(f"{category}-{item}")
    categories = ConcernCategory.objects.filter(version=assessment.checklist_version_id).order_by("position")
    for category in categories.values_list("code", flat=True):
        assessments.save_ticks(assessment, category, ticked[category])
    assessments.save_scores(assessment, {f"{category}-{item}": score for category, item, score in concerns})
    assessments.save_answers(
        assessment,
        distress_score=distress,
        anything_else=anything_else,
        wants_company="yes",
        communication_needs=[],
    )
    return assessments.submit(passcode)


def lock_version(plan) -> int:
    """The number the editor saw: what the plan's page would have in its form now."""
    return CarePlan.objects.values_list("lock_version", flat=True).get(pk=plan.pk)
