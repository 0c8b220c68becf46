"""The thresholds a new installation starts with (ADR 0038): local defaults for a service to review
with its clinicians, not a published standard. Any functional scale or global health below 50, a
severe symptom (fatigue, pain, breathlessness, sleep problems, loss of appetite at 66.7 or more: "quite
a bit" or "very much" on every item), or a health profile index below 0.5.

`ensure_loaded` is idempotent: migration 0009 calls it, and so can tests whose database was flushed."""

from decimal import Decimal

from qol_survey.demo_instruments import CANCER_30_SCALES

LOW_FUNCTION = Decimal("50")
SEVERE_SYMPTOM = Decimal("66.7")
LOW_INDEX = Decimal("0.5")
SEVERE_SYMPTOMS = ("FA", "PA", "DY", "SL", "AP")


def rows():
    """(instrument, measure, direction, value, label) for each default threshold."""
    for code, name, kind, _items in CANCER_30_SCALES:
        if kind in ("global", "functional"):
            yield "cancer-30", code, "below", LOW_FUNCTION, f"Low {name[0].lower()}{name[1:]}"
        elif code in SEVERE_SYMPTOMS:
            yield "cancer-30", code, "at_least", SEVERE_SYMPTOM, f"Severe {name[0].lower()}{name[1:]}"
    yield "health-profile-5d", "index", "below", LOW_INDEX, "Low overall health (profile index)"


def ensure_loaded(apps=None):
    Threshold = apps.get_model("qol_survey", "Threshold") if apps else _model()
    if Threshold.objects.exists():
        return  # a service's own thresholds, or these already: never overwritten
    Threshold.objects.bulk_create(
        Threshold(instrument=i, measure=m, direction=d, value=v, label=label) for i, m, d, v, label in rows()
    )


def _model():
    from qol_survey.models import Threshold

    return Threshold
