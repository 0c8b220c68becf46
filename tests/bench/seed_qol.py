"""The survey dispatch benchmark's own processes (DJANGO_SETTINGS_MODULE and DATABASE_URL come from
the harness): `python -m tests.bench.seed_qol seed --patients 1000000 --due 1500 --backlog 100000`
fills the database with INSERT ... SELECT generate_series (seconds, not the hours the ORM would
take); `... dispatch` times, in one process, one INSERT ... SELECT of the rows due (rolled back) and
then the dispatch itself, for a normal day and for a backlog day, and prints JSON.

Shape: one diagnosis a patient, one care team a patient (by turns of three sites; one diagnosis in
five on a site the patient has no team for, so the fallback team is chosen); a quarter prefer post,
a quarter SMS, half email. `due` diagnoses are due on TODAY; `backlog` more become due between
TODAY and BACKLOG_DAY (a dispatch stopped for ten days); the rest are outside both windows."""

import argparse
import datetime
import json
import resource
import time

import django

TODAY = datetime.date(2026, 12, 1)  # due: diagnosed 2025-03-01 .. 2025-06-01
BACKLOG_DAY = datetime.date(2026, 12, 11)  # due: diagnosed 2025-03-11 .. 2025-06-11
SITES = [("breast", "C50.9"), ("colorectal", "C18.7"), ("prostate", "C61")]


def seed(patients: int, due: int, backlog: int) -> dict:
    from django.db import connection, transaction

    from tests.factories import CareTeamFactory, PracticeFactory, TrustFactory

    trust = TrustFactory(ods_code="RBQ", name="Bench Trust")
    teams = [CareTeamFactory(organisation=trust, name=f"Bench {site} team", tumour_site=site) for site, _ in SITES]
    practice = PracticeFactory(ods_code="B90004", name="Bench Practice", email="practice@example.com")
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
                date_of_birth, postcode, address, sex, ethnic_category, email, mobile, preferred_contact,
                registered_practice_id, survey_opt_out)
            SELECT md5('qol-patient' || i)::uuid, now(), now(), '7' || lpad(i::text, 9, '0'), 'Bench', 'Patient ' || i,
                DATE '1955-01-01', 'LS1 4AP', i || ' Bench Street' || chr(10) || 'Leeds', '', '',
                'bench' || i || '@example.com', '07700 900' || lpad((i %% 1000)::text, 3, '0'),
                CASE i %% 4 WHEN 0 THEN 'post' WHEN 1 THEN 'sms' ELSE 'email' END, %s, false
            FROM generate_series(1, %s) AS i
            """,
            [practice.pk, patients],
        )
        cursor.execute(
            """
            INSERT INTO people_patient_care_teams (patient_id, careteam_id)
            SELECT md5('qol-patient' || i)::uuid, (ARRAY[%s, %s, %s]::uuid[])[1 + i %% 3]
            FROM generate_series(1, %s) AS i
            """,
            [*(team.pk for team in teams), patients],
        )
        # Patient i's diagnosis: on their team's site, but one in five on the next site along.
        cursor.execute(
            """
            INSERT INTO people_diagnosis (id, created_at, updated_at, patient_id, tumour_site, icd10_code,
                date_of_diagnosis, stage, treatment_intent)
            SELECT md5('qol-diagnosis' || i)::uuid, now(), now(), md5('qol-patient' || i)::uuid,
                (ARRAY['breast', 'colorectal', 'prostate'])[1 + (i + (i %% 5 = 0)::int) %% 3],
                (ARRAY['C50.9', 'C18.7', 'C61'])[1 + (i + (i %% 5 = 0)::int) %% 3],
                CASE WHEN i <= %s THEN DATE '2025-06-01' - i %% 80
                     WHEN i <= %s THEN DATE '2025-06-02' + i %% 10
                     WHEN i %% 2 = 0 THEN DATE '2023-01-01' + i %% 700
                     ELSE DATE '2025-07-01' + i %% 500 END,
                'not_staged', 'curative'
            FROM generate_series(1, %s) AS i
            """,
            [due, due + backlog, patients],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_patient; ANALYZE people_diagnosis; ANALYZE people_patient_care_teams")
    return {
        "patients": patients,
        "due": due,
        "backlog": backlog,
        "seed_seconds": round(time.perf_counter() - started, 1),
    }


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _insert_select(day) -> tuple[float, int]:
    """The baseline: dispatch's own INSERT ... SELECT of the rows due, alone, rolled back."""
    from django.db import transaction

    from qol_survey.services import dispatch

    with transaction.atomic():
        started = time.perf_counter()
        rows = dispatch.invite(day)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, rows


def _day(day) -> dict:
    from django.db import connection

    from qol_survey.services import dispatch

    # Twice, the first warming the cache as the dispatch's own first query would; the faster counts.
    (first_raw, rows), (second_raw, _) = _insert_select(day), _insert_select(day)
    rss_before = _rss_mb()
    started = time.perf_counter()
    done = dispatch.run(day)
    seconds = time.perf_counter() - started
    rss_after = _rss_mb()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would before the next day's run
    started = time.perf_counter()
    again = dispatch.run(day)
    idle_seconds = time.perf_counter() - started
    return {
        "due_rows": rows,
        "insert_select_seconds": round(min(first_raw, second_raw), 3),
        "run_seconds": round(seconds, 2),
        "idle_seconds": round(idle_seconds, 2),
        "run": done,
        "second_run": again,
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(rss_after, 1),
    }


def dispatch_days() -> dict:
    return {"today": _day(TODAY), "backlog": _day(BACKLOG_DAY)}


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    seeding = sub.add_parser("seed")
    seeding.add_argument("--patients", type=int, required=True)
    seeding.add_argument("--due", type=int, required=True)
    seeding.add_argument("--backlog", type=int, required=True)
    sub.add_parser("dispatch")
    args = parser.parse_args()
    django.setup()
    if args.command == "seed":
        answer = seed(args.patients, args.due, args.backlog)
    else:
        answer = dispatch_days()
    print(json.dumps(answer, default=str))


if __name__ == "__main__":
    main()
