"""HNA data for the benchmarks. In its own process against the bench database (the harness sets
DJANGO_SETTINGS_MODULE and DATABASE_URL): `python -m tests.bench.seed_hna patients --count 4`
sets up that many HNAs, each for its own patient with its own passcode, and prints as JSON on the
last line the passcodes, dates of birth and the first question page. The helpers are also used
in the pytest process (the passcode and PDF benchmarks) against the test database.

Needs the checklist a data migration loads (the bench database is migrated; tests put it back)."""

import argparse
import datetime
import itertools
import json
from collections import defaultdict

import django

ODS_CODE = "RHB"  # not the worklist seed's trust: both seeds may run against one database
# NHS numbers of their own: PatientFactory's sequence starts again in every seed process, so the
# worklist seed, run after this one against the same database, would make the same ones.
NHS_NUMBER_INDEX = itertools.count(600_000)  # the follow-up caseload seed has 500_000 upwards


def care_team():
    """A trust, a breast care team and a CNS in it (who sets up the HNAs and plans)."""
    from portal.people.models import Role
    from tests.factories import CareTeamFactory, RoleAssignmentFactory, TrustFactory, UserFactory

    trust = TrustFactory(ods_code=ODS_CODE, name="HNA Bench Trust")
    team = CareTeamFactory(organisation=trust, name="HNA bench team (breast)", tumour_site="breast")
    cns = UserFactory(email="cns.hna.bench@example.com")
    RoleAssignmentFactory(user=cns, role=Role.CNS, organisation=trust, team=team)
    return team, cns


def set_up_hna(cns, team, **patient_fields):
    """A new patient of the team with an HNA the patient accepted: (patient, raw passcode)."""
    from hna.services import assessments
    from portal.people.management.commands.seed_demo import demo_nhs_number
    from tests.factories import PatientFactory

    patient_fields.setdefault("nhs_number", demo_nhs_number(next(NHS_NUMBER_INDEX)))
    patient = PatientFactory(care_teams=[team], **patient_fields)
    done = assessments.set_up(
        actor=cns,
        patient=patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=datetime.date.today(),
    )
    return patient, done


def plan_with_concerns(concerns: int = 40):
    """A draft care plan with `concerns` items, every one with text in what matters and the action
    (as after the care planning conversation): the plan of a patient who ticked and scored that many
    concerns and sent the HNA."""
    from hna.models import ConcernItem
    from hna.services import assessments, care_plans, passcodes

    team, cns = care_team()
    patient, done = set_up_hna(cns, team)
    items = list(
        ConcernItem.objects.filter(category__version=done.assessment.checklist_version)
        .select_related("category")
        .order_by("category__position", "position")[:concerns]
    )
    if len(items) < concerns:
        raise RuntimeError(f"the checklist has {len(items)} concerns, not {concerns}")
    by_category = defaultdict(set)
    for item in items:
        by_category[item.category.code].add(item.code)
    for category, codes in by_category.items():
        assessments.save_ticks(done.assessment, category, codes)
    assessments.save_scores(done.assessment, {item.code: i % 11 for i, item in enumerate(items)})
    submitted = assessments.submit(passcodes.check(done.passcode, patient.date_of_birth))
    plan = care_plans.start_plan(actor=cns, assessment=submitted)
    for item in plan.items.all():
        item.what_matters = "Being able to carry on with everyday life and see my grandchildren. " * 2
        item.action = f"Agreed action for {item.concern}: referral, a follow-up call and a leaflet. " * 3
        item.signposting = "Macmillan Support Line 0808 808 00 00"
        item.save()
    return plan


def patients(count: int) -> dict:
    from django.conf import settings

    from hna.presenters_patient import categories, step_url

    team, cns = care_team()
    opened = []
    for i in range(count):
        # Different dates of birth: a passcode only opens its own patient's assessment.
        patient, done = set_up_hna(cns, team, date_of_birth=datetime.date(1950 + i, 5, 17))
        opened.append({"passcode": done.passcode, "date_of_birth": patient.date_of_birth.isoformat()})
    first = categories(done.assessment)[0]
    concern = first.items.order_by("position", "text").first()
    return {
        "patients": opened,
        "category": first.code,
        "concern": concern.code,
        "concerns_in_category": first.items.count(),
        "question_path": step_url(f"concerns/{first.code}"),
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["patients"])
    parser.add_argument("--count", type=int, default=4)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(patients(args.count)), flush=True)


if __name__ == "__main__":
    main()
