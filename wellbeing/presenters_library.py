"""What the resource library and services directory pages show: words, not model fields. Nothing
personal is on any of these pages: they are the same for everyone who reads them."""

from django.utils.html import format_html

from portal.people.models import TumourSite
from portal.ui.presenters import format_date
from wellbeing.models import Format, ServiceCategory, Topic

RESOURCES_URL = "/wellbeing/resources/"
DIRECTORY_URL = "/wellbeing/directory/"
ADMIN_RESOURCES_URL = "/wellbeing/admin/resources/"
ADMIN_DIRECTORY_URL = "/wellbeing/admin/directory/"


def resource_filters(query) -> dict:
    """The search form's values from a GET query; a value not in its list is dropped (everything)."""
    slugs = set(Topic.objects.values_list("slug", flat=True))
    topic, site, fmt = query.get("topic", ""), query.get("site", ""), query.get("format", "")
    return {
        "q": " ".join(query.get("q", "").split())[:200],
        "topic": topic if topic in slugs else "",
        "site": site if site in TumourSite.values else "",
        "format": fmt if fmt in Format.values else "",
    }


def directory_filters(query) -> dict:
    slugs = set(Topic.objects.values_list("slug", flat=True))
    topic, category = query.get("topic", ""), query.get("category", "")
    return {
        "q": " ".join(query.get("q", "").split())[:200],
        "category": category if category in ServiceCategory.values else "",
        "topic": topic if topic in slugs else "",
    }


def filtering(filters: dict) -> bool:
    return any(filters.values())


def _names(values, choices) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def topics_text(entry) -> str:
    return ", ".join(topic.name for topic in entry.topics.all())


def sites_text(resource) -> str:
    return _names(resource.tumour_sites, TumourSite.choices) or "Anyone, whatever their cancer"


def formats_text(resource) -> str:
    return _names(resource.formats, Format.choices)


def paragraphs(text: str) -> list[str]:
    """Text typed with blank lines between paragraphs, as paragraphs (the template escapes them)."""
    return [" ".join(part.split()) for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


def resource_href(resource) -> str:
    return f"{RESOURCES_URL}{resource.pk}/"


def service_href(service) -> str:
    return f"{DIRECTORY_URL}{service.pk}/"


def resource_card(resource) -> dict:
    return {
        "href": resource_href(resource),
        "title": resource.title,
        "summary": resource.summary,
        "formats": formats_text(resource),
        "topics": topics_text(resource),
        "sites": sites_text(resource),
    }


def resource_rows(resource) -> list[dict]:
    rows = [
        ("Topics", topics_text(resource)),
        ("Who it is for", sites_text(resource)),
        ("Formats", formats_text(resource)),
    ]
    if resource.publisher:
        rows.append(("Published by", resource.publisher))
    rows.append(("Last updated", format_date(resource.updated_at)))
    return _summary(rows)


def service_card(service) -> dict:
    return {
        "href": service_href(service),
        "name": service.name,
        "category": service.get_category_display(),
        "offers": service.offers,
        "area": service.area,
    }


def service_rows(service) -> list[dict]:
    """Summary list rows; phone, email and website as links (tel:, mailto:, the site)."""
    rows = [
        {"key": {"text": "Kind of service"}, "value": {"text": service.get_category_display()}},
        {"key": {"text": "Area"}, "value": {"text": service.area}},
    ]
    if service.phone:
        tel = "".join(ch for ch in service.phone if ch.isdigit() or ch == "+")
        rows.append(_link_row("Phone", f"tel:{tel}", service.phone))
    if service.email:
        rows.append(_link_row("Email", f"mailto:{service.email}", service.email))
    if service.website:
        rows.append(_link_row("Website", service.website, service.website))
    rows.append({"key": {"text": "Topics"}, "value": {"text": topics_text(service)}})
    return rows


def _link_row(key, href, text) -> dict:
    return {"key": {"text": key}, "value": {"html": format_html('<a href="{}">{}</a>', href, text)}}


def _summary(rows) -> list[dict]:
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def admin_row(entry, *, title: str, edit_href: str) -> dict:
    retired = entry.retired_at is not None
    return {
        "title": title,
        "edit_href": edit_href,
        "status": f"Retired {format_date(entry.retired_at)}" if retired else "Live",
        "retired": retired,
        "updated": format_date(entry.updated_at),
        "topics": topics_text(entry),
    }


def admin_resource_rows(resources) -> list[dict]:
    return [admin_row(r, title=r.title, edit_href=f"{ADMIN_RESOURCES_URL}{r.pk}/edit/") for r in resources]


def admin_service_rows(services) -> list[dict]:
    return [admin_row(s, title=s.name, edit_href=f"{ADMIN_DIRECTORY_URL}{s.pk}/edit/") for s in services]
