"""The resource library and the services directory (issue 13 items 1 and 2, ADR 0043): the service
admins keep them (add, edit, retire, put back); anyone may read what is live. Neither is a patient
record, so the policy table has no row for them: policy.is_service_admin decides, as for sessions.

Retiring hides an entry from browsing, search and suggestions but keeps the row, so a care plan or
care review that signposted to it still says what was signposted. Every change is audited."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.models import TumourSite
from wellbeing.models import Format, Referral, Resource, ServiceCategory, SupportService, Topic

RESOURCE_FIELDS = ("title", "summary", "topics", "tumour_sites", "formats", "url", "body", "publisher")
SERVICE_FIELDS = (
    "name", "category", "offers", "area", "phone", "email", "website", "how_referred", "referral_detail", "topics",
)  # fmt: skip
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,28}")  # "0300 000 0000", "+44 (0)113 496 0000", "0800-000-0000"
_web_address = URLValidator(schemes=["http", "https"])


def _require_admin(actor):
    if not policy.is_service_admin(actor):
        raise PermissionDenied("Only a service admin can change the resource library and services directory")


def _is_web_address(value: str) -> bool:
    try:
        _web_address(value)
    except ValidationError:
        return False
    return True


def _is_email(value: str) -> bool:
    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return True


def _too_long(errors, fields, name, words, most):
    if name not in errors and len(fields.get(name) or "") > most:
        errors[name] = f"{words} must be {most} characters or fewer"


def _choices_errors(errors, fields, name, allowed, message):
    if set(fields.get(name) or ()) - set(allowed):
        errors[name] = message


def _topics_errors(errors, fields):
    topics = fields.get("topics") or ()
    if not topics:
        errors["topics"] = "Select at least one topic"
    elif not all(isinstance(topic, Topic) for topic in topics):
        errors["topics"] = "Select topics from the list"


def check_resource(fields: dict) -> dict:
    """The rules a resource's fields must meet, each error naming its field."""
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = "Enter the title of the resource"
    if not (fields.get("summary") or "").strip():
        errors["summary"] = "Enter a summary of what the resource is about"
    url, body = (fields.get("url") or "").strip(), (fields.get("body") or "").strip()
    if not url and not body:
        errors["url"] = "Enter a link or the text of the resource"
    elif url and not _is_web_address(url):
        errors["url"] = "Enter the link as a full web address starting with https://, like https://www.nhs.uk/"
    _topics_errors(errors, fields)
    _choices_errors(errors, fields, "tumour_sites", TumourSite.values, "Select cancer types from the list")
    if not fields.get("formats"):
        errors["formats"] = "Select at least one format"
    _choices_errors(errors, fields, "formats", Format.values, "Select formats from the list")
    _too_long(errors, fields, "title", "The title", 200)
    _too_long(errors, fields, "url", "The link", 500)
    _too_long(errors, fields, "publisher", "Who publishes it", 200)
    if errors:
        raise ValidationError(errors)
    return fields


def check_service(fields: dict) -> dict:
    """The rules a directory entry's fields must meet, each error naming its field."""
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = "Enter the name of the service"
    if fields.get("category") not in ServiceCategory.values:
        errors["category"] = "Select what kind of service it is"
    if not (fields.get("offers") or "").strip():
        errors["offers"] = "Enter what the service offers"
    if not (fields.get("area") or "").strip():
        errors["area"] = "Enter the area the service covers, or say it is national or online"
    phone, email, website = ((fields.get(name) or "").strip() for name in ("phone", "email", "website"))
    if not (phone or email or website):
        errors["phone"] = "Enter a phone number, email address or website for the service"
    if phone and not PHONE.fullmatch(phone):
        errors["phone"] = "Enter a phone number using numbers and spaces, like 0300 000 0000"
    if email and not _is_email(email):
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if website and not _is_web_address(website):
        errors["website"] = "Enter the website as a full web address starting with https://, like https://www.nhs.uk/"
    if fields.get("how_referred") not in Referral.values:
        errors["how_referred"] = "Select how people get to the service"
    _topics_errors(errors, fields)
    _too_long(errors, fields, "name", "The name", 200)
    _too_long(errors, fields, "area", "The area", 200)
    _too_long(errors, fields, "website", "The website", 500)
    if errors:
        raise ValidationError(errors)
    return fields


def _tidy(fields: dict) -> dict:
    """Text without the spaces around it: a pasted link or name often has some."""
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}


def _write(instance, fields):
    topics = fields.pop("topics", None)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    if topics is not None:
        instance.topics.set(topics)
    return instance


def _known(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


@transaction.atomic
def add_resource(*, actor, **fields) -> Resource:
    """A new resource in the library, live at once."""
    _require_admin(actor)
    _known(fields, RESOURCE_FIELDS)
    fields = check_resource(_tidy(fields))
    resource = _write(Resource(created_by=actor), dict(fields))
    record(Action.CREATE, actor=actor, obj=resource)
    return resource


@transaction.atomic
def edit_resource(resource, *, actor, **changes) -> Resource:
    """Change a resource (live or retired), checked as a whole."""
    _require_admin(actor)
    _known(changes, RESOURCE_FIELDS)
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    current = {name: getattr(locked, name) for name in RESOURCE_FIELDS if name != "topics"}
    current["topics"] = list(locked.topics.all())
    check_resource(current | _tidy(changes))
    _write(locked, _tidy(changes))
    record(Action.UPDATE, actor=actor, obj=locked)
    return locked


def _set_retired(model, entry, *, actor, retired: bool):
    _require_admin(actor)
    locked = model.objects.select_for_update().get(pk=entry.pk)
    if (locked.retired_at is not None) == retired:
        return locked  # already so: nothing to change or audit
    locked.retired_at = timezone.now() if retired else None
    locked.save(update_fields=["retired_at", "updated_at"])
    record(Action.UPDATE, actor=actor, obj=locked)
    return locked


@transaction.atomic
def retire_resource(resource, *, actor) -> Resource:
    """Take a resource out of browsing, search and suggestions; twice changes nothing."""
    return _set_retired(Resource, resource, actor=actor, retired=True)


@transaction.atomic
def restore_resource(resource, *, actor) -> Resource:
    """Put a retired resource back in the library."""
    return _set_retired(Resource, resource, actor=actor, retired=False)


@transaction.atomic
def add_service(*, actor, **fields) -> SupportService:
    """A new entry in the services directory, live at once."""
    _require_admin(actor)
    _known(fields, SERVICE_FIELDS)
    fields = check_service(_tidy(fields))
    service = _write(SupportService(created_by=actor), dict(fields))
    record(Action.CREATE, actor=actor, obj=service)
    return service


@transaction.atomic
def edit_service(service, *, actor, **changes) -> SupportService:
    """Change a directory entry (live or retired), checked as a whole."""
    _require_admin(actor)
    _known(changes, SERVICE_FIELDS)
    locked = SupportService.objects.select_for_update().get(pk=service.pk)
    current = {name: getattr(locked, name) for name in SERVICE_FIELDS if name != "topics"}
    current["topics"] = list(locked.topics.all())
    check_service(current | _tidy(changes))
    _write(locked, _tidy(changes))
    record(Action.UPDATE, actor=actor, obj=locked)
    return locked


@transaction.atomic
def retire_service(service, *, actor) -> SupportService:
    """Take a service out of the directory and suggestions; twice changes nothing."""
    return _set_retired(SupportService, service, actor=actor, retired=True)


@transaction.atomic
def restore_service(service, *, actor) -> SupportService:
    """Put a retired service back in the directory."""
    return _set_retired(SupportService, service, actor=actor, retired=False)


# Reading: live entries only. Search is PostgreSQL full text (English stems: "tired" finds
# "tiredness") with a plain substring match on the title, so a part of a word still finds it.


def live_resources():
    return Resource.objects.filter(retired_at__isnull=True)


def live_services():
    return SupportService.objects.filter(retired_at__isnull=True)


def _plain(value) -> str:
    """A search value as text PostgreSQL takes: a NUL character (from a crafted query string) is an
    error there, not a no-match."""
    return (value or "").replace("\x00", "") if isinstance(value, str) else value


def _words(queryset, q: str, title: str, fields: tuple[str, ...]):
    q = " ".join(_plain(q).split())[:200]
    if not q:
        return queryset
    weights = ("A", "B", "C", "D")
    vector = SearchVector(title, weight="A", config="english")
    for index, name in enumerate(fields):
        vector += SearchVector(name, weight=weights[min(index + 1, 3)], config="english")
    query = SearchQuery(q, search_type="websearch", config="english")
    return (
        queryset.annotate(rank=SearchRank(vector, query), document=vector)
        .filter(Q(document=query) | Q(**{f"{title}__icontains": q}))
        .order_by("-rank", title, "id")
    )


def _topic_q(topic) -> Q:
    if isinstance(topic, Topic):
        return Q(topics=topic)
    return Q(topics__slug=_plain(topic))


def search_resources(q: str = "", topic="", site: str = "", fmt: str = ""):
    """Live resources matching the words, of a topic (slug or Topic), for a cancer type (a resource
    for every type matches any) and in a format. A filter with a value not in its list is ignored."""
    found = live_resources()
    if topic:
        found = found.filter(pk__in=Resource.objects.filter(_topic_q(topic)).values("pk"))
    if site in TumourSite.values:
        found = found.filter(Q(tumour_sites=[]) | Q(tumour_sites__contains=[site]))
    if fmt in Format.values:
        found = found.filter(formats__contains=[fmt])
    return _words(found, q, "title", ("summary", "publisher", "body")).prefetch_related("topics")


def search_directory(q: str = "", category: str = "", topic=""):
    """Live directory entries matching the words, of a kind and a topic (slug or Topic)."""
    found = live_services()
    if category in ServiceCategory.values:
        found = found.filter(category=category)
    if topic:
        found = found.filter(pk__in=SupportService.objects.filter(_topic_q(topic)).values("pk"))
    return _words(found, q, "name", ("offers", "area", "referral_detail")).prefetch_related("topics")


def _topic_ids(topics) -> list:
    return [topic.pk if isinstance(topic, Topic) else topic for topic in topics]


def topics_for_concerns(codes) -> list[Topic]:
    """The topics that answer any of these HNA checklist item codes ("physical-fatigue"), in order."""
    codes = [code for code in codes if code]
    return list(Topic.objects.filter(concern_codes__overlap=codes)) if codes else []


def resources_for_topics(topics, site: str = ""):
    """Live resources of any of these topics (Topics or their ids), for this cancer type if given,
    with the most matching topics first: what "Suggested for you" offers."""
    ids = _topic_ids(topics)
    found = live_resources().filter(pk__in=Resource.objects.filter(topics__in=ids).values("pk"))
    if site:
        found = found.filter(Q(tumour_sites=[]) | Q(tumour_sites__contains=[site]))
    return _by_matches(found, ids)


def services_for_topics(topics):
    """Live directory entries of any of these topics (Topics or their ids), most matching first."""
    ids = _topic_ids(topics)
    found = live_services().filter(pk__in=SupportService.objects.filter(topics__in=ids).values("pk"))
    return _by_matches(found, ids)


def _by_matches(queryset, ids):
    matches = Count("topics", filter=Q(topics__in=ids), distinct=True)
    return queryset.annotate(matches=matches).order_by("-matches", *queryset.model._meta.ordering)
