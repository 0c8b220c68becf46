"""Prepare the benchmark database, in its own process (DJANGO_SETTINGS_MODULE and DATABASE_URL
come from the harness): `python -m tests.bench.seed migrate`, then `python -m tests.bench.seed
worklist --items 50`, which seeds a CNS with that many open work items for their team's patients
and prints, as JSON on the last line, the session cookie that signs them in; `user` seeds a CNS
with nothing to show, signed in the same way."""

import argparse
import datetime
import json

import django


def migrate() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # the shared cache where REDIS_URL is unset; else a no-op
    return {"migrated": True}


def bench_cns(trust, team, email="cns.bench@example.com"):
    """The bench CNS of this team, with a real authenticator app, so the MFA middleware's check
    runs as it does for any staff user."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from portal.people.models import Role
    from tests.factories import RoleAssignmentFactory, UserFactory

    cns = UserFactory(email=email)
    RoleAssignmentFactory(user=cns, role=Role.CNS, organisation=trust, team=team)
    TOTP.activate(cns, generate_totp_secret())
    return cns


def session_cookie(user) -> dict:
    """A real server-side session, as after signing in with password + TOTP (the test client's
    force_login, which also starts the absolute session clock)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookie_value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def worklist(items: int) -> dict:
    from portal.worklist.models import Kind, Priority
    from portal.worklist.services import raise_item
    from tests.factories import (
        CareTeamFactory,
        PatientFactory,
        PracticeFactory,
        TrustFactory,
    )

    trust = TrustFactory(ods_code="RBE", name="Bench Trust")
    team = CareTeamFactory(organisation=trust, name="Bench team (breast)", tumour_site="breast")
    other_team = CareTeamFactory(organisation=trust, name="Bench team (colorectal)", tumour_site="colorectal")
    practice = PracticeFactory(ods_code="B90001", name="Bench Practice")
    cns = bench_cns(trust, team)

    kinds = [Kind.HNA_SUBMITTED, Kind.TEST_OVERDUE, Kind.RESULT_TO_REVIEW, Kind.REENTRY_REQUEST, Kind.OTHER]
    priorities = list(Priority)
    today = datetime.date.today()
    # As many items again for another team: the page must filter them out, as in real life.
    for owner, prefix in ((team, "bench"), (other_team, "other")):
        for i in range(items):
            patient = PatientFactory(care_teams=[owner], registered_practice=practice)
            raise_item(
                kind=kinds[i % len(kinds)],
                patient=patient,
                team=owner,
                source_type="bench.source",
                source_id=f"{prefix}-{i}",
                title=f"Bench item {i}",
                priority=priorities[i % len(priorities)],
                due_by=today + datetime.timedelta(days=i - items // 2),
                system_actor="bench",
            )

    return {"user": cns.email, "items": items, **session_cookie(cns)}


def signed_in_user() -> dict:
    """A CNS of a trust of their own (so any other seed can run after), signed in: the session of
    the platform's bare view measured on its own."""
    from tests.factories import CareTeamFactory, TrustFactory

    trust = TrustFactory(ods_code="RBP", name="Bench Platform Trust")
    team = CareTeamFactory(organisation=trust, name="Bench platform team", tumour_site="breast")
    cns = bench_cns(trust, team, email="cns.platform@example.com")
    return {"user": cns.email, **session_cookie(cns)}


SCENARIOS = {"migrate": migrate, "user": signed_in_user}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["migrate", "user", "worklist"])
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    django.setup()
    result = worklist(args.items) if args.scenario == "worklist" else SCENARIOS[args.scenario]()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
