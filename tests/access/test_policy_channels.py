"""Generated from the policy table (portal/access/policy.py): for every kind of record, every role and
every channel in tests/access/policy_fixtures.py, a user the table lets see the record gets it, and a
user whose role does not (or of another team, practice or patient) gets 404 or an empty list. Where a
role has both a page and the API, they agree. A new kind in the table without a fixture fails here."""

import pytest

from portal.access import policy
from portal.access.kinds import RecordKind, Rule
from portal.people.models import Role, User
from tests.access.policy_fixtures import KINDS
from tests.conftest import give_totp
from tests.factories import PatientFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
# A detail address shows the record (200) or says it does not exist (404); nothing else is right.
DETAIL_STATUSES = {200, 404}
# A list a role has no use for may also refuse the page itself.
LIST_STATUSES = {200, 403, 404}


def _staff(local, role, organisation, team=None):
    user = UserFactory(email=f"{local}@example.com")
    RoleAssignmentFactory(user=user, role=role, organisation=organisation, team=team)
    give_totp(user)
    return user


def people(cast) -> dict:
    """{role: (insider, outsider)}: the insider is in scope of cast.patient (team A, practice A, the
    patient); the outsider holds the same role elsewhere (team B, practice B, another patient)."""
    other = PatientFactory(care_teams=[cast.team_b], registered_practice=cast.practice_b)
    other.user = UserFactory(email="other.patient@example.com")
    other.save()
    cast.clinician_a = _staff("clinician.a", Role.CLINICIAN, cast.trust, cast.team_a)
    cast_people = {
        Role.CNS: (cast.cns_a, cast.cns_b),
        Role.SUPPORT_WORKER: (
            _staff("support.a", Role.SUPPORT_WORKER, cast.trust, cast.team_a),
            _staff("support.b", Role.SUPPORT_WORKER, cast.trust, cast.team_b),
        ),
        Role.CLINICIAN: (cast.clinician_a, _staff("clinician.b", Role.CLINICIAN, cast.trust, cast.team_b)),
        Role.GP: (cast.gp_a, cast.gp_b),
        Role.PRACTICE_STAFF: (
            _staff("practice.a", Role.PRACTICE_STAFF, cast.practice_a),
            _staff("practice.b", Role.PRACTICE_STAFF, cast.practice_b),
        ),
        Role.SERVICE_ADMIN: (cast.admin, None),
        Role.AUDITOR: (cast.auditor, None),
        policy.PATIENT: (cast.patient_user, other.user),
    }
    # Everyone may open Django admin, with every model permission: admin must still show each of
    # them only what the table allows (superusers included).
    users = [u for pair in cast_people.values() for u in pair if u is not None]
    User.objects.filter(pk__in=[u.pk for u in users]).update(is_staff=True, is_superuser=True)
    for user in (cast.patient_user, other.user):
        give_totp(user)  # staff flag: two-factor is required
    return cast_people


def observe(client, user, channel, records, obj) -> tuple[bool, int]:
    client.force_login(user)
    response = client.get(channel.url(records, obj))
    status = response.status_code
    if channel.marker is None:
        return status == 200, status
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return status == 200 and str(channel.marker(records, obj)) in body.decode(), status


def test_every_kind_in_the_table_has_a_fixture():
    assert set(KINDS) == set(RecordKind)


@pytest.mark.parametrize("kind", list(RecordKind), ids=lambda k: k.name.lower())
def test_every_channel_follows_the_table(client, cast, kind):
    cast_people = people(cast)
    fixture = KINDS[kind]
    records, made = fixture.build(cast)
    wrong, seen_by = [], {}
    for column, name in enumerate(policy.ROLES):
        rule = policy.READ[kind][column]
        insider, outsider = cast_people[name]
        for m in made:
            for channel in fixture.channels:
                allowed = DETAIL_STATUSES if channel.marker is None or channel.detail else LIST_STATUSES
                expected = rule in m.meets and name in channel.audience
                seen, status = observe(client, insider, channel, records, m.record)
                seen_by[(name, channel.name, m.record.pk)] = seen
                where = f"{kind} / {name} ({rule}) / {channel.name} {channel.url(records, m.record)}"
                if seen != expected or status not in allowed:
                    wrong.append(f"{where}: saw={seen} status={status}, expected saw={expected}")
                if outsider is not None and rule not in (Rule.ALL, Rule.NO_PATIENT):
                    seen, status = observe(client, outsider, channel, records, m.record)
                    if seen or status not in allowed:
                        wrong.append(f"{where}: OUTSIDER {outsider.email} saw={seen} status={status}")
    assert not wrong, "\n".join(wrong)

    # Pages and the API agree, for every role a page is for.
    apis = [c for c in fixture.channels if c.kind_of_channel == "api"]
    pages = [c for c in fixture.channels if c.kind_of_channel == "page"]
    for name in policy.ROLES:
        for m in made:
            for page in (p for p in pages if name in p.audience):
                for api in apis:
                    key = (name, page.name, m.record.pk), (name, api.name, m.record.pk)
                    assert seen_by[key[0]] == seen_by[key[1]], f"{kind} / {name}: {page.name} and {api.name} differ"

    # No rule is dead: every role the table lets see this kind sees it on some channel.
    for column, name in enumerate(policy.ROLES):
        if policy.READ[kind][column] is not Rule.NONE:
            assert any(seen for (who, _c, _r), seen in seen_by.items() if who == name), f"{kind}: {name} sees nothing"


def _unshared_plan(cast):
    from tests.hna.test_care_plans import locked_plan

    return locked_plan(cast, shared=False)


def _consent_withdrawn_on_a_new_version(cast):
    """Version 1 agreed and shared; version 2 (a draft) says the patient no longer agrees."""
    from hna.services import care_plans
    from tests.hna.test_care_plans import locked_plan

    first = locked_plan(cast, shared=True)
    second = care_plans.unlock_to_amend(actor=cast.cns_a, plan=first)
    care_plans.set_sharing(actor=cast.cns_a, plan=second, seen_lock_version=second.lock_version, shared_with_gp=False)
    first.refresh_from_db()
    return first


def _draft_plan(cast):
    from tests.hna.test_care_plans import start

    return start(cast)


def _signed_off_not_sent(cast):
    from tests.access.policy_fixtures import plain_pdf, sent_summary
    from treatment_summaries.services import summaries

    sent = sent_summary(cast)
    draft = summaries.amend(actor=cast.cns_a, version=sent, reason="Staging corrected")
    return summaries.sign_off(actor=cast.clinician_a, version=draft, render_pdf=plain_pdf)


def _sent_to_another_practice(cast):
    """Sent while the patient was registered at practice B; they have since moved to practice A."""
    from tests.access.policy_fixtures import sent_summary

    cast.patient.registered_practice = cast.practice_b
    cast.patient.save()
    version = sent_summary(cast)
    cast.patient.registered_practice = cast.practice_a
    cast.patient.save()
    return version


def _result_not_told(cast):
    """A follow-up result reviewed but not yet told to the patient: not released to them."""
    from django.utils import timezone

    from followup.models import Result

    built = KINDS[RecordKind.TEST_RESULT].build(cast)[1][0].record
    Result.objects.filter(pk=built.pk).update(told_at=None, told_how="", reviewed_at=timezone.now())
    built.refresh_from_db()
    return built


PRACTICE_ROLES = (Role.GP, Role.PRACTICE_STAFF)
CONDITIONS = {
    "care plan not shared": (RecordKind.CARE_PLAN, _unshared_plan, PRACTICE_ROLES),
    "consent withdrawn on a new version": (RecordKind.CARE_PLAN, _consent_withdrawn_on_a_new_version, PRACTICE_ROLES),
    "care plan still a draft": (RecordKind.CARE_PLAN, _draft_plan, (*PRACTICE_ROLES, policy.PATIENT)),
    "summary signed off, not sent": (RecordKind.SUMMARY, _signed_off_not_sent, (*PRACTICE_ROLES, policy.PATIENT)),
    "summary delivered to another practice": (RecordKind.SUMMARY, _sent_to_another_practice, PRACTICE_ROLES),
    "result not yet told": (RecordKind.TEST_RESULT, _result_not_told, (policy.PATIENT,)),
}


@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_conditional_rules_hide_the_record_on_every_channel(client, cast, condition):
    """The rules with a condition (while shared, once delivered, released to the patient): a record
    that does not meet it is not seen, on any channel, by the roles whose rule has the condition;
    the care team still sees it."""
    kind, build, hidden_from = CONDITIONS[condition]
    cast_people = people(cast)
    obj = build(cast)
    records = {"delivery": obj.practice_deliveries.first()} if kind is RecordKind.SUMMARY else {}
    wrong = []
    channels = [c for c in KINDS[kind].channels if c.name != "practice page" or records.get("delivery")]
    for channel in channels:  # (a version never sent has no inbox entry to open)
        for name in hidden_from:
            seen, status = observe(client, cast_people[name][0], channel, records, obj)
            if seen:
                wrong.append(f"{condition}: {name} saw it on {channel.name} ({status})")
    apis = [c for c in channels if c.kind_of_channel == "api"]
    assert all(observe(client, cast.cns_a, c, records, obj)[0] for c in apis), f"{condition}: the care team sees it"
    assert not wrong, "\n".join(wrong)
