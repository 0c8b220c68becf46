"""The follow-up sweep benchmark's own processes (DJANGO_SETTINGS_MODULE and DATABASE_URL come from
the harness): `python -m tests.bench.seed_followup seed --tests 1000000` fills the database with
INSERT ... SELECT generate_series (seconds, not the hours the ORM would take); `... sweep` times one
raw SQL statement selecting the due rows and the sweep itself, in one process, and prints JSON;
`... caseload --patients 500` seeds one team's caseload and a signed-in CNS for the caseload page.

Shape: 10 tests a pathway, one pathway a patient; 2% of the tests due or overdue (half due within
the reminder window, half 22-60 days overdue with no result); 1 pathway in 100 with a monthly
check-in due; every other test a year or more ahead."""

import argparse
import datetime
import json
import resource
import time

import django

TESTS_PER_PATHWAY = 10
TODAY = datetime.date(2026, 6, 1)

DUE_SQL = """
SELECT t.id, t.due_date, t.status, t.pathway_id, p.patient_id, p.team_id
FROM followup_surveillancetest t JOIN followup_pathway p ON p.id = t.pathway_id
WHERE t.status IN ('scheduled', 'requested', 'missed') AND t.due_date <= %s AND p.status = 'active'
"""


def seed(tests: int) -> dict:
    from django.db import connection, transaction

    from followup import default_protocols
    from followup.models import ProtocolVersion, TestType
    from tests.factories import CareTeamFactory, PracticeFactory, TrustFactory

    default_protocols.ensure_loaded()
    trust = TrustFactory(ods_code="RBF", name="Bench Trust")
    team = CareTeamFactory(organisation=trust, name="Bench team (colorectal)", tumour_site="colorectal")
    practice = PracticeFactory(ods_code="B90002", name="Bench Practice", email="practice@example.com")
    version = ProtocolVersion.objects.get(protocol__slug="colorectal-default", status="published")
    cea, ct = TestType.objects.get(code="CEA"), TestType.objects.get(code="CT_CAP")
    pathways = tests // TESTS_PER_PATHWAY
    started = time.perf_counter()
    from portal.people.models import Patient
    from tests.bench.blanks import give_model_defaults

    give_model_defaults(Patient)  # the columns the INSERT below leaves out
    with transaction.atomic(), connection.cursor() as cursor:
        # No per-row triggers (the patient history trigger costs minutes per 100,000 rows) and no
        # foreign-key checks: the rows are made consistent here. Superuser only, bench database only.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO people_patient (id, created_at, updated_at, nhs_number, given_name, family_name,
                date_of_birth, postcode, email, mobile, preferred_contact, registered_practice_id, survey_opt_out)
            SELECT md5('patient' || i)::uuid, now(), now(), '8' || lpad(i::text, 9, '0'), 'Bench', 'Patient ' || i,
                DATE '1955-01-01', 'LS1 4AP', 'bench' || i || '@example.com', '',
                CASE WHEN i %% 4 = 0 THEN 'post' ELSE 'email' END, %s, false
            FROM generate_series(1, %s) AS i
            """,
            [practice.pk, pathways],
        )
        cursor.execute(
            """
            INSERT INTO followup_pathway (id, created_at, updated_at, patient_id, team_id, kind, status,
                protocol_version_id, anchor_date, rationale, trigger_symptoms, named_contact, team_phone,
                checkin_months)
            SELECT md5('pathway' || i)::uuid, now(), now(), md5('patient' || i)::uuid, %s, 'professional_led',
                'active', %s, %s - 45 - (i %% 20), '', '{}', '', '', CASE WHEN i %% 100 = 0 THEN 1 ELSE 0 END
            FROM generate_series(1, %s) AS i
            """,
            [team.pk, version.pk, TODAY, pathways],
        )
        # Test n of pathway (n % pathways): one in 100 in the window or overdue, the rest ahead.
        cursor.execute(
            """
            INSERT INTO followup_surveillancetest (id, created_at, updated_at, pathway_id, test_type_id, due_date,
                status, cancelled_reason)
            SELECT gen_random_uuid(), now(), now(), md5('pathway' || (1 + n %% %s))::uuid,
                CASE WHEN n %% 2 = 0 THEN %s ELSE %s END,
                CASE WHEN n %% 100 = 0 THEN %s + (n / 100) %% 15
                     WHEN n %% 100 = 1 THEN %s - 22 - (n / 100) %% 39
                     ELSE %s + 365 + n %% 1460 END,
                CASE WHEN n %% 100 = 1 THEN 'requested' ELSE 'scheduled' END, ''
            FROM generate_series(0, %s - 1) AS n
            """,
            [pathways, cea.pk, ct.pk, TODAY, TODAY, TODAY, tests],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_patient; ANALYZE followup_pathway; ANALYZE followup_surveillancetest")
        cursor.execute(
            DUE_SQL.replace(
                "SELECT t.id, t.due_date, t.status, t.pathway_id, p.patient_id, p.team_id", "SELECT count(*)"
            ),
            [TODAY + datetime.timedelta(days=14)],
        )
        due = cursor.fetchone()[0]
    return {"tests": tests, "pathways": pathways, "due": due, "seed_seconds": round(time.perf_counter() - started, 1)}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def sweep(chunk: int | None) -> dict:
    from django.db import connection

    from followup.services import sweep as followup_sweep

    window_end = TODAY + datetime.timedelta(days=14)
    chunk = chunk or followup_sweep.CHUNK

    def raw():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(DUE_SQL, [window_end])
            rows = cursor.fetchall()
        return time.perf_counter() - started, len(rows)

    raw_before, due_rows = raw()
    rss_before = _rss_mb()
    started = time.perf_counter()
    first = followup_sweep.run(TODAY, chunk=chunk)
    first_seconds = time.perf_counter() - started
    rss_after_first = _rss_mb()
    with connection.cursor() as cursor:
        # The next real run is a day later, after autovacuum has analysed what this one wrote;
        # without it the planner takes the worklist for empty and probes it the slow way.
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    second = followup_sweep.run(TODAY, chunk=chunk)
    second_seconds = time.perf_counter() - started
    raw_after, _ = raw()
    return {
        "due_rows": due_rows,
        "raw_sql_seconds": round(min(raw_before, raw_after), 3),
        "first_run_seconds": round(first_seconds, 2),
        "second_run_seconds": round(second_seconds, 2),
        "first_run": first,
        "second_run": second,
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(max(rss_after_first, _rss_mb()), 1),
    }


def caseload(patients: int) -> dict:
    """`... caseload --patients 500`: that many patients of one team, each on an active breast
    follow-up pathway with its planned tests (as tests/followup/factories.make_pathway makes them,
    but in bulk), and a signed-in CNS of that team; prints the session cookie."""
    from followup import default_protocols
    from followup.models import Pathway, PathwayKind, ProtocolVersion, SurveillanceTest
    from followup.services.schedule import planned_tests
    from portal.people.demo import demo_nhs_number
    from portal.people.models import Patient
    from tests.bench.seed import bench_cns, session_cookie
    from tests.factories import CareTeamFactory, PatientFactory, PracticeFactory, TrustFactory

    default_protocols.ensure_loaded()
    trust = TrustFactory(ods_code="RBG", name="Bench Trust")
    team = CareTeamFactory(organisation=trust, name="Bench team (breast)", tumour_site="breast")
    practice = PracticeFactory(ods_code="B90003", name="Bench Practice")
    cns = bench_cns(trust, team, email="cns.caseload.bench@example.com")
    version = ProtocolVersion.objects.get(protocol__slug="breast-default", status="published")
    started = time.perf_counter()
    # NHS numbers and emails of their own: the worklist seed's patients share the session's database.
    people = Patient.objects.bulk_create(
        PatientFactory.build(
            registered_practice=practice,
            nhs_number=demo_nhs_number(500_000 + i),
            email=f"patient.caseload.{i}@example.com",
        )
        for i in range(patients)
    )
    Patient.care_teams.through.objects.bulk_create(
        Patient.care_teams.through(patient_id=p.pk, careteam_id=team.pk) for p in people
    )
    pathways = Pathway.objects.bulk_create(
        Pathway(
            patient=p,
            team=team,
            kind=PathwayKind.PROFESSIONAL_LED,
            protocol_version=version,
            anchor_date=TODAY - datetime.timedelta(days=30 + i % 300),
        )
        for i, p in enumerate(people)
    )
    SurveillanceTest.objects.bulk_create(
        SurveillanceTest(pathway=pathway, test_type=step.test_type, step=step, due_date=due)
        for pathway in pathways
        for step, due in planned_tests(version, pathway.anchor_date)
    )
    return {
        "user": cns.email,
        "patients": patients,
        "tests": SurveillanceTest.objects.count(),
        "seed_seconds": round(time.perf_counter() - started, 1),
        **session_cookie(cns),
    }


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed").add_argument("--tests", type=int, required=True)
    sub.add_parser("sweep").add_argument("--chunk", type=int, default=None)
    sub.add_parser("caseload").add_argument("--patients", type=int, required=True)
    args = parser.parse_args()
    django.setup()
    if args.command == "seed":
        answer = seed(args.tests)
    elif args.command == "sweep":
        answer = sweep(args.chunk)
    else:
        answer = caseload(args.patients)
    print(json.dumps(answer, default=str))


if __name__ == "__main__":
    main()
