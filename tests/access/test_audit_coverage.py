"""Every page that shows a patient's identity writes the access log. The sample is every GET address
the URL resolver knows (ids filled in with records of cast.patient, the lists as they are) and every
Django admin changelist and change page, opened by each member of the cast; whenever a response shows
the patient's name or NHS number, that request must have written an event naming the patient."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from portal.audit.models import AuditEvent
from portal.ui.presenters import format_nhs_number
from tests.access.test_policy_channels import people
from tests.access.test_url_scoping import SKIPPED_PREFIXES, record_ids, walk

pytestmark = pytest.mark.django_db
# Addresses that never show a patient, or must not be fetched here.
NOT_SAMPLED = {"account_logout", "api:schema", "api:docs", "hna:reports_export"}  # CSV: tests/hna/test_reports.py


def get_urls(ids) -> list[str]:
    from django.urls import get_resolver

    urls = []
    for route, name, entry in walk(get_resolver().url_patterns):
        if not name or name in NOT_SAMPLED or route.startswith(SKIPPED_PREFIXES):
            continue
        params = set(entry.pattern.regex.groupindex)
        short = name.split(":")[-1]
        kwargs = {p: ids.get(f"{short}:{p}", ids.get(p)) for p in params}
        if any(value is None for value in kwargs.values()) or "format" in params:
            continue
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:  # a pattern that needs extra kwargs of a view (the HNA steps)
            pass
    return urls


def admin_urls() -> list[str]:
    urls = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        for pk in model_admin.model._default_manager.values_list("pk", flat=True)[:5]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
    return urls


def shows_patient(body: str, patient) -> bool:
    return any(mark in body for mark in (patient.full_name, patient.nhs_number, format_nhs_number(patient.nhs_number)))


def test_every_page_that_shows_a_patient_writes_the_access_log(client, cast):
    cast_people = people(cast)
    ids = record_ids(cast)
    urls = get_urls(ids) + admin_urls()
    # One of each audience (the care team, the practice, the patient, the auditor, a service admin):
    # the other roles open the same pages as one of these.
    viewers = [cast_people[name][0] for name in ("cns", "gp", "patient", "auditor", "service_admin")]
    unaudited, shown = [], 0
    for user in viewers:
        client.force_login(user)
        for url in urls:
            before = AuditEvent.objects.filter(patient=cast.patient).count()
            response = client.get(url)
            if response.status_code != 200 or response.streaming:
                continue
            if shows_patient(response.content.decode(errors="replace"), cast.patient):
                shown += 1
                if AuditEvent.objects.filter(patient=cast.patient).count() == before:
                    unaudited.append(f"{url} as {user.email}")
    assert shown > 20, "the sample found too few pages showing the patient to mean anything"
    assert not unaudited, "shown without an access-log event:\n" + "\n".join(unaudited)
