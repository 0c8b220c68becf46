"""Care and support plans: starting from an HNA, editing, locking, amending as a new version, two
staff editing at once, and who may read which plan."""

import threading
import time
from collections import defaultdict
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from hna.models import CarePlan, ConcernItem, ItemOwner, ItemStatus
from hna.services import assessments, care_plans, passcodes
from portal.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db
SCORES = {"physical-pain": 8, "physical-fatigue": 5, "emotional-worry": 9}


def submitted_assessment(cast, scores=None):
    """An HNA cast.patient has answered and sent, set up by cast.cns_a."""
    scores = scores or SCORES
    s = assessments.set_up(
        actor=cast.cns_a,
        patient=cast.patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=date.today(),
    )
    by_category = defaultdict(set)
    for item in ConcernItem.objects.filter(category__version=s.assessment.checklist_version, code__in=scores):
        by_category[item.category.code].add(item.code)
    for category, codes in by_category.items():
        assessments.save_ticks(s.assessment, category, codes)
    assessments.save_scores(s.assessment, scores)
    return assessments.submit(passcodes.check(s.passcode, cast.patient.date_of_birth))


def start(cast, scores=None):
    return care_plans.start_plan(actor=cast.cns_a, assessment=submitted_assessment(cast, scores))


def locked_plan(cast, shared=False):
    plan = start(cast)
    if shared:
        plan = care_plans.set_sharing(actor=cast.cns_a, plan=plan, seen_lock_version=0, shared_with_gp=True)
    plan.refresh_from_db()
    return care_plans.lock(actor=cast.cns_a, plan=plan, seen_lock_version=plan.lock_version, confirm_blank=True)


def item_post(plan, **overrides):
    data = {
        "lock_version": plan.lock_version,
        "what_matters": "Sleeping through the night",
        "action": "Referral to the pain clinic",
        "owner": ItemOwner.OTHER_PROFESSIONAL,
        "owner_detail": "Pain team",
        "signposting": "Macmillan support line",
        "due_date_day": "15",
        "due_date_month": "3",
        "due_date_year": "2030",
        "status": ItemStatus.IN_PROGRESS,
        "outcome": "",
    }
    return data | overrides


# Starting


def test_start_makes_one_item_per_ticked_concern_ranked_by_score(client, cast):
    assessment = submitted_assessment(cast)
    client.force_login(cast.cns_a)
    response = client.post(reverse("hna:start_plan", kwargs={"assessment_id": assessment.pk}))
    plan = CarePlan.objects.get(assessment=assessment)
    assert response.status_code == 302 and response.url == reverse("hna:plan", kwargs={"plan_id": plan.pk})
    assert [(i.concern, i.category, i.score) for i in plan.items.all()] == [
        ("Worry, fear or anxiety", "Emotional", 9),
        ("Pain", "Physical", 8),
        ("Tired, exhausted or fatigued", "Physical", 5),
    ]
    assert (plan.status, plan.version, plan.started_by) == ("draft", 1, cast.cns_a)
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(plan.pk)).exists()


def test_a_second_start_returns_the_same_draft(client, cast):
    assessment = submitted_assessment(cast)
    first = care_plans.start_plan(actor=cast.cns_a, assessment=assessment)
    client.force_login(cast.cns_a)
    response = client.post(reverse("hna:start_plan", kwargs={"assessment_id": assessment.pk}))
    assert response.url == reverse("hna:plan", kwargs={"plan_id": first.pk})
    assert CarePlan.objects.filter(assessment=assessment).count() == 1


def test_an_unsubmitted_assessment_cannot_start_a_plan(client, cast):
    s = assessments.set_up(
        actor=cast.cns_a, patient=cast.patient, point_of_pathway="01", trigger="diagnosis", offer_status="03",
        event_date=date.today(),
    )  # fmt: skip
    client.force_login(cast.cns_a)
    response = client.post(reverse("hna:start_plan", kwargs={"assessment_id": s.assessment.pk}))
    assert response.status_code == 302
    assert not CarePlan.objects.exists()


# Editing


def test_the_plan_page_lists_the_concerns_and_is_audited(client, cast):
    plan = start(cast)
    client.force_login(cast.cns_a)
    response = client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Worry, fear or anxiety") < html.index("Pain") < html.index("Tired, exhausted")
    assert "Agree and lock" in html and "Add a concern" in html
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(plan.pk)).exists()


def test_editing_an_item(client, cast):
    plan = start(cast)
    item = plan.items.get(concern="Pain")
    client.force_login(cast.cns_a)
    url = reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": item.pk})
    assert 'name="lock_version" value="0"' in client.get(url).content.decode()
    response = client.post(url, item_post(plan))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.action, item.owner, item.owner_detail, item.due_date, item.status) == (
        "Referral to the pain clinic", "other_professional", "Pain team", date(2030, 3, 15), "in_progress",
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan.lock_version == 1
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(item.pk)).exists()


def test_item_form_errors_are_plain_english(client, cast):
    plan = start(cast)
    item = plan.items.first()
    client.force_login(cast.cns_a)
    url = reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": item.pk})
    html = client.post(url, item_post(plan, owner_detail="", due_date_month="13")).content.decode()
    assert "Enter the name of the professional or service" in html
    assert "Due date must be a real date" in html
    assert "<title>Error: " in html


def test_adding_a_concern_the_patient_did_not_tick(client, cast):
    plan = start(cast)
    client.force_login(cast.cns_a)
    url = reverse("hna:plan_add_concern", kwargs={"plan_id": plan.pk})
    html = client.get(url).content.decode()
    assert "Physical: Sleep problems or nightmares" in html and "Physical: Pain<" not in html
    sleep = ConcernItem.objects.get(category__version=plan.assessment.checklist_version, code="physical-sleep")
    assert client.post(url, {"lock_version": 0, "concern_item": str(sleep.pk)}).status_code == 302
    assert client.post(url, {"lock_version": 1, "concern": "Getting to the hospital"}).status_code == 302
    added = list(plan.items.filter(added_by_staff=True))
    assert [(i.concern, i.category, i.score, i.position) for i in added] == [
        ("Sleep problems or nightmares", "Physical", None, 3),
        ("Getting to the hospital", "", None, 4),
    ]
    html = client.post(url, {"lock_version": 2}).content.decode()
    assert "Choose a concern from the checklist or describe another one" in html


def test_summary_and_sharing(client, cast):
    plan = start(cast)
    client.force_login(cast.cns_a)
    client.post(reverse("hna:plan_summary", kwargs={"plan_id": plan.pk}), {"lock_version": 0, "summary": "Talked"})
    client.post(reverse("hna:plan_sharing", kwargs={"plan_id": plan.pk}), {"lock_version": 1, "shared_with_gp": "yes"})
    plan.refresh_from_db()
    assert (plan.summary, plan.shared_with_gp, plan.lock_version) == ("Talked", True, 2)


# Locking and amending


def fill_in(cast, plan, *concerns):
    """Record an action for each named concern, as the CNS would on its page."""
    for concern in concerns:
        plan.refresh_from_db()
        care_plans.update_item(
            actor=cast.cns_a, item=plan.items.get(concern=concern), seen_lock_version=plan.lock_version,
            action=f"Agreed action for {concern}",
        )  # fmt: skip
    plan.refresh_from_db()
    return plan


def test_lock_records_who_and_when(client, cast):
    plan = fill_in(cast, start(cast), "Worry, fear or anxiety", "Pain", "Tired, exhausted or fatigued")
    client.force_login(cast.cns_a)
    response = client.post(reverse("hna:plan_lock", kwargs={"plan_id": plan.pk}), {"lock_version": 3})
    assert response.status_code == 302  # nothing blank: one click, no confirmation page
    plan.refresh_from_db()
    assert plan.status == "locked" and plan.locked_by == cast.cns_a and plan.locked_at is not None
    html = client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Unlock to amend" in html and "Agree and lock" not in html


def test_edits_to_a_locked_plan_are_refused_and_nothing_is_lost(client, cast):
    plan = locked_plan(cast)
    item = plan.items.first()
    client.force_login(cast.cns_a)
    url = reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": item.pk})
    response = client.post(url, item_post(plan, action="A new action typed after locking"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This plan is agreed and locked. Unlock it to make changes." in html
    assert "A new action typed after locking" in html  # the person's words stay on the page
    item.refresh_from_db()
    assert item.action == ""
    for name in ("hna:plan_summary", "hna:plan_sharing", "hna:plan_add_concern"):
        page = reverse(name, kwargs={"plan_id": plan.pk})
        assert client.get(page).status_code == 302
        post = client.post(page, {"lock_version": plan.lock_version, "summary": "x", "shared_with_gp": "yes"})
        assert care_plans.LOCKED_MESSAGE in post.content.decode()
    with pytest.raises(care_plans.PlanLocked):
        care_plans.update_item(actor=cast.cns_a, item=item, seen_lock_version=plan.lock_version, action="x")


def test_unlock_makes_version_2_and_keeps_version_1_readable(client, cast):
    v1 = locked_plan(cast)
    client.force_login(cast.cns_a)
    response = client.post(reverse("hna:plan_unlock", kwargs={"plan_id": v1.pk}))
    v2 = CarePlan.objects.get(previous=v1)
    assert response.url == reverse("hna:plan", kwargs={"plan_id": v2.pk})
    v1.refresh_from_db()
    assert (v1.status, v2.status, v2.version, v2.started_by) == ("superseded", "draft", 2, cast.cns_a)
    assert [i.concern for i in v2.items.all()] == [i.concern for i in v1.items.all()]
    html = client.get(reverse("hna:plan", kwargs={"plan_id": v1.pk})).content.decode()
    assert "Superseded" in html and reverse("hna:plan", kwargs={"plan_id": v2.pk}) in html
    assert "Agree and lock" not in html and "Unlock to amend" not in html
    # A second click on "Unlock" (or a colleague's) goes to the same new draft.
    again = client.post(reverse("hna:plan_unlock", kwargs={"plan_id": v1.pk}))
    assert again.url == response.url and CarePlan.objects.count() == 2


# Two staff at once


def test_a_second_save_from_the_same_version_is_refused_and_its_values_kept(client, cast):
    plan = start(cast)
    pain, fatigue = plan.items.get(concern="Pain"), plan.items.get(concern__startswith="Tired")
    client.force_login(cast.cns_a)
    first = client.post(
        reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": pain.pk}),
        item_post(plan, action="First nurse's action"),
    )
    assert first.status_code == 302
    second_url = reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": pain.pk})
    second = client.post(second_url, item_post(plan, action="Second nurse's action", what_matters="Walking the dog"))
    html = second.content.decode()
    assert second.status_code == 200
    assert "Someone else changed this plan while you were editing" in html
    assert "Second nurse&#39;s action" in html and "Walking the dog" in html  # their values, re-rendered
    assert "First nurse&#39;s action" in html  # what the plan says now, to check against
    assert 'name="lock_version" value="1"' in html  # a deliberate second save can go through
    pain.refresh_from_db()
    assert pain.action == "First nurse's action"
    # Any save made from the old copy is refused, whichever concern it is for.
    with pytest.raises(care_plans.PlanChanged):
        care_plans.update_item(actor=cast.cns_a, item=fatigue, seen_lock_version=0, action="x")
    other = client.post(reverse("hna:plan_lock", kwargs={"plan_id": plan.pk}), {"lock_version": 0})
    assert other.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "draft"


@pytest.mark.django_db(transaction=True)  # the checklist comes back through tests/conftest.py _reference_data
def test_two_saves_racing_from_the_same_version_one_wins(monkeypatch):
    from tests.conftest import Cast

    cast = Cast()
    plan = start(cast)
    items = list(plan.items.all()[:2])
    original = care_plans.record

    def slow_record(*args, **kwargs):
        time.sleep(0.3)  # hold the winner's transaction open, so the other save must wait on the row
        return original(*args, **kwargs)

    monkeypatch.setattr(care_plans, "record", slow_record)
    barrier, outcomes = threading.Barrier(2), []

    def save(item):
        try:
            barrier.wait()
            care_plans.update_item(actor=cast.cns_a, item=item, seen_lock_version=0, action=f"for {item.concern}")
            outcomes.append("saved")
        except care_plans.PlanChanged:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    plan.refresh_from_db()
    assert plan.lock_version == 1
    assert plan.items.exclude(action="").count() == 1


# Who may read what


def plan_urls(plan):
    item = plan.items.first()
    ids = {"plan_id": plan.pk}
    names = ("plan", "plan_pdf", "plan_add_concern", "plan_summary", "plan_sharing", "plan_lock", "plan_unlock")
    urls = [reverse(f"hna:{name}", kwargs=ids) for name in names]
    urls.append(reverse("hna:plan_item", kwargs={**ids, "item_id": item.pk}))
    urls.append(reverse("hna:start_plan", kwargs={"assessment_id": plan.assessment_id}))
    return urls


def test_outsiders_get_404_on_every_plan_url(client, cast):
    for plan in (start(cast), locked_plan(cast, shared=True)):
        for outsider in (cast.cns_b, cast.gp_b, cast.admin):
            client.force_login(outsider)
            for url in plan_urls(plan):
                statuses = {client.get(url).status_code, client.post(url).status_code}
                assert statuses <= {404, 405} and 404 in statuses, (outsider.email, url, statuses)


def test_gp_sees_only_shared_locked_plans_and_cannot_change_them(client, cast):
    plan = start(cast)
    client.force_login(cast.gp_a)
    assert client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).status_code == 404
    plan = care_plans.lock(actor=cast.cns_a, plan=plan, seen_lock_version=0, confirm_blank=True)
    assert client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).status_code == 404  # not shared
    shared = locked_plan(cast, shared=True)
    response = client.get(reverse("hna:plan", kwargs={"plan_id": shared.pk}))
    assert response.status_code == 200 and "Unlock to amend" not in response.content.decode()
    assert client.get(reverse("hna:plan_pdf", kwargs={"plan_id": shared.pk})).status_code == 200
    assert client.post(reverse("hna:plan_unlock", kwargs={"plan_id": shared.pk})).status_code == 404


def test_patient_sees_their_locked_plans(client, cast):
    draft = start(cast)
    client.force_login(cast.patient_user)
    assert client.get(reverse("hna:plan", kwargs={"plan_id": draft.pk})).status_code == 404
    assert "do not have a care and support plan yet" in client.get(reverse("hna:my_plans")).content.decode()
    plan = care_plans.lock(actor=cast.cns_a, plan=draft, seen_lock_version=0, confirm_blank=True)
    html = client.get(reverse("hna:my_plans")).content.decode()
    assert reverse("hna:plan", kwargs={"plan_id": plan.pk}) in html
    page = client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Your care and support plan" in page and "Unlock to amend" not in page and "/items/" not in page
    assert client.post(reverse("hna:plan_unlock", kwargs={"plan_id": plan.pk})).status_code == 404
    # While the team amends it, the agreed version stays the patient's plan; the draft stays hidden.
    v2 = care_plans.unlock_to_amend(actor=cast.cns_a, plan=plan)
    html = client.get(reverse("hna:my_plans")).content.decode()
    assert reverse("hna:plan", kwargs={"plan_id": plan.pk}) in html
    assert reverse("hna:plan", kwargs={"plan_id": v2.pk}) not in html
    assert (
        "A newer version of this plan is being prepared"
        in client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).content.decode()
    )


def test_my_plans_is_for_patients_only(client, cast):
    client.force_login(cast.cns_a)
    assert client.get(reverse("hna:my_plans")).status_code == 404
