"""Treatment summary data for the benchmarks. In its own process against the bench database (the
harness sets DJANGO_SETTINGS_MODULE and DATABASE_URL): `python -m tests.bench.seed_summaries inbox
--count 200 --other 50` sends that many complete summaries to a bench practice (and `--other` more to
another practice), and prints as JSON on the last line the session cookie of a GP of the first
practice (with an authenticator app, as every staff user has). The helpers are also used in the
pytest process (the PDF benchmark) against the test database.

Every summary is made through the services (start, update, side effects, treatments, GP actions,
sign-off, send), as the care team makes it, with a stand-in PDF at sign-off (the inbox list never
reads the bytes): so each has what production leaves, the delivery to the patient's registered
practice, the patient's copy, the notifications and the audit rows. The database refuses a shortcut
(migration 0004: a version is born a draft, only moves forward, and takes no parts once signed off).

Needs the side-effect tick list a data migration loads (the bench database is migrated; tests put it
back)."""

import argparse
import datetime
import itertools
import json

import django

ODS_CODE = "RSU"  # not the other seeds' trusts: all may run against one database
PRACTICE_ODS = "S90001"
OTHER_PRACTICE_ODS = "S90002"
# NHS numbers and emails of their own: PatientFactory's sequences start again in every seed process.
PATIENT_INDEX = itertools.count(700_000)
STAND_IN_PDF = b"%PDF-1.4 bench stand-in"

# A realistic summary: every field filled with the kind of text a CNS writes (two A4 pages).
FIELDS = {
    "diagnosis_text": "Invasive ductal carcinoma of the left breast, grade 2, ER positive, HER2 negative (C50.4)",
    "date_of_diagnosis": datetime.date(2024, 11, 12),
    "t_stage": "T2",
    "n_stage": "N1",
    "m_stage": "M0",
    "staging_comments": (
        "Pathological staging: 28 mm tumour, 2 of 14 axillary nodes involved, clear margins. CT and bone "
        "scan showed no distant spread."
    ),
    "treatment_aim": "curative",
    "side_effects_text": (
        "Grade 1 peripheral neuropathy in both feet, improving. Mild axillary cording after surgery. Hot "
        "flushes since starting letrozole; advice given."
    ),
    "red_flags": (
        "Please refer back to the breast team for: a new lump in either breast, the chest wall or the "
        "armpit; new swelling of the left arm; "
        "bone pain that is persistent or wakes her at night; unexplained weight loss; a persistent cough or "
        "breathlessness; jaundice; new severe headaches."
    ),
    "contacts_in_hours": ("Breast CNS team, Monday to Friday 8am to 5pm: 0113 496 0000, breast.cns@example.nhs.uk."),
    "contacts_out_of_hours": ("Acute oncology 24-hour advice line: 0113 496 0999. Otherwise NHS 111."),
    "responsible_clinician": "Dr Priya Raman, Consultant Clinical Oncologist",
    "cns_name": "Sarah Whitfield, Breast Clinical Nurse Specialist",
    "carer_contact": "Husband, David Example, 07700 900123 (next of kin).",
    "referrals": (
        "Physiotherapy for axillary cording (seen, discharged). Lymphoedema clinic for baseline arm "
        "measurements. Macmillan Moving Forward course."
    ),
    "ongoing_management": (
        "Letrozole for at least 5 years (started March 2025). Annual mammogram for 5 years, then the NHS "
        "breast screening programme. DEXA scan every 2 years while on an aromatase inhibitor (baseline: "
        "osteopenia). Patient-initiated follow-up for 5 years."
    ),
    "follow_up_pathway": "pifu",
    "new_medication": (
        "Letrozole 2.5 mg once daily. Adcal-D3 two tablets daily. Zoledronic acid 4 mg every 6 months for 3 years."
    ),
    "information_given": (
        "Discussed in clinic with her husband: the diagnosis, the treatment given, that the aim was cure, "
        "the risk of recurrence and the symptoms to report. She has the Macmillan booklets."
    ),
    "patient_has_copy": True,
}
TREATMENTS = [
    ("surgery", "Left wide local excision and axillary node clearance", datetime.date(2024, 12, 9), None),
    ("chemotherapy", "Adjuvant EC followed by paclitaxel, 6 cycles", datetime.date(2025, 1, 13), 18),
    ("radiotherapy", "Left breast and supraclavicular fossa, 40 Gy in 15 fractions", datetime.date(2025, 4, 28), 3),
]
SIDE_EFFECT_TYPES = ("surgery", "chemotherapy", "radiotherapy")  # every option of these is ticked
GP_ACTIONS = [
    "Prescribe letrozole 2.5 mg daily for at least 5 years.",
    "Prescribe Adcal-D3 and arrange a repeat DEXA scan in 2 years.",
    "Check blood pressure and lipids once a year on letrozole.",
    "Offer a cancer care review within 6 months.",
    "Refer back urgently for any red-flag symptom above.",
]


def care_team():
    """A trust, a breast care team, its CNS and a clinician who signs off."""
    from portal.people.models import Role
    from tests.factories import CareTeamFactory, RoleAssignmentFactory, TrustFactory, UserFactory

    trust = TrustFactory(ods_code=ODS_CODE, name="Summaries Bench Trust")
    team = CareTeamFactory(organisation=trust, name="Summaries bench team (breast)", tumour_site="breast")
    cns = UserFactory(email="cns.summaries.bench@example.com", first_name="Sarah", last_name="Whitfield")
    RoleAssignmentFactory(user=cns, role=Role.CNS, organisation=trust, team=team)
    doctor = UserFactory(email="clinician.summaries.bench@example.com", first_name="Priya", last_name="Raman")
    RoleAssignmentFactory(user=doctor, role=Role.CLINICIAN, organisation=trust, team=team)
    return team, cns, doctor


def patient(team, practice):
    from portal.people.management.commands.seed_demo import demo_nhs_number
    from tests.factories import PatientFactory

    index = next(PATIENT_INDEX)
    return PatientFactory(
        care_teams=[team],
        registered_practice=practice,
        nhs_number=demo_nhs_number(index),
        email=f"patient.summaries.{index}@example.com",
    )


def signed_off_summary(cns, doctor, person, *, render_pdf=None):
    """A complete summary of `person` (every field, 3 treatments, every side effect of the 3 treatment
    types ticked, 5 GP actions), signed off by `doctor`: the version."""
    from treatment_summaries.models import SideEffectOption, SummaryVersion
    from treatment_summaries.services import summaries

    def fresh(v):
        return SummaryVersion.objects.get(pk=v.pk)

    version = summaries.start(actor=cns, patient=person)
    version = summaries.update(actor=cns, version=version, seen_lock_version=version.lock_version, **FIELDS)
    options = SideEffectOption.objects.filter(treatment_type__in=SIDE_EFFECT_TYPES, retired=False)
    summaries.set_side_effects(
        actor=cns, version=version, seen_lock_version=version.lock_version, option_ids=[o.pk for o in options]
    )
    for kind, description, start, weeks in TREATMENTS:
        version = fresh(version)
        end = start if weeks is None else start + datetime.timedelta(weeks=weeks)
        summaries.add_treatment(
            actor=cns,
            version=version,
            seen_lock_version=version.lock_version,
            treatment_type=kind,
            description=description,
            start_date=start,
            end_date=end,
        )
    for text in GP_ACTIONS:
        version = fresh(version)
        summaries.add_gp_action(actor=cns, version=version, seen_lock_version=version.lock_version, text=text)
    return summaries.sign_off(actor=doctor, version=fresh(version), render_pdf=render_pdf or (lambda v: STAND_IN_PDF))


def inbox(count: int, other: int) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.test import Client

    from portal.people.models import Role
    from tests.factories import PracticeFactory, RoleAssignmentFactory, UserFactory
    from treatment_summaries.models import PracticeDelivery
    from treatment_summaries.services import summaries

    team, cns, doctor = care_team()
    practice = PracticeFactory(ods_code=PRACTICE_ODS, name="Summaries Bench Practice")
    other_practice = PracticeFactory(ods_code=OTHER_PRACTICE_ODS, name="Summaries Other Practice")
    gp = UserFactory(email="gp.summaries.bench@example.com")
    RoleAssignmentFactory(user=gp, role=Role.GP, organisation=practice)
    # A real authenticator app, so the MFA middleware's check runs as it does for any staff user.
    TOTP.activate(gp, generate_totp_secret())
    for owner, n in ((practice, count), (other_practice, other)):
        for _ in range(n):
            summaries.send(actor=cns, version=signed_off_summary(cns, doctor, patient(team, owner)))

    client = Client()
    client.force_login(gp)  # a real server-side session, as after signing in with password + TOTP
    return {
        "user": gp.email,
        "deliveries": PracticeDelivery.objects.filter(practice=practice).count(),
        "other_deliveries": PracticeDelivery.objects.filter(practice=other_practice).count(),
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookie_value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["inbox"])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--other", type=int, default=50)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(inbox(args.count, args.other)), flush=True)


if __name__ == "__main__":
    main()
