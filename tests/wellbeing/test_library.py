"""The resource library and services directory services (issue 13 items 1 and 2, ADR 0043): only a
service admin adds, edits, retires and puts back, each change audited; every bad field refused in
its own words with nothing written; retired entries out of search and suggestions; the topics the
migration loads point at real HNA checklist items."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hna.checklist_v1 import CHECKLIST_V1
from portal.audit.models import Action, AuditEvent
from tests.wellbeing.library_helpers import make_resource, make_service, resource_fields, service_fields, topic
from wellbeing.models import Format, Resource, SupportService, Topic
from wellbeing.services import library, sessions
from wellbeing.topics_v1 import TOPICS_V1, ensure_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _topics(db):
    """The migration's topics: an earlier transactional test on this worker may have emptied them."""
    ensure_loaded()


def audited(obj, action) -> int:
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=action).count()


def test_the_migration_loads_topics_whose_codes_are_checklist_items():
    ensure_loaded()
    items = {f"{category}-{item}" for category, _name, entries in CHECKLIST_V1 for item, _text in entries}
    topics = list(Topic.objects.all())
    assert len(topics) == len(TOPICS_V1) >= 12
    for each in topics:
        assert each.concern_codes and set(each.concern_codes) <= items, each.slug
    assert topic("fatigue").name == "Managing fatigue" and "physical-fatigue" in topic("fatigue").concern_codes
    assert ensure_loaded() == 0  # a second load makes nothing


def test_an_admin_adds_edits_retires_and_puts_back_a_resource_each_audited(cast):
    resource = library.add_resource(actor=cast.admin, **resource_fields(title="  Eating well  "))
    assert resource.title == "Eating well" and resource.created_by == cast.admin
    assert [t.slug for t in resource.topics.all()] == ["eating-well"]
    assert audited(resource, Action.CREATE) == 1
    library.edit_resource(
        resource, actor=cast.admin, summary="New words", topics=[topic("eating-well"), topic("sleep")]
    )
    resource.refresh_from_db()
    assert resource.summary == "New words" and resource.topics.count() == 2
    library.retire_resource(resource, actor=cast.admin)
    library.retire_resource(resource, actor=cast.admin)  # twice: nothing more
    assert Resource.objects.get(pk=resource.pk).retired_at is not None
    assert audited(resource, Action.UPDATE) == 2
    library.restore_resource(resource, actor=cast.admin)
    assert Resource.objects.get(pk=resource.pk).retired_at is None
    assert audited(resource, Action.UPDATE) == 3


def test_an_admin_adds_edits_and_retires_a_directory_entry_each_audited(cast):
    service = library.add_service(actor=cast.admin, **service_fields())
    assert audited(service, Action.CREATE) == 1
    library.edit_service(service, actor=cast.admin, phone="", website="https://www.example.nhs.uk/move-more")
    service.refresh_from_db()
    assert service.phone == "" and service.website.endswith("move-more")
    library.retire_service(service, actor=cast.admin)
    assert SupportService.objects.get(pk=service.pk).retired_at is not None
    library.restore_service(service, actor=cast.admin)
    assert audited(service, Action.UPDATE) == 3


@pytest.mark.parametrize("who", ["cns_a", "gp_a", "patient_user", "auditor"])
def test_nobody_but_a_service_admin_changes_the_library(cast, who):
    actor = getattr(cast, who)
    resource, service = make_resource(), make_service()
    calls = [
        lambda: library.add_resource(actor=actor, **resource_fields()),
        lambda: library.edit_resource(resource, actor=actor, title="Mine"),
        lambda: library.retire_resource(resource, actor=actor),
        lambda: library.restore_resource(resource, actor=actor),
        lambda: library.add_service(actor=actor, **service_fields()),
        lambda: library.edit_service(service, actor=actor, name="Mine"),
        lambda: library.retire_service(service, actor=actor),
        lambda: library.restore_service(service, actor=actor),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Resource.objects.count() == SupportService.objects.count() == 1
    assert not AuditEvent.objects.exclude(action=Action.VIEW).exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": " "}, "title", "Enter the title of the resource"),
        ({"summary": ""}, "summary", "Enter a summary"),
        ({"url": "", "body": ""}, "url", "Enter a link or the text of the resource"),
        ({"url": "javascript:alert(1)"}, "url", "starting with https://"),
        ({"url": "ftp://example.com/file.pdf"}, "url", "starting with https://"),
        ({"url": "www.example.com"}, "url", "starting with https://"),
        ({"topics": []}, "topics", "Select at least one topic"),
        ({"formats": []}, "formats", "Select at least one format"),
        ({"formats": ["vinyl"]}, "formats", "Select formats from the list"),
        ({"tumour_sites": ["elbow"]}, "tumour_sites", "Select cancer types from the list"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"publisher": "x" * 201}, "publisher", "200 characters or fewer"),
        ({"url": "https://example.com/" + "x" * 490}, "url", "500 characters or fewer"),
    ],
)
def test_a_bad_resource_field_is_refused_in_its_own_words(cast, change, field, words):
    with pytest.raises(ValidationError) as refused:
        library.add_resource(actor=cast.admin, **resource_fields(**change))
    assert list(refused.value.message_dict) == [field]
    assert words in refused.value.message_dict[field][0]
    assert not Resource.objects.exists()


def test_a_resource_may_be_text_only_and_every_error_is_said_at_once(cast):
    text_only = library.add_resource(actor=cast.admin, **resource_fields(url="", body="Eat little and often."))
    assert text_only.url == "" and text_only.body
    with pytest.raises(ValidationError) as refused:
        library.add_resource(actor=cast.admin, title="", summary="", topics=[], formats=[], url="", body="")
    assert set(refused.value.message_dict) == {"title", "summary", "url", "topics", "formats"}


def test_an_edit_is_checked_as_a_whole(cast):
    resource = make_resource(url="", body="Some words")
    with pytest.raises(ValidationError) as refused:
        library.edit_resource(resource, actor=cast.admin, body="")
    assert "Enter a link or the text" in refused.value.message_dict["url"][0]
    with pytest.raises(ValueError, match="not editable"):
        library.edit_resource(resource, actor=cast.admin, retired_at=None)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": ""}, "name", "Enter the name of the service"),
        ({"category": ""}, "category", "Select what kind of service"),
        ({"category": "astrology"}, "category", "Select what kind of service"),
        ({"offers": " "}, "offers", "Enter what the service offers"),
        ({"area": ""}, "area", "Enter the area the service covers"),
        ({"phone": "", "email": "", "website": ""}, "phone", "Enter a phone number, email address or website"),
        ({"phone": "call us"}, "phone", "like 0300 000 0000"),
        ({"email": "not-an-address"}, "email", "like name@example.com"),
        ({"website": "example.org"}, "website", "starting with https://"),
        ({"how_referred": ""}, "how_referred", "Select how people get to the service"),
        ({"topics": []}, "topics", "Select at least one topic"),
        ({"topics": ["money"]}, "topics", "Select topics from the list"),
        ({"name": "x" * 201}, "name", "200 characters or fewer"),
    ],
)
def test_a_bad_directory_field_is_refused_in_its_own_words(cast, change, field, words):
    with pytest.raises(ValidationError) as refused:
        library.add_service(actor=cast.admin, **service_fields(**change))
    assert list(refused.value.message_dict) == [field]
    assert words in refused.value.message_dict[field][0]
    assert not SupportService.objects.exists()


def test_search_finds_by_words_and_each_filter_and_never_a_retired_one(cast):
    fatigue = make_resource(title="Living with fatigue", summary="Tiredness after treatment.")
    breast = make_resource(
        title="After breast surgery", summary="Exercises for your arm.", topics=("physical-activity",),
        tumour_sites=["breast"], formats=[Format.PDF, Format.EASY_READ],
    )  # fmt: skip
    retired = make_resource(title="Old fatigue leaflet", summary="Fatigue.")
    library.retire_resource(retired, actor=cast.admin)

    def titles(**filters):
        return sorted(r.title for r in library.search_resources(**filters))

    assert titles() == ["After breast surgery", "Living with fatigue"]
    assert titles(q="treatments") == ["Living with fatigue"]  # English stems: treatments, treatment
    assert titles(q="fatig") == ["Living with fatigue"]  # part of a word in the title
    assert titles(q="arm exercises") == ["After breast surgery"]
    assert titles(q="fatigue") == ["Living with fatigue"]  # not the retired one
    assert titles(topic="physical-activity") == ["After breast surgery"]
    assert titles(topic=topic("fatigue")) == ["Living with fatigue"]
    assert titles(site="breast") == ["After breast surgery", "Living with fatigue"]  # no sites: for everyone
    assert titles(site="prostate") == ["Living with fatigue"]
    assert titles(fmt="easy_read") == ["After breast surgery"]
    assert titles(fmt="audio") == []
    assert titles(site="elbow", fmt="vinyl") == titles()  # values not in a list are ignored
    assert fatigue.pk and breast.pk


def test_directory_search_by_words_kind_and_topic_without_retired_ones(cast):
    make_service(name="Benefits advice service")
    make_service(
        name="Move More Riverside", category="activity", offers="Exercise classes.", topics=("physical-activity",)
    )
    gone = make_service(name="Closed benefits clinic")
    library.retire_service(gone, actor=cast.admin)

    def names(**filters):
        return sorted(s.name for s in library.search_directory(**filters))

    assert names() == ["Benefits advice service", "Move More Riverside"]
    assert names(q="benefits") == ["Benefits advice service"]
    assert names(q="exercise") == ["Move More Riverside"]
    assert names(category="activity") == ["Move More Riverside"]
    assert names(topic="money") == ["Benefits advice service"]


def test_topics_from_concerns_and_entries_for_topics(cast):
    found = library.topics_for_concerns(["physical-fatigue", "practical-money", ""])
    assert {t.slug for t in found} == {"fatigue", "money"}
    assert library.topics_for_concerns([]) == []
    both = make_resource(title="Fatigue and sleep", topics=("fatigue", "sleep"))
    one = make_resource(title="Sleep well", topics=("sleep",))
    prostate = make_resource(title="Fatigue in prostate cancer", topics=("fatigue",), tumour_sites=["prostate"])
    gone = make_resource(title="Old", topics=("sleep",))
    library.retire_resource(gone, actor=cast.admin)
    wanted = [topic("fatigue"), topic("sleep")]
    assert list(library.resources_for_topics(wanted, site="breast")) == [both, one]  # most topics first
    assert set(library.resources_for_topics([t.pk for t in wanted])) == {both, one, prostate}
    money = make_service()
    make_service(name="Closed", topics=("money",), retired_at="2026-01-01T00:00Z")
    assert list(library.services_for_topics([topic("money")])) == [money]


def test_sessions_are_tagged_with_topics_when_scheduled_and_edited(cast):
    from tests.wellbeing.test_sessions import fields

    (session,) = sessions.schedule(actor=cast.admin, topics=[topic("worry")], **fields())
    assert [t.slug for t in session.topics.all()] == ["worry"]
    sessions.edit(session, actor=cast.admin, topics=[topic("sleep"), topic("fatigue")])
    assert {t.slug for t in session.topics.all()} == {"sleep", "fatigue"}
    sessions.edit(session, actor=cast.admin, capacity=10)  # topics not given: kept
    assert session.topics.count() == 2
    assert list(topic("sleep").sessions.all()) == [session]


def test_the_demo_library_is_made_through_the_services_once(cast):
    from wellbeing import demo_library

    assert demo_library.make(cast.admin) is True
    assert demo_library.make(cast.admin) is False  # a second run makes nothing
    assert Resource.objects.count() == len(demo_library.RESOURCES) >= 12
    assert SupportService.objects.count() == len(demo_library.SERVICES) >= 8
    assert Resource.objects.filter(retired_at__isnull=False).get().title == demo_library.RETIRED
    assert library.live_resources().count() == len(demo_library.RESOURCES) - 1
    assert AuditEvent.objects.filter(object_type="wellbeing.resource", action=Action.CREATE).count() == 12


# Last in this module: seeded_demo's demo data stays for the rest of the module once it is made.
def test_seed_demo_makes_the_library_and_tags_the_sessions(seeded_demo):
    from wellbeing.models import Session

    assert Resource.objects.filter(retired_at__isnull=True).count() >= 11 and SupportService.objects.count() >= 8
    tagged = {s.title: {t.slug for t in s.topics.all()} for s in Session.objects.prefetch_related("topics")}
    assert tagged["Managing fatigue"] == {"fatigue"} and tagged["Coping with worry and anxiety"] == {"worry"}
    assert tagged["Eating well during treatment"] == {"eating-well"}
    assert tagged["Peripheral neuropathy: what to expect"] == {"neuropathy"}
    assert tagged["Talking with children about cancer"] == {"children"}
