"""Publishing a new checklist version from the admin: copy as a draft, change it, publish it. A
published version is read-only; assessments keep the version they were set up on."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from hna.admin import CannotPublish, copy_as_draft, publish
from hna.models import ChecklistVersion, ConcernCategory, ConcernItem
from hna.services import assessments
from tests.conftest import give_totp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VERSIONS = "/admin/hna/checklistversion/"


@pytest.fixture
def service_admin(client):
    user = UserFactory(email="service.admin@example.com", is_staff=True, is_superuser=True)
    give_totp(user)
    client.force_login(user)
    client.user = user
    return client


def v1():
    return ChecklistVersion.objects.get(number=1)


def codes(version):
    return set(ConcernItem.objects.filter(category__version=version).values_list("code", flat=True))


def run_action(client, action, *versions):
    return client.post(VERSIONS, {"action": action, ACTION_CHECKBOX_NAME: [str(v.pk) for v in versions]})


def category_form(category, text=None, delete=(), add=()):
    """The POST of a category's change page with its item rows (inline prefix "items")."""
    items = list(category.items.order_by("position"))
    data = {
        "name": category.name,
        "position": category.position,
        "items-TOTAL_FORMS": len(items) + len(add),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for i, item in enumerate(items):
        data.update({f"items-{i}-id": item.pk, f"items-{i}-category": category.pk, f"items-{i}-position": i})
        data[f"items-{i}-text"] = (text or {}).get(item.code, item.text)
        if item.code in delete:
            data[f"items-{i}-DELETE"] = "on"
    for j, (code, item_text) in enumerate(add, start=len(items)):
        data.update({f"items-{j}-category": category.pk, f"items-{j}-code": code, f"items-{j}-text": item_text})
        data[f"items-{j}-position"] = j
    return data


def set_up(cast):
    return assessments.set_up(
        actor=cast.cns_a,
        patient=cast.patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=timezone.localdate(),
    ).assessment


def test_make_a_new_draft_copies_categories_and_items_with_the_same_codes(service_admin):
    response = run_action(service_admin, "make_draft", v1())
    draft = ChecklistVersion.objects.get(number=2)
    assert response.status_code == 302 and response["Location"] == f"{VERSIONS}{draft.pk}/change/"
    assert draft.status == "draft" and draft.published_at is None
    assert codes(draft) == codes(v1())
    assert list(draft.categories.values_list("code", "position")) == list(
        v1().categories.values_list("code", "position")
    )
    assert ChecklistVersion.current() == v1()  # a draft is not used until published


def test_make_a_new_draft_needs_exactly_one_version(service_admin):
    copy_as_draft(v1())
    response = run_action(service_admin, "make_draft", *ChecklistVersion.objects.all())
    assert response.status_code == 302
    assert "Select one version to copy" in service_admin.get(VERSIONS).content.decode()
    assert ChecklistVersion.objects.count() == 2


def test_a_draft_can_rename_add_and_remove_items_and_codes_stay_fixed(service_admin):
    draft = copy_as_draft(v1())
    physical = draft.categories.get(code="physical")
    url = f"/admin/hna/concerncategory/{physical.pk}/change/"
    html = service_admin.get(url).content.decode()
    assert 'name="items-0-text"' in html and 'name="items-0-DELETE"' in html
    assert re.search(r'name="items-0-code"[^>]*disabled', html)  # saved codes cannot be changed

    data = category_form(
        physical,
        text={"physical-pain": "Pain or discomfort"},
        delete={"physical-speech"},
        add=[("physical-balance", "Balance or falls")],
    )
    data["items-0-code"] = "physical-renamed"  # a disabled field: ignored
    response = service_admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft_codes = codes(draft)
    assert "physical-speech" not in draft_codes and "physical-balance" in draft_codes
    assert ConcernItem.objects.get(category=physical, code="physical-pain").text == "Pain or discomfort"
    assert ConcernItem.objects.get(category__version=v1(), code="physical-pain").text == "Pain"  # v1 untouched
    assert "physical-speech" in codes(v1())
    assert "physical-renamed" not in draft_codes


def test_a_draft_category_can_be_removed_with_its_items(service_admin):
    draft = copy_as_draft(v1())
    spiritual = draft.categories.get(code="spiritual")
    url = f"/admin/hna/concerncategory/{spiritual.pk}/delete/"
    assert "Loss of meaning" in service_admin.get(url).content.decode()
    assert service_admin.post(url, {"post": "yes"}).status_code == 302
    assert not draft.categories.filter(code="spiritual").exists()
    assert not any(code.startswith("spiritual-") for code in codes(draft))
    assert v1().categories.filter(code="spiritual").exists()


def test_a_new_item_cannot_reuse_a_code_of_the_version(service_admin):
    draft = copy_as_draft(v1())
    physical = draft.categories.get(code="physical")
    data = category_form(physical, add=[("emotional-worry", "Worry again")])
    html = service_admin.post(f"/admin/hna/concerncategory/{physical.pk}/change/", data).content.decode()
    assert "Another item in this version already uses this code" in html
    assert ConcernItem.objects.filter(category__version=draft, code="emotional-worry").count() == 1


def test_publish_and_new_assessments_use_it_while_old_ones_keep_theirs(service_admin, cast):
    before = set_up(cast)
    draft = copy_as_draft(v1())
    ConcernItem.objects.filter(category__version=draft, code="physical-pain").update(text="Pain or discomfort")

    response = run_action(service_admin, "publish_versions", draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at and draft.published_by == service_admin.user
    assert ChecklistVersion.current() == draft

    after = set_up(cast)
    before.refresh_from_db()
    assert before.checklist_version == v1() and after.checklist_version == draft


def test_a_published_version_is_read_only(service_admin):
    physical = v1().categories.get(code="physical")
    html = service_admin.get(f"{VERSIONS}{v1().pk}/change/").content.decode()
    assert 'name="name"' not in html and 'name="categories-0-name"' not in html
    url = f"/admin/hna/concerncategory/{physical.pk}/change/"
    html = service_admin.get(url).content.decode()
    assert 'name="items-0-text"' not in html and "DELETE" not in html
    before = codes(v1())
    assert service_admin.post(url, category_form(physical, delete={"physical-pain"})).status_code == 403
    assert service_admin.post(f"/admin/hna/concerncategory/{physical.pk}/delete/", {"post": "yes"}).status_code == 403
    assert service_admin.post(f"{VERSIONS}{v1().pk}/delete/", {"post": "yes"}).status_code == 403
    assert codes(v1()) == before


def test_publish_refuses_what_should_not_be_published(service_admin):
    with pytest.raises(CannotPublish, match="already published"):
        publish(v1(), service_admin.user)
    older, newer = copy_as_draft(v1()), copy_as_draft(v1())
    publish(newer, service_admin.user)
    with pytest.raises(CannotPublish, match="newer and already published"):
        publish(older, service_admin.user)
    empty = copy_as_draft(newer)
    ConcernItem.objects.filter(category__version=empty, category__code="spiritual").delete()
    with pytest.raises(CannotPublish, match="no items: Spiritual"):
        publish(empty, service_admin.user)
    response = run_action(service_admin, "publish_versions", v1())
    assert response.status_code == 302
    assert "already published" in service_admin.get(VERSIONS).content.decode()


def test_a_category_can_be_added_to_a_draft_only(service_admin):
    draft = copy_as_draft(v1())
    html = service_admin.get("/admin/hna/concerncategory/add/").content.decode()
    assert f'value="{draft.pk}"' in html and f'value="{v1().pk}"' not in html
    response = service_admin.post(
        "/admin/hna/concerncategory/add/",
        {
            "version": draft.pk,
            "code": "wellbeing",
            "name": "Wellbeing",
            "position": 9,
            "items-TOTAL_FORMS": 1,
            "items-INITIAL_FORMS": 0,
            "items-MIN_NUM_FORMS": 0,
            "items-MAX_NUM_FORMS": 1000,
            "items-0-code": "wellbeing-rest",
            "items-0-text": "Rest",
            "items-0-position": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ConcernCategory.objects.get(version=draft, code="wellbeing").items.get().code == "wellbeing-rest"
