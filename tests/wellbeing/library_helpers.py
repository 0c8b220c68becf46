"""Resources and directory entries for the library tests, made straight in the database (the
services are tested apart), and the topics the data migration loads, put back if a transactional
test's teardown truncated them."""

from wellbeing.models import Format, Referral, Resource, ServiceCategory, SupportService, Topic
from wellbeing.topics_v1 import ensure_loaded


def topic(slug: str) -> Topic:
    ensure_loaded()
    return Topic.objects.get(slug=slug)


def make_resource(topics=("fatigue",), **fields) -> Resource:
    resource = Resource.objects.create(
        title=fields.pop("title", "Living with fatigue"),
        summary=fields.pop("summary", "Ways to save your energy and plan your day."),
        url=fields.pop("url", "https://www.example.nhs.uk/fatigue"),
        formats=fields.pop("formats", [Format.WEB]),
        **fields,
    )
    resource.topics.set([topic(slug) for slug in topics])
    return resource


def make_service(topics=("money",), **fields) -> SupportService:
    service = SupportService.objects.create(
        name=fields.pop("name", "Benefits advice service"),
        category=fields.pop("category", ServiceCategory.FINANCIAL),
        offers=fields.pop("offers", "Help to claim the benefits and grants you are entitled to."),
        area=fields.pop("area", "Riverside and district"),
        phone=fields.pop("phone", "0300 000 0000"),
        how_referred=fields.pop("how_referred", Referral.SELF),
        **fields,
    )
    service.topics.set([topic(slug) for slug in topics])
    return service


def resource_fields(**changes) -> dict:
    return {
        "title": "Eating well during treatment",
        "summary": "What to eat when you have a poor appetite or a sore mouth.",
        "topics": [topic("eating-well")],
        "tumour_sites": [],
        "formats": [Format.WEB, Format.EASY_READ],
        "url": "https://www.example.nhs.uk/eating-well",
        "body": "",
        "publisher": "Riverside dietetics",
        **changes,
    }


def service_fields(**changes) -> dict:
    return {
        "name": "Move More Riverside",
        "category": ServiceCategory.ACTIVITY,
        "offers": "Free exercise classes for people with cancer, at any fitness level.",
        "area": "Riverside and district",
        "phone": "0300 000 0001",
        "email": "",
        "website": "",
        "how_referred": Referral.EITHER,
        "referral_detail": "Ask your nurse, or call to book a first chat.",
        "topics": [topic("physical-activity")],
        **changes,
    }
