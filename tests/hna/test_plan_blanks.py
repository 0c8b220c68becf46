"""Care plans with concerns that have nothing recorded: locking asks first and names them (ADR
0022), and the patient reads only what was recorded, in their own words."""

import re
from datetime import date

import pytest
from django.urls import reverse

from hna.models import ItemOwner, ItemStatus
from hna.services import care_plans
from portal.audit.models import Action, AuditEvent
from portal.ui.presenters import format_date
from tests.hna.test_care_plans import fill_in, locked_plan, start

pytestmark = pytest.mark.django_db


# Locking


def test_locking_with_blank_concerns_lists_them_and_asks_first(client, cast):
    plan = fill_in(cast, start(cast), "Pain")  # 2 of 3 concerns still blank
    client.force_login(cast.cns_a)
    lock_url = reverse("hna:plan_lock", kwargs={"plan_id": plan.pk})

    response = client.post(lock_url, {"lock_version": plan.lock_version})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Agree and lock the plan with concerns blank?</h1>" in html
    listed = html[html.index("These concerns have nothing recorded:") :]
    assert "<li>Worry, fear or anxiety</li>" in listed and "<li>Tired, exhausted or fatigued</li>" in listed
    assert "<li>Pain</li>" not in html
    assert f'name="lock_version" value="{plan.lock_version}"' in html and 'name="confirm_blank" value="yes"' in html
    plan_url = reverse("hna:plan", kwargs={"plan_id": plan.pk})
    assert f'href="{plan_url}">No, go back to the plan</a>' in html
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.locked_at is None  # nothing locked yet
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(plan.pk), actor=cast.cns_a).exists()

    confirmed = client.post(lock_url, {"lock_version": plan.lock_version, "confirm_blank": "yes"})

    assert confirmed.status_code == 302 and confirmed.url == plan_url
    plan.refresh_from_db()
    assert plan.status == "locked" and plan.locked_by == cast.cns_a


def test_one_blank_concern_is_named_in_the_singular(client, cast):
    plan = fill_in(cast, start(cast), "Pain", "Worry, fear or anxiety")
    client.force_login(cast.cns_a)
    html = client.post(reverse("hna:plan_lock", kwargs={"plan_id": plan.pk}), {"lock_version": plan.lock_version})
    assert "This concern has nothing recorded:" in html.content.decode()


def test_a_confirmation_made_before_someone_else_changed_the_plan_locks_nothing(client, cast):
    plan = start(cast)
    client.force_login(cast.cns_a)
    lock_url = reverse("hna:plan_lock", kwargs={"plan_id": plan.pk})
    assert client.post(lock_url, {"lock_version": 0}).status_code == 200  # the list the CNS read
    fill_in(cast, plan, "Pain")  # a colleague saves meanwhile

    response = client.post(lock_url, {"lock_version": 0, "confirm_blank": "yes"}, follow=True)

    assert "Someone else changed this plan while you were editing" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_the_service_refuses_to_lock_blank_concerns_unconfirmed(cast):
    plan = fill_in(cast, start(cast), "Pain")
    with pytest.raises(care_plans.BlankConcerns) as refused:
        care_plans.lock(actor=cast.cns_a, plan=plan, seen_lock_version=plan.lock_version)
    assert refused.value.concerns == ["Worry, fear or anxiety", "Tired, exhausted or fatigued"]
    assert refused.value.messages == [
        "These concerns have nothing recorded: Worry, fear or anxiety, Tired, exhausted or fatigued"
    ]
    plan.refresh_from_db()
    assert (plan.status, plan.lock_version) == ("draft", 1)  # the refused lock changed nothing
    locked = care_plans.lock(actor=cast.cns_a, plan=plan, seen_lock_version=1, confirm_blank=True)
    assert locked.status == "locked"


@pytest.mark.parametrize(
    "field, value",
    [
        ("what_matters", "Being at home"),
        ("owner", ItemOwner.PATIENT),
        ("signposting", "Macmillan support line"),
        ("due_date", date(2030, 1, 1)),
        ("status", ItemStatus.NOT_NEEDED),
        ("outcome", "Went well"),
    ],
)
def test_any_one_thing_recorded_makes_a_concern_not_blank(cast, field, value):
    plan = start(cast, scores={"physical-pain": 3})
    item = plan.items.get()
    assert care_plans.blank_concerns(plan) == ["Pain"]
    setattr(item, field, value)
    item.save()
    assert care_plans.blank_concerns(plan) == []


# The patient's page


def summary_rows(html: str) -> int:
    return html.count('class="nhsuk-summary-list__row')


def test_the_patients_plan_is_in_their_words_and_shows_only_what_was_recorded(client, cast):
    """Issue 10: the patient saw "Not recorded" for every empty field, in staff wording."""
    plan = fill_in(cast, start(cast), "Pain")
    care_plans.update_summary(actor=cast.cns_a, plan=plan, seen_lock_version=plan.lock_version, summary="We talked.")
    plan.refresh_from_db()
    care_plans.update_item(
        actor=cast.cns_a, item=plan.items.get(concern="Pain"), seen_lock_version=plan.lock_version,
        what_matters="Sleeping through the night", action="Refer to the pain clinic", owner=ItemOwner.PATIENT,
    )  # fmt: skip
    plan.refresh_from_db()
    plan = care_plans.lock(actor=cast.cns_a, plan=plan, seen_lock_version=plan.lock_version, confirm_blank=True)
    url = reverse("hna:plan", kwargs={"plan_id": plan.pk})
    client.force_login(cast.patient_user)

    html = client.get(url).content.decode()

    assert html.count("Not recorded") == 0 and "Nothing recorded" not in html
    for staff_words in ("What matters to the person", "agreed and locked", "Agreed action", "Referral or signposting"):
        assert staff_words.lower() not in html.lower()
    assert f"Your plan, agreed with {cast.team_a.name} on {format_date(plan.locked_at)}." in html
    for words in ("What we talked about", "We talked.", "What matters to you", "Sleeping through the night"):
        assert words in html
    assert "What we agreed" in html and "Refer to the pain clinic" in html
    assert re.search(r"Who will do this\s*</dt>\s*<dd[^>]*>\s*You\s*</dd>", html)
    blanks = html[html.index("Other things you told us about") :]
    assert "<li>Worry, fear or anxiety</li>" in blanks and "<li>Tired, exhausted or fatigued</li>" in blanks
    assert f'href="tel:{cast.team_a.phone.replace(" ", "")}"' in html
    # Much shorter: one row per thing recorded (what matters, action, who, progress), not 7 per
    # concern plus 7 about the plan.
    assert summary_rows(html) == 4
    client.force_login(cast.cns_a)
    assert summary_rows(client.get(url).content.decode()) == 7 + 7 * 3


def test_a_patients_plan_with_nothing_recorded_lists_the_concerns_once(client, cast):
    plan = locked_plan(cast)
    client.force_login(cast.patient_user)
    html = client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Not recorded" not in html and summary_rows(html) == 0
    assert "Things you told us about" in html and "What we agreed" not in html
    assert html.count("<li>Pain</li>") == 1
