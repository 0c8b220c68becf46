"""The demo world for `make run` (`manage.py seed_demo`), and how each domain app adds its stages.

People: one trust with three tumour-site teams, two GP practices, two staff users for every role,
60 patients with diagnoses over the last 3 years, two with accounts. Deterministic and keyed on
stable identifiers, so running it twice changes nothing.

Stages: `portal` imports no domain app, so, as for the patient page (ADR 0023), seed_demo asks
Django's app registry: every AppConfig with a `demo_stages(world)` method makes its records through
its own services, as the demo staff and patients would on the pages, and returns a `Stage` for
each (ADR 0023, "Demo stages"). An app makes a stage only for a patient who has none of its records yet, so a
second run makes nothing."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from portal.people.models import (
    CareTeam,
    Diagnosis,
    Organisation,
    Patient,
    Role,
    RoleAssignment,
    TumourSite,
    User,
)
from portal.ui.presenters import format_date, format_nhs_number

TRUST = {"ods_code": "RX1", "name": "Riverside University Hospitals NHS Trust", "phone": "0113 496 0000"}
# With an email address, as the practice's copy of a treatment summary is announced by email.
PRACTICES = [
    {
        "ods_code": "B82001",
        "name": "Millbrook Surgery",
        "phone": "0113 496 0101",
        "email": "millbrook@demo.example.nhs.uk",
    },
    {
        "ods_code": "B82002",
        "name": "Hillside Medical Practice",
        "phone": "0113 496 0202",
        "email": "hillside@demo.example.nhs.uk",
    },
]
TEAMS = [
    (TumourSite.BREAST, "Breast care team", "0113 496 0301", "C50"),
    (TumourSite.COLORECTAL, "Colorectal cancer team", "0113 496 0302", "C18"),
    (TumourSite.PROSTATE, "Prostate cancer team", "0113 496 0303", "C61"),
]
# Two of every role; care-team roles in different teams, practice roles in different practices.
STAFF = [
    ("cns.breast", "Aisha", "Khan", Role.CNS, 0),
    ("cns.colorectal", "Ben", "Okafor", Role.CNS, 1),
    ("support.breast", "Chloe", "Evans", Role.SUPPORT_WORKER, 0),
    ("support.prostate", "Dev", "Patel", Role.SUPPORT_WORKER, 2),
    ("clinician.breast", "Elena", "Rossi", Role.CLINICIAN, 0),
    ("clinician.colorectal", "Farid", "Hussain", Role.CLINICIAN, 1),
    # The prostate team's follow-up (issue 11) needs a CNS and a clinician to stratify and review.
    ("cns.prostate", "Olu", "Adeyemi", Role.CNS, 2),
    ("clinician.prostate", "Priya", "Shah", Role.CLINICIAN, 2),
    ("gp.millbrook", "Grace", "Turner", Role.GP, 0),
    ("gp.hillside", "Hamid", "Ali", Role.GP, 1),
    ("practice.millbrook", "Isla", "Brown", Role.PRACTICE_STAFF, 0),
    ("practice.hillside", "Jack", "Wilson", Role.PRACTICE_STAFF, 1),
    ("admin.one", "Kate", "Morgan", Role.SERVICE_ADMIN, 0),
    ("admin.two", "Liam", "Davies", Role.SERVICE_ADMIN, 1),
    ("auditor.one", "Maya", "Clarke", Role.AUDITOR, 0),
    ("auditor.two", "Noah", "Scott", Role.AUDITOR, 1),
]
PATIENT_ACCOUNTS = ["patient.one", "patient.two"]
PATIENT_COUNT = 60
EMAIL_DOMAIN = "demo.example.nhs.uk"
GIVEN = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Rosie",
    "Jack",
    "Oliver",
    "George",
    "Harry",
    "Noah",
    "Leo",
    "Arthur",
    "Muhammad",
    "Margaret",
    "Patricia",
    "Susan",
    "David",
]
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
]
STAGES = ["1", "2", "3", "4", "not_staged"]
CONTACTS = [Patient.Contact.EMAIL, Patient.Contact.SMS, Patient.Contact.POST]


def demo_nhs_number(index: int) -> str:
    """A valid NHS number in the 999 range, reserved for testing, stable for an index."""
    base = 999_000_000 + (index * 7919) % 999_000
    while True:
        digits = f"{base:09d}"
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return digits + str(check)
        base += 1


def demo_email(local: str) -> str:
    return f"{local}@{EMAIL_DOMAIN}"


def team_of(index: int) -> int:
    """Which of TEAMS patient `index` is under: they take turns."""
    return index % len(TEAMS)


def practice_of(index: int) -> int:
    """Which of PRACTICES patient `index` is registered with."""
    return index % len(PRACTICES)


def contact_of(index: int):
    # By turns of three, so that each team (every third patient) has patients of every preference,
    # and its letters page has someone who gets their treatment summary by post.
    return CONTACTS[(index // len(TEAMS)) % len(CONTACTS)]


@dataclass(frozen=True)
class Stage:
    """One demo record an app made, or found made by an earlier run: what it shows, and whose."""

    what: str  # "HNA submitted, waiting for review"
    patient: Patient
    note: str = ""  # anything a tester needs that only this run knows, such as a new passcode

    def line(self) -> str:
        who = (
            f"{self.patient.full_name}, NHS number {format_nhs_number(self.patient.nhs_number)}, "
            f"born {format_date(self.patient.date_of_birth)}"
        )
        return f"{self.what}: {who}" + (f" ({self.note})" if self.note else "")


@dataclass
class World:
    """The people every app's demo stages stand on, found by their stable keys."""

    trust: Organisation
    teams: list[CareTeam]  # in TEAMS order
    practices: list[Organisation]  # in PRACTICES order
    new_patients: int = 0

    def user(self, local: str) -> User:
        """A demo user by the local part of their email, like "cns.breast"."""
        return User.objects.get(email=demo_email(local))

    def patient(self, index: int) -> Patient:
        """Demo patient `index` (0 to PATIENT_COUNT - 1): under TEAMS[team_of(index)], registered
        with PRACTICES[practice_of(index)]; 0 and 1 have the PATIENT_ACCOUNTS."""
        return Patient.objects.select_related("registered_practice").get(nhs_number=demo_nhs_number(index))


def build() -> World:
    """The organisations, teams, staff and patients (inside the caller's transaction)."""
    trust, _ = Organisation.objects.update_or_create(
        ods_code=TRUST["ods_code"], defaults={**TRUST, "kind": Organisation.Kind.TRUST}
    )
    practices = [
        Organisation.objects.update_or_create(
            ods_code=p["ods_code"], defaults={**p, "kind": Organisation.Kind.GP_PRACTICE}
        )[0]
        for p in PRACTICES
    ]
    teams = [
        CareTeam.objects.update_or_create(
            organisation=trust,
            name=name,
            defaults={
                "tumour_site": site,
                "phone": phone,
                "out_of_hours_phone": "0113 496 0999",
                "email": f"{site}.team@{EMAIL_DOMAIN}",
            },
        )[0]
        for site, name, phone, _icd in TEAMS
    ]
    for local, first, last, role, index in STAFF:
        user = _user(local, first, last)
        if role in (Role.GP, Role.PRACTICE_STAFF):
            org, team = practices[index], None
        elif role in (Role.CNS, Role.SUPPORT_WORKER, Role.CLINICIAN):
            org, team = trust, teams[index]
        else:
            org, team = trust, None
        RoleAssignment.objects.get_or_create(user=user, role=role, organisation=org, team=team)
    world = World(trust=trust, teams=teams, practices=practices)
    world.new_patients = _patients(teams, practices)
    return world


def app_stages(world: World) -> list[Stage]:
    """Every installed app's demo stages, in INSTALLED_APPS order (apps without the hook add none);
    then each app's `demo_after(world)`, for records about patients other apps made (a practice's
    past reviews of the survey cohort)."""
    stages = []
    for config in apps.get_app_configs():
        make = getattr(config, "demo_stages", None)
        if callable(make):
            stages.extend(make(world))
    for config in apps.get_app_configs():
        after = getattr(config, "demo_after", None)
        if callable(after):
            after(world, stages)
    return stages


def _user(local, first, last) -> User:
    user, created = User.objects.get_or_create(
        email=demo_email(local), defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    return user


# Communication needs and a carer on a few patients (ADR 0052): the banner on their staff pages, a
# large print letter, an interpreter line in their messages, and a new HNA that starts from them.
SUPPORT = {
    2: {
        "communication_needs": ["interpreter"],
        "communication_language": "Polish",
        "support_person_name": "Anna Nowak",
        "support_person_role": "both",
        "support_person_relationship": "Daughter",
        "support_person_phone": "07700 900 902",
    },
    3: {
        "communication_needs": ["hearing", "large_print"],
        "support_person_name": "Peter Walsh",
        "support_person_role": "next_of_kin",
        "support_person_relationship": "Husband",
        "support_person_phone": "0113 496 0303",
    },
    4: {"communication_needs": ["easy_read", "other"], "communication_detail": "Prefers short appointments"},
}


def _patients(teams, practices) -> int:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    created_count = 0
    for i in range(PATIENT_COUNT):
        site, _name, _phone, icd = TEAMS[team_of(i)]
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        dob = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
        diagnosed = today - timedelta(days=rng.randrange(14, 365 * 3))
        patient, created = Patient.objects.get_or_create(
            nhs_number=demo_nhs_number(i),
            defaults={
                "given_name": given,
                "family_name": family,
                "date_of_birth": dob,
                "postcode": f"LS{1 + i % 28} {1 + i % 9}{'ABDEFGHJ'[i % 8]}{'LNPQRSTU'[i % 8]}",
                "email": f"patient{i}@{EMAIL_DOMAIN}",
                "mobile": f"07700 900 {i:03d}",
                "preferred_contact": contact_of(i),
                "registered_practice": practices[practice_of(i)],
                # NHS data dictionary codes: prostate patients male, breast mostly female, by turns.
                "sex": "1" if site == TumourSite.PROSTATE or (site == TumourSite.COLORECTAL and i % 2) else "2",
                "ethnic_category": "AAAABAHAMZ"[i % 10],
                **SUPPORT.get(i, {}),
            },
        )
        if not created:
            continue
        created_count += 1
        patient.care_teams.add(teams[team_of(i)])
        ended = diagnosed + timedelta(days=rng.randrange(60, 240))
        Diagnosis.objects.create(
            patient=patient,
            tumour_site=site,
            icd10_code=icd,
            date_of_diagnosis=diagnosed,
            stage=rng.choice(STAGES),
            treatment_intent=Diagnosis.Intent.CURATIVE,
            end_of_treatment_date=ended if ended <= today else None,
        )
    # The first two patients have their own accounts.
    for i, local in enumerate(PATIENT_ACCOUNTS):
        patient = Patient.objects.get(nhs_number=demo_nhs_number(i))
        if patient.user_id is None:
            patient.user = _user(local, patient.given_name, patient.family_name)
            patient.save(update_fields=["user"])
    return created_count


def sign_ins() -> list[tuple[str, str]]:
    """(email, who) for every demo account: printed by `make run` and listed in the README."""
    rows = []
    for local, _first, _last, role, index in STAFF:
        if role in (Role.GP, Role.PRACTICE_STAFF):
            where = PRACTICES[index]["name"]
        elif role in (Role.CNS, Role.SUPPORT_WORKER, Role.CLINICIAN):
            where = TEAMS[index][1]
        else:
            where = TRUST["name"]
        rows.append((demo_email(local), f"{role.label}, {where}"))
    rows += [(demo_email(local), "Patient with an account") for local in PATIENT_ACCOUNTS]
    return rows
