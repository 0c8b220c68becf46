"""What `migrate` checks of the app role before granting it anything, and when it grants nothing
(portal/audit/apps.py grant_app_role, portal/audit/roles.py app_role_problems)."""

import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from portal.audit.apps import grant_app_role
from portal.audit.roles import app_role_problems

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def throwaway_role():
    role = f"test_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER")
    yield role
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE {role}")


def problems_of(role):
    with connection.cursor() as cursor:
        return app_role_problems(cursor, role)


def test_a_plain_role_has_no_problems_and_a_missing_one_is_none(throwaway_role):
    assert problems_of(throwaway_role) == []
    assert problems_of("portal_no_such_role") is None


def test_a_role_that_owns_a_table_is_refused(throwaway_role):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE owned_{throwaway_role} (id int)")
        cursor.execute(f"ALTER TABLE owned_{throwaway_role} OWNER TO {throwaway_role}")
    try:
        assert problems_of(throwaway_role) == [f"role {throwaway_role} owns 1 tables or sequences"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE owned_{throwaway_role}")


def test_a_member_of_the_owner_role_is_refused(throwaway_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute(f"GRANT {owner} TO {throwaway_role}")
    member = f"role {throwaway_role} is a member of the owner role and could SET ROLE to it"
    assert problems_of(throwaway_role) == [member]


def test_migrate_names_every_problem(settings, throwaway_role):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER ROLE {throwaway_role} SUPERUSER BYPASSRLS")
    settings.DATABASE_APP_ROLE = throwaway_role
    with pytest.raises(ImproperlyConfigured) as refused:
        grant_app_role(sender=apps.get_app_config("audit"), using="default", plan=[])
    assert str(refused.value) == (
        f"DATABASE_APP_ROLE={throwaway_role} cannot be the app role: role {throwaway_role} is a superuser; "
        f"role {throwaway_role} bypasses row-level security; "
        # A superuser is a member of every role, the owner's included.
        f"role {throwaway_role} is a member of the owner role and could SET ROLE to it. "
        "It could rewrite the access log (ADR 0016)."
    )


@pytest.mark.parametrize("plan, role", [(None, "use the fixture"), ([], "")])
def test_no_plan_or_no_app_role_grants_nothing(settings, throwaway_role, plan, role):
    """`flush` sends post_migrate without a plan; a one-role setup names no app role."""
    settings.DATABASE_APP_ROLE = throwaway_role if role else ""
    grant_app_role(sender=apps.get_app_config("audit"), using="default", plan=plan)
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, 'audit_auditevent', 'SELECT')", [throwaway_role])
        assert cursor.fetchone() == (False,)


def test_a_plan_and_a_fit_role_get_the_grants(settings, throwaway_role):
    settings.DATABASE_APP_ROLE = throwaway_role
    grant_app_role(sender=apps.get_app_config("audit"), using="default", plan=[])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(%s, 'audit_auditevent', 'INSERT'),"
            " has_table_privilege(%s, 'audit_auditevent', 'UPDATE')",
            [throwaway_role, throwaway_role],
        )
        assert cursor.fetchone() == (True, False)
