"""The resource library and services directory pages (issue 13 items 1 and 2, ADR 0043): anyone
browses and searches (a plain GET form), a retired entry is gone from browsing but still in the
admins' list; a service admin adds, edits, retires and puts back, every error on its field with what
was typed kept; nobody else reaches an admin page or action."""

import re

import pytest

from portal.audit.models import Action, AuditEvent
from tests.test_heading_order import assert_in_order
from tests.wellbeing.library_helpers import make_resource, make_service, topic
from wellbeing.models import Resource, SupportService
from wellbeing.services import library
from wellbeing.topics_v1 import ensure_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _topics(db):
    """The migration's topics: an earlier transactional test on this worker may have emptied them."""
    ensure_loaded()


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_anyone_browses_and_searches_the_library_and_a_retired_resource_is_gone(client, cast):
    fatigue = make_resource(title="Living with fatigue", summary="Saving your energy.")
    make_resource(
        title="Arm exercises after breast surgery", summary="Gentle exercises.", topics=("physical-activity",),
        tumour_sites=["breast"], formats=["pdf", "easy_read"],
    )  # fmt: skip
    gone = make_resource(title="Old fatigue leaflet")
    library.retire_resource(gone, actor=cast.admin)
    page = text(client.get("/wellbeing/resources/"))
    assert "Living with fatigue" in page and "Arm exercises" in page and "Old fatigue leaflet" not in page
    assert "2 resources" in page and '<form method="get" action="/wellbeing/resources/"' in page
    assert_in_order(page)

    def found(query):
        return text(client.get(f"/wellbeing/resources/?{query}"))

    assert "Arm exercises" not in found("q=energy") and "Living with fatigue" in found("q=energy")
    assert "Living with fatigue" not in found("topic=physical-activity")
    assert "Arm exercises" not in found("site=prostate") and "Living with fatigue" in found("site=prostate")
    assert "Living with fatigue" not in found("format=easy_read")
    assert "1 resource found" in found("format=easy_read")
    assert "No resources match your search" in found("q=zebra")
    assert "2 resources" in found("topic=nonsense&site=elbow&format=vinyl")  # ignored, not an error
    assert "2 resources" in found("q=%00&topic=%00")  # a NUL is dropped, not a database error
    assert client.get("/wellbeing/directory/?q=%00&topic=%00&category=%00").status_code == 200
    kept = found("q=energy&topic=fatigue")
    assert 'value="energy"' in kept and re.search(r'<option value="fatigue" selected', kept)
    detail = text(client.get(f"/wellbeing/resources/{fatigue.pk}/"))
    assert "https://www.example.nhs.uk/fatigue" in detail and "Managing fatigue" in detail
    assert "Anyone, whatever their cancer" in detail and "Web page" in detail
    assert_in_order(detail)
    retired = text(client.get(f"/wellbeing/resources/{gone.pk}/"))
    assert "No longer in the library" in retired and "example.nhs.uk/fatigue" not in retired
    assert_in_order(retired)


def test_a_text_resource_shows_its_paragraphs_escaped(client):
    resource = make_resource(url="", body="First part.\n\nSecond <b>part</b>.")
    page = text(client.get(f"/wellbeing/resources/{resource.pk}/"))
    assert "<p>First part.</p>" in page and "<p>Second &lt;b&gt;part&lt;/b&gt;.</p>" in page


def test_anyone_browses_and_searches_the_directory(client, cast):
    benefits = make_service(email="benefits@example.nhs.uk", website="https://www.example.nhs.uk/benefits")
    make_service(
        name="Move More Riverside", category="activity", offers="Exercise classes.", topics=("physical-activity",)
    )
    gone = make_service(name="Closed clinic")
    library.retire_service(gone, actor=cast.admin)
    page = text(client.get("/wellbeing/directory/"))
    assert "Benefits advice service" in page and "Move More Riverside" in page and "Closed clinic" not in page
    assert_in_order(page)
    assert "Move More" not in text(client.get("/wellbeing/directory/?category=financial"))
    assert "Benefits advice" not in text(client.get("/wellbeing/directory/?topic=physical-activity"))
    assert "Benefits advice" not in text(client.get("/wellbeing/directory/?q=exercise"))
    detail = text(client.get(f"/wellbeing/directory/{benefits.pk}/"))
    assert 'href="tel:03000000000"' in detail and 'href="mailto:benefits@example.nhs.uk"' in detail
    assert "Anyone can contact them directly" in detail
    assert_in_order(detail)
    assert "No longer in the directory" in text(client.get(f"/wellbeing/directory/{gone.pk}/"))


def test_a_missing_entry_is_404(client):
    for url in ("/wellbeing/resources/", "/wellbeing/directory/"):
        assert client.get(f"{url}00000000-0000-0000-0000-000000000000/").status_code == 404


def admin_urls(resource, service) -> list[tuple[str, str]]:
    urls = []
    for base, entry in (("/wellbeing/admin/resources/", resource), ("/wellbeing/admin/directory/", service)):
        urls += [("get", base), ("get", f"{base}new/"), ("post", f"{base}new/"), ("get", f"{base}{entry.pk}/edit/")]
        urls += [("post", f"{base}{entry.pk}/edit/"), ("post", f"{base}{entry.pk}/retire/")]
        urls += [("post", f"{base}{entry.pk}/restore/")]
    return urls


@pytest.mark.parametrize("who", ["cns_a", "gp_a", "patient_user", "auditor", None])
def test_nobody_but_a_service_admin_reaches_an_admin_page(client, cast, who):
    resource, service = make_resource(), make_service()
    if who:
        client.force_login(getattr(cast, who))
    for method, url in admin_urls(resource, service):
        response = getattr(client, method)(url, {"title": "Mine", "name": "Mine"})
        if who is None:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        else:
            assert response.status_code == 404, (method, url)
    assert Resource.objects.get().title == "Living with fatigue" and Resource.objects.get().retired_at is None
    assert SupportService.objects.get().name == "Benefits advice service"
    assert not AuditEvent.objects.filter(action__in=[Action.CREATE, Action.UPDATE]).exists()


def test_an_admin_adds_a_resource_every_error_on_its_field_and_nothing_typed_lost(client, cast):
    client.force_login(cast.admin)
    form = text(client.get("/wellbeing/admin/resources/new/"))
    assert "<h1>Add a resource</h1>" in form and 'name="topics"' in form and 'type="checkbox"' in form
    assert_in_order(form)
    typed = {"title": "Money worries", "url": "ftp://example.com", "publisher": "Citizens Advice", "formats": ["pdf"]}
    refused = text(client.post("/wellbeing/admin/resources/new/", typed))
    assert "<title>Error: Add a resource" in refused and "nhsuk-error-summary" in refused
    for words, anchor in [
        ("Enter a summary of what the resource is about", "id_summary"),
        ("starting with https://", "id_url"),
        ("Select at least one topic", "id_topics"),
    ]:
        assert words in refused and f'href="#{anchor}"' in refused, words
    assert 'value="Money worries"' in refused and 'value="ftp://example.com"' in refused
    assert 'value="Citizens Advice"' in refused and re.search(r'value="pdf"\s+checked', refused)
    assert not Resource.objects.exists()
    good = typed | {"url": "https://www.example.org/money", "summary": "Help with bills.", "topics": ["money"]}
    done = client.post("/wellbeing/admin/resources/new/", good, follow=True)
    assert "&#39;Money worries&#39; is in the library." in text(done)
    resource = Resource.objects.get()
    assert resource.formats == ["pdf"] and [t.slug for t in resource.topics.all()] == ["money"]
    assert resource.created_by == cast.admin
    assert AuditEvent.objects.filter(object_id=str(resource.pk), action=Action.CREATE).exists()


def test_an_admin_edits_retires_and_puts_back_a_resource_and_the_list_shows_retired_ones(client, cast):
    resource = make_resource(tumour_sites=["breast"])
    client.force_login(cast.admin)
    edit_url = f"/wellbeing/admin/resources/{resource.pk}/edit/"
    form = text(client.get(edit_url))
    assert 'value="Living with fatigue"' in form and re.search(r'value="fatigue"\s+checked', form)
    assert re.search(r'value="breast"\s+checked', form) and "Retire this resource" in form
    assert_in_order(form)
    fields = {"title": "Fatigue: a guide", "summary": "New.", "url": resource.url, "topics": ["fatigue", "sleep"]}
    refused = text(client.post(edit_url, fields))  # no format ticked
    assert "Select at least one format" in refused and 'value="Fatigue: a guide"' in refused
    client.post(edit_url, fields | {"formats": ["web", "audio"]})
    resource.refresh_from_db()
    assert resource.title == "Fatigue: a guide" and resource.tumour_sites == [] and resource.formats == ["web", "audio"]
    assert resource.topics.count() == 2
    retired = text(client.post(f"/wellbeing/admin/resources/{resource.pk}/retire/", follow=True))
    assert "is retired" in retired and "Fatigue: a guide" in retired and "Retired" in retired
    assert "Fatigue: a guide" not in text(client.get("/wellbeing/resources/"))
    assert "Put it back" in text(client.get(edit_url))
    client.post(f"/wellbeing/admin/resources/{resource.pk}/restore/")
    assert "Fatigue: a guide" in text(client.get("/wellbeing/resources/"))
    assert AuditEvent.objects.filter(object_id=str(resource.pk), action=Action.UPDATE).count() == 3


def test_an_admin_adds_edits_and_retires_a_directory_entry(client, cast):
    client.force_login(cast.admin)
    list_page = text(client.get("/wellbeing/admin/directory/"))
    assert "Add a service" in list_page
    assert_in_order(list_page)
    typed = {"name": "Carers' café", "category": "carers", "offers": "A chat and a cuppa.", "email": "nope"}
    refused = text(client.post("/wellbeing/admin/directory/new/", typed))
    for words in (
        "Enter the area the service covers",
        "like name@example.com",
        "Select how people get to the service",
        "Select at least one topic",
    ):
        assert words in refused, words
    assert re.search(r'value="carers"\s+checked', refused) and "A chat and a cuppa." in refused
    good = typed | {
        "area": "Riverside",
        "email": "carers@example.nhs.uk",
        "how_referred": "self",
        "topics": ["relationships"],
    }
    client.post("/wellbeing/admin/directory/new/", good)
    service = SupportService.objects.get()
    assert service.topics.get() == topic("relationships")
    edit_url = f"/wellbeing/admin/directory/{service.pk}/edit/"
    assert 'value="carers@example.nhs.uk"' in text(client.get(edit_url))
    client.post(edit_url, good | {"phone": "0300 000 0002"}, follow=True)
    service.refresh_from_db()
    assert service.phone == "0300 000 0002"
    client.post(f"/wellbeing/admin/directory/{service.pk}/retire/", follow=True)
    assert "Carers&#39; café" not in text(client.get("/wellbeing/directory/"))
    assert "Carers&#39; café" in text(client.get("/wellbeing/admin/directory/"))
    assert AuditEvent.objects.filter(object_id=str(service.pk)).exclude(action=Action.VIEW).count() == 3


def test_the_admin_pages_list_many_entries_in_pages(client, cast):
    for n in range(25):
        make_resource(title=f"Resource {n:02}")
    client.force_login(cast.admin)
    first = text(client.get("/wellbeing/admin/resources/"))
    assert "Resource 00" in first and "Resource 24" not in first and "nhsuk-pagination" in first
    assert "Resource 24" in text(client.get("/wellbeing/admin/resources/?page=2"))
    assert "nhsuk-pagination" in text(client.get("/wellbeing/resources/"))
