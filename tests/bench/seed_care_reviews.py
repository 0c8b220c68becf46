"""Care review data for the benchmark (issue 14), in its own process against the bench database (the
harness sets DJANGO_SETTINGS_MODULE and DATABASE_URL):

`python -m tests.bench.seed_care_reviews practices --sizes 40 400`: a GP practice per size with that
many registered patients, each diagnosed in the last 24 months (spread evenly over them), with
early contacts and reviews recorded through care_reviews.services.reviews (some completed, some
declined, some not done at all) and one patient in 20 asking for a review; a GP of each (with an
authenticator app). For each practice it prints the GP's session cookie and the number of queries
GET /care-reviews/ makes (Django's test client in this process, after one warm-up request), as JSON
on the last line."""

import argparse
import datetime
import json
import time

import django

ODS_PREFIX = "R"  # practices R90040, R90400: not the other seeds' practices
NHS_NUMBER_BASE = 300_000  # the other seeds use 500_000, 700_000 and 900_000 upwards
DUE_PAGE = "/care-reviews/"


def practice_with(size: int, index: int) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from care_reviews.services.reviews import ask_for_review, record_review
    from portal.people.demo import demo_nhs_number
    from portal.people.models import Patient, Role
    from tests.factories import DiagnosisFactory, PatientFactory, PracticeFactory, RoleAssignmentFactory, UserFactory

    today = timezone.localdate()
    practice = PracticeFactory(ods_code=f"{ODS_PREFIX}{90000 + size:05d}", name=f"Care Reviews Bench Practice {size}")
    gp = UserFactory(email=f"gp.care-reviews.{size}@example.com")
    RoleAssignmentFactory(user=gp, role=Role.GP, organisation=practice)
    TOTP.activate(gp, generate_totp_secret())  # the MFA middleware's check runs, as for any staff user
    people = Patient.objects.bulk_create(
        PatientFactory.build(
            registered_practice=practice,
            nhs_number=demo_nhs_number(NHS_NUMBER_BASE + 10_000 * index + i),
            email=f"patient.care-reviews.{size}.{i}@example.com",
        )
        for i in range(size)
    )
    reviews = requests = 0
    for i, patient in enumerate(people):
        # Diagnosed 0 to 23 months ago, evenly: every state of the list is there.
        diagnosed = today - datetime.timedelta(days=i * 700 // size)
        diagnosis = DiagnosisFactory(patient=patient, date_of_diagnosis=diagnosed)
        age = relativedelta(today, diagnosed)
        months = age.years * 12 + age.months
        if months >= 2 and i % 4:
            record_review(
                actor=gp, diagnosis=diagnosis, kind="early_contact", outcome="completed", mode="phone",
                reviewed_on=diagnosed + relativedelta(months=1), experience="Coping well; tired after treatment",
            )  # fmt: skip
            reviews += 1
        if months >= 8 and i % 10 == 0:
            record_review(
                actor=gp, diagnosis=diagnosis, kind="review", outcome="declined",
                reviewed_on=diagnosed + relativedelta(months=7), reason="Would rather talk to the hospital team",
            )  # fmt: skip
            reviews += 1
        elif months >= 8 and i % 2:
            record_review(
                actor=gp, diagnosis=diagnosis, kind="review", outcome="completed", mode="face_to_face",
                reviewed_on=diagnosed + relativedelta(months=7), experience="Back at work part time",
                actions=[("Refer to the practice's social prescriber", "GP")],
            )  # fmt: skip
            reviews += 1
        if i % 20 == 7:
            ask_for_review(actor=gp, patient=patient, what_about="Feeling low since treatment ended")
            requests += 1
    return {"practice": practice, "gp": gp, "patients": size, "reviews": reviews, "requests": requests}


def page_queries(gp) -> tuple[int, int]:
    """The queries GET /care-reviews/ makes for this GP (after a warm-up request: the first of a
    session may do more), and the response's length."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(gp)
    assert client.get(DUE_PAGE).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DUE_PAGE)
    assert response.status_code == 200, response.status_code
    return len(queries), len(response.content)


def practices(sizes: list[int]) -> dict:
    from tests.bench.seed import session_cookie

    answer = {}
    for index, size in enumerate(sizes):
        started = time.perf_counter()
        made = practice_with(size, index)
        queries, length = page_queries(made["gp"])
        answer[str(size)] = {
            "patients": made["patients"],
            "reviews": made["reviews"],
            "requests": made["requests"],
            "queries": queries,
            "page_bytes": length,
            "seed_seconds": round(time.perf_counter() - started, 1),
            **session_cookie(made["gp"]),
        }
    return answer


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("practices").add_argument("--sizes", type=int, nargs="+", required=True)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(practices(args.sizes)), flush=True)


if __name__ == "__main__":
    main()
