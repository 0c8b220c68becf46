"""Words for the access log's Record column: "Care plan v2", not "hna.careplan".

An event stores its record as `object_type` (the model's "app_label.model_name") and `object_id`.
The model's own verbose name is the default ("Diagnosis", "Treatment summary"); an app that says
more (a version number, a shorter name) offers `audit_record_labels(model, ids)` on its AppConfig,
returning {object_id: label} for the ids it names (ADR 0023). portal imports no domain app: it asks
Django's app registry. A kind no longer installed is shown as it was logged."""

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.utils.text import capfirst

SHORT_ID = 8  # the first 8 characters of a UUID tell records apart on one page


def short_id(object_id: str) -> str:
    return object_id[:SHORT_ID]


def record_labels(refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """{(object_type, object_id): label} for the records of one page: at most one lookup per kind."""
    ids_by_type = defaultdict(set)
    for object_type, object_id in refs:
        if object_type:
            ids_by_type[object_type].add(object_id)
    labels = {}
    for object_type, ids in ids_by_type.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue  # not installed any more: the caller shows the reference as logged
        describe = getattr(apps.get_app_config(model._meta.app_label), "audit_record_labels", None)
        named = describe(model, ids) if callable(describe) else {}
        default = capfirst(model._meta.verbose_name)
        labels.update({(object_type, object_id): named.get(object_id, default) for object_id in ids})
    return labels


def describe(object_type: str, object_id: str, labels: dict) -> str:
    """The Record column's words for one event (its short id is shown beside them)."""
    if not object_type:
        return ""
    return labels.get((object_type, object_id), object_type)
