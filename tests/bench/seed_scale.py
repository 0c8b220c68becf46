"""The scale benchmark's processes (issue 16 item 6), each in its own process against one database
(the harness sets DJANGO_SETTINGS_MODULE and DATABASE_URL):

    python -m tests.bench.seed_scale base --patients 1000000   people, work items, summaries
    python -m tests.bench.seed_scale audit --rows 500000 ...    audit rows, through the chain trigger
    python -m tests.bench.seed_scale analyze                    VACUUM ANALYZE, as autovacuum would
    python -m tests.bench.seed_scale measure --calls 20         time the four pages in process
    python -m tests.bench.seed_scale explain                    EXPLAIN ANALYZE of the pages' queries

Each prints JSON on its last line. The seed is SQL (INSERT ... SELECT generate_series): a million
patients take seconds, not the hours the ORM would.

The shape, the same at every size, so that two sizes compare the effect of the tables' size alone:
what the measured pages show is fixed, the rest grows. Patients 1..250 are the bench CNS's care team
(50 of them with an open work item each); patients 1..200 are registered with the bench GP's practice
and have a sent treatment summary each. Patients 251..N (the filler) are in teams of about 2,500 and
practices of about 8,000; they have the other work items (N/5 in all, a quarter open), a summary sent to
their practice for one in twenty, and the audit rows are spread over everyone (3 per patient)."""

import argparse
import json
import re
import time

import django

TRUST_ODS = "RSC"
PRACTICE_ODS = "S91000"
CNS_EMAIL = "cns.scale.bench@example.com"
GP_EMAIL = "gp.scale.bench@example.com"
CLINICIAN_EMAIL = "clinician.scale.bench@example.com"
TEAM_PATIENTS = 250  # patients 1..250: the bench CNS's team
PRACTICE_PATIENTS = 200  # patients 1..200: the bench GP's practice, each with a sent summary
OPEN_ITEMS = 50  # patients 1..50: an open work item each, for the bench CNS's team
FILLER_TEAM_SIZE = 2_500
FILLER_PRACTICE_SIZE = 8_000
ITEMS_PER_PATIENT = 0.2  # 200,000 work items for 1,000,000 patients
SUMMARY_EVERY = 20  # one filler patient in 20 has a summary sent to their practice
AUDIT_PER_PATIENT = 3  # 3,000,000 audit rows for 1,000,000 patients

GIVEN = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence Emily Ella Poppy "
    "Evie Elsie Charlotte Oliver George Noah Arthur Muhammad Leo Oscar Harry Archie Jack Henry Charlie Freddie "
    "Theodore Thomas Finley Theo Alfie Jacob William"
).split()
FAMILY = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright "
    "Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill "
    "Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price "
    "Bennett Young Griffiths"
).split()
SEARCH_PATIENT = 17  # the bench team's patient whose NHS number is searched for
SEARCH_NAME = "Patel"  # a family name some of the team's patients have (and 1 in 50 of everyone)

PATIENT_UUID = "md5('scale-patient' || {})::uuid"
TEAM_UUID = "md5('scale-team' || {})::uuid"
PRACTICE_UUID = "md5('scale-practice' || {})::uuid"


def filler_teams(patients: int) -> int:
    return max(1, -(-(patients - TEAM_PATIENTS) // FILLER_TEAM_SIZE))


def filler_practices(patients: int) -> int:
    return max(1, -(-(patients - PRACTICE_PATIENTS) // FILLER_PRACTICE_SIZE))


# The NHS number check digit (modulus 11) of the 9 digits of n, in SQL: 10 means n has no valid number.
# (%% for the driver's parameter style: it is only ever sent with parameters.)
_CHECK = "(11 - ({}) %% 11) %% 11".format(" + ".join(f"((n / {10 ** (9 - k)}) %% 10) * {11 - k}" for k in range(1, 10)))


def _people(cursor, patients: int, team_id, practice_id) -> None:
    teams, practices = filler_teams(patients), filler_practices(patients)
    cursor.execute(
        f"""
        INSERT INTO people_careteam (id, created_at, updated_at, tumour_site, name, phone, email,
            out_of_hours_phone, organisation_id)
        SELECT {TEAM_UUID.format("t")}, now(), now(), 'colorectal', 'Scale filler team ' || t, '0113 496 0001',
            'filler' || t || '@example.com', '', (SELECT organisation_id FROM people_careteam WHERE id = %s)
        FROM generate_series(1, %s) AS t
        """,  # noqa: S608 - only this module's constants are formatted in
        [team_id, teams],
    )
    cursor.execute(
        f"""
        INSERT INTO people_organisation (id, created_at, updated_at, kind, ods_code, name, phone, email, address)
        SELECT {PRACTICE_UUID.format("p")}, now(), now(), 'gp_practice', 'Y' || lpad(p::text, 5, '0'),
            'Scale filler practice ' || p, '', '', ''
        FROM generate_series(1, %s) AS p
        """,  # noqa: S608 - only this module's constants are formatted in
        [practices],
    )
    # Patient i has the i-th valid NHS number starting with 6 (about one candidate in 11 has none).
    cursor.execute(
        f"""
        INSERT INTO people_patient (id, created_at, updated_at, nhs_number, given_name, family_name, date_of_birth,
            postcode, address, sex, ethnic_category, email, mobile, preferred_contact, registered_practice_id,
            survey_opt_out, communication_needs, communication_language, communication_detail,
            support_person_name, support_person_role, support_person_relationship, support_person_phone)
        SELECT {PATIENT_UUID.format("i")}, now(), now(), nhs, (%s::text[])[1 + (i * 7) %% %s],
            (%s::text[])[1 + (i * 13) %% %s], DATE '1935-01-01' + ((i * 7919) %% 25000)::int, 'LS1 4AP',
            i || ' Scale Street', '', '', '', '', 'post',
            CASE WHEN i <= %s THEN %s::uuid ELSE {PRACTICE_UUID.format("1 + i %% %s")} END,
            false, '{{}}', '', '', '', '', '', ''
        FROM (
            SELECT row_number() OVER (ORDER BY n) AS i, n::text || check_digit AS nhs
            FROM (SELECT n, {_CHECK} AS check_digit FROM generate_series(600000001, 600000000 + %s) AS n) c
            WHERE check_digit <> 10
        ) numbered
        WHERE i <= %s
        """,  # noqa: S608 - only this module's constants are formatted in
        [
            list(GIVEN),
            len(GIVEN),
            list(FAMILY),
            len(FAMILY),
            PRACTICE_PATIENTS,
            practice_id,
            practices,
            patients * 12 // 10 + 100,
            patients,
        ],  # fmt: skip
    )
    cursor.execute(
        f"""
        INSERT INTO people_patient_care_teams (patient_id, careteam_id)
        SELECT {PATIENT_UUID.format("i")}, CASE WHEN i <= %s THEN %s::uuid ELSE {TEAM_UUID.format("1 + i %% %s")} END
        FROM generate_series(1, %s) AS i
        """,  # noqa: S608 - only this module's constants are formatted in
        [TEAM_PATIENTS, team_id, teams, patients],
    )


def _work_items(cursor, patients: int, team_id) -> int:
    filler = max(0, round(patients * ITEMS_PER_PATIENT) - OPEN_ITEMS)
    kinds = ["hna_submitted", "test_overdue", "result_to_review", "reentry_request", "other"]
    # The bench team's open items (due dates around today, every priority), then the filler's: each on a
    # filler patient, for that patient's team, three in four done.
    cursor.execute(
        f"""
        INSERT INTO worklist_workitem (id, created_at, updated_at, kind, title, priority, due_by, status,
            source_type, source_id, link, patient_id, team_id)
        SELECT md5('scale-item' || j)::uuid, now() - j * interval '1 minute', now(), (%s::text[])[1 + j %% 5],
            'Bench item ' || j, 1 + j %% 3, current_date + (j - 25)::int, 'open', 'bench.source', 'team-' || j, '',
            {PATIENT_UUID.format("j")}, %s
        FROM generate_series(1, %s) AS j
        """,  # noqa: S608 - only this module's constants are formatted in
        [kinds, team_id, OPEN_ITEMS],
    )
    cursor.execute(
        f"""
        INSERT INTO worklist_workitem (id, created_at, updated_at, kind, title, priority, due_by, status,
            source_type, source_id, link, patient_id, team_id)
        SELECT md5('scale-filler-item' || j)::uuid, now() - j * interval '1 minute', now(),
            (%s::text[])[1 + j %% 5], 'Filler item ' || j, 1 + j %% 3, current_date + (j %% 60 - 30)::int,
            CASE WHEN j %% 4 = 0 THEN 'open' ELSE 'done' END, 'bench.source', 'filler-' || j, '',
            {PATIENT_UUID.format("p")}, {TEAM_UUID.format("1 + p %% %s")}
        FROM (SELECT j, %s + (j - 1) %% %s AS p FROM generate_series(1, %s) AS j) items
        """,  # noqa: S608 - only this module's constants are formatted in
        [kinds, filler_teams(patients), TEAM_PATIENTS + 1, max(1, patients - TEAM_PATIENTS), filler],
    )
    return OPEN_ITEMS + filler


def _summaries(cursor, patients: int, team_id, practice_id, cns_id, clinician_id) -> int:
    """Sent summaries, each delivered to the patient's practice: patients 1..200 to the bench practice,
    one filler patient in 20 to theirs. Written as their final rows (sent, signed off, with a PDF hash
    and no PDF: the inbox never reads the bytes); the status triggers are off for the seed."""
    teams, practices = filler_teams(patients), filler_practices(patients)
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE scale_summary ON COMMIT DROP AS
        SELECT i, {PATIENT_UUID.format("i")} AS patient_id,
            CASE WHEN i <= %s THEN %s::uuid ELSE {TEAM_UUID.format("1 + i %% %s")} END AS team_id,
            CASE WHEN i <= %s THEN %s::uuid ELSE {PRACTICE_UUID.format("1 + i %% %s")} END AS practice_id,
            now() - i * interval '10 minutes' AS sent_at
        FROM generate_series(1, %s) AS i
        WHERE i <= %s OR (i > %s AND i %% %s = 0)
        """,  # noqa: S608 - only this module's constants are formatted in
        [
            TEAM_PATIENTS,
            team_id,
            teams,
            PRACTICE_PATIENTS,
            practice_id,
            practices,
            patients,
            PRACTICE_PATIENTS,
            TEAM_PATIENTS,
            SUMMARY_EVERY,
        ],  # fmt: skip
    )
    cursor.execute(
        """
        INSERT INTO treatment_summaries_treatmentsummary (id, created_at, updated_at, patient_id, started_by_id,
            team_id)
        SELECT md5('scale-summary' || i)::uuid, sent_at - interval '1 day', sent_at, patient_id, %s, team_id
        FROM scale_summary
        """,
        [cns_id],
    )
    cursor.execute(
        """
        INSERT INTO treatment_summaries_summaryversion (id, created_at, updated_at, summary_id, number, status,
            amendment_reason, lock_version, diagnosis_text, t_stage, n_stage, m_stage, staging_comments,
            treatment_aim, side_effects_text, red_flags, contacts_in_hours, contacts_out_of_hours,
            responsible_clinician, cns_name, referrals, ongoing_management, follow_up_pathway, new_medication,
            information_given, carer_contact, benefits_form, prescription_exemption, signed_off_at,
            signed_off_by_id, signed_off_role, pdf_sha256, sent_at)
        SELECT md5('scale-version' || i)::uuid, sent_at - interval '1 day', sent_at, md5('scale-summary' || i)::uuid,
            1, 'sent', '', 3, 'Invasive ductal carcinoma of the left breast (C50.4)', 'T2', 'N1', 'M0', '',
            'curative', '', 'A new lump; bone pain', 'Breast CNS team: 0113 496 0000', 'NHS 111',
            'Dr Priya Raman', 'Sarah Whitfield', '', 'Letrozole for 5 years', 'pifu', 'Letrozole 2.5 mg',
            'Discussed in clinic', '', '', '', sent_at - interval '1 hour', %s, 'clinician', md5(i::text) || md5(''),
            sent_at
        FROM scale_summary
        """,
        [clinician_id],
    )
    cursor.execute(
        """
        INSERT INTO treatment_summaries_practicedelivery (id, created_at, updated_at, practice_id, version_id)
        SELECT md5('scale-delivery' || i)::uuid, sent_at, sent_at, practice_id, md5('scale-version' || i)::uuid
        FROM scale_summary
        """
    )
    return cursor.rowcount


def base(patients: int) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import connection, transaction

    from portal.people.models import Role
    from tests.factories import CareTeamFactory, PracticeFactory, RoleAssignmentFactory, TrustFactory, UserFactory

    assert patients >= TEAM_PATIENTS + 1, f"at least {TEAM_PATIENTS + 1} patients"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        trust = TrustFactory(ods_code=TRUST_ODS, name="Scale Bench Trust")
        team = CareTeamFactory(organisation=trust, name="Scale bench team (breast)", tumour_site="breast")
        practice = PracticeFactory(ods_code=PRACTICE_ODS, name="Scale Bench Practice")
        users = {}
        for email, role, org, in_team in ((CNS_EMAIL, Role.CNS, trust, team), (GP_EMAIL, Role.GP, practice, None),
                                          (CLINICIAN_EMAIL, Role.CLINICIAN, trust, team)):  # fmt: skip
            users[role] = UserFactory(email=email)
            RoleAssignmentFactory(user=users[role], role=role, organisation=org, team=in_team)
            # A real authenticator app, so the MFA middleware's check runs as it does for any staff user.
            TOTP.activate(users[role], generate_totp_secret())
        # No per-row triggers (the history triggers would double every insert; the summary status
        # triggers would refuse a version born sent) and no foreign-key checks: the rows are made
        # consistent here. Superuser only, bench database only. The audit rows (`audit`) keep theirs.
        cursor.execute("SET LOCAL session_replication_role = replica")
        _people(cursor, patients, team.pk, practice.pk)
        items = _work_items(cursor, patients, team.pk)
        deliveries = _summaries(cursor, patients, team.pk, practice.pk, users[Role.CNS].pk, users[Role.CLINICIAN].pk)
        cursor.execute("SELECT count(*) FROM people_patient")
        (count,) = cursor.fetchone()
    return {"patients": count, "work_items": items, "deliveries": deliveries,
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def audit(rows: int, offset: int, patients: int) -> dict:
    """`rows` audit rows (numbered from `offset`), inserted with the hash-chain trigger as it is: every
    row chained by the database, as the app's own inserts are (about 45 µs a row)."""
    from django.db import connection, transaction

    from portal.people.models import User

    users = User.objects.filter(email__in=[CNS_EMAIL, GP_EMAIL])  # unscoped-ok: bench seed, not patient data
    ids = dict(users.values_list("email", "pk"))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO audit_auditevent (id, occurred_at, actor_id, actor_label, role, patient_id, action,
                object_type, object_id, request_id, seq, prev_hash, hash)
            SELECT md5('scale-audit' || k)::uuid, now() - (%s - k) * interval '10 seconds',
                CASE k %% 3 WHEN 0 THEN %s::uuid WHEN 1 THEN %s::uuid END,
                CASE k %% 3 WHEN 0 THEN %s WHEN 1 THEN %s ELSE 'system:outbox' END,
                CASE k %% 3 WHEN 0 THEN 'cns' WHEN 1 THEN 'gp' ELSE '' END,
                {PATIENT_UUID.format("p")}, 'view', 'people.patient', {PATIENT_UUID.format("p")}::text, '', 0, '', ''
            FROM (SELECT k, 1 + (k::bigint * 7919) %% %s AS p FROM generate_series(%s, %s) AS k) a
            ORDER BY k
            """,  # noqa: S608 - only this module's constants are formatted in
            [
                offset + rows,
                ids[CNS_EMAIL],
                ids[GP_EMAIL],
                CNS_EMAIL,
                GP_EMAIL,
                patients,
                offset + 1,
                offset + rows,
            ],  # fmt: skip
        )
    return {"rows": rows, "seconds": round(time.perf_counter() - started, 1)}


def analyze() -> dict:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        cursor.execute("VACUUM ANALYZE")
    return {"seconds": round(time.perf_counter() - started, 1)}


# --- the pages, in process ---------------------------------------------------------------------


def pages() -> list[tuple[str, str, str]]:
    """(name, who, path) of each measured page."""
    from portal.people.models import Patient

    nhs = Patient.objects.values_list("nhs_number", flat=True).get(pk=_patient_id())  # unscoped-ok: bench seed
    return [
        ("worklist", CNS_EMAIL, "/worklist/"),
        ("search-nhs-number", CNS_EMAIL, f"/patients/?q={nhs[:3]}+{nhs[3:6]}+{nhs[6:]}"),
        ("search-name", CNS_EMAIL, f"/patients/?q={SEARCH_NAME.lower()}"),
        ("gp-inbox", GP_EMAIL, "/treatment-summaries/inbox/"),
    ]


def _patient_id():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {PATIENT_UUID.format('%s')}", [SEARCH_PATIENT])
        return cursor.fetchone()[0]


def _clients():
    from django.test import Client

    from portal.people.models import User

    clients = {}
    for email in (CNS_EMAIL, GP_EMAIL):
        clients[email] = Client(HTTP_HOST="127.0.0.1")  # an allowed host, as the bench server has
        clients[email].force_login(User.objects.get(email=email))  # unscoped-ok: bench seed
    return clients


ROW = re.compile(r'class="nhsuk-table__row"')
COUNT = re.compile(r"(\d+) patients? matching|All \((\d+)\)|(\d+) open items?")


def _shown(body: str) -> dict:
    """What the page shows, to check both sizes show the same: its rows, and the count it states."""
    found = COUNT.search(body)
    return {"rows": len(ROW.findall(body)), "count": next((g for g in found.groups() if g), None) if found else None}


def measure(calls: int, warmup: int) -> dict:
    """Each page `warmup` times, then `calls` times in turns (one call of each page per turn); the
    seconds of each call, and what each page showed."""
    clients = _clients()
    listed = pages()
    shown = {}
    for name, who, path in listed:
        for _ in range(warmup):
            response = clients[who].get(path)
            assert response.status_code == 200, f"{path}: {response.status_code} {response.get('Location')}"
        shown[name] = _shown(response.content.decode())
    samples = {name: [] for name, _, _ in listed}
    for _ in range(calls):
        for name, who, path in listed:
            started = time.perf_counter()
            response = clients[who].get(path)
            samples[name].append(time.perf_counter() - started)
            assert response.status_code == 200, path
    return {"samples": samples, "shown": shown, "paths": {name: path for name, _, path in listed}}


BIG_TABLES = ("people_patient", "worklist_workitem", "treatment_summaries_", "audit_auditevent")


def explain() -> dict:
    """EXPLAIN ANALYZE of every SELECT each page runs (not the session's and user's own), for the ADR."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    clients = _clients()
    plans = {}
    for name, who, path in pages():
        clients[who].get(path)  # warm
        with CaptureQueriesContext(connection) as captured:
            clients[who].get(path)
        plans[name] = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or "INSERT" in sql or not any(t in sql for t in BIG_TABLES):
                continue
            with transaction.atomic(), connection.cursor() as cursor:  # ANALYZE runs it: rolled back
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}")
                plans[name].append({"sql": sql[:300], "plan": [row[0] for row in cursor.fetchall()]})
                transaction.set_rollback(True)
    return plans


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("base").add_argument("--patients", type=int, required=True)
    auditing = sub.add_parser("audit")
    for flag in ("--rows", "--offset", "--patients"):
        auditing.add_argument(flag, type=int, required=True)
    sub.add_parser("analyze")
    measuring = sub.add_parser("measure")
    measuring.add_argument("--calls", type=int, default=20)
    measuring.add_argument("--warmup", type=int, default=3)
    sub.add_parser("explain")
    args = parser.parse_args()
    django.setup()
    if args.command == "base":
        answer = base(args.patients)
    elif args.command == "audit":
        answer = audit(args.rows, args.offset, args.patients)
    elif args.command == "analyze":
        answer = analyze()
    elif args.command == "measure":
        answer = measure(args.calls, args.warmup)
    else:
        answer = explain()
    print(json.dumps(answer, default=str), flush=True)


if __name__ == "__main__":
    main()
