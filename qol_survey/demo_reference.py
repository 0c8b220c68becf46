"""A DEMO reference set: made-up means by age band and sex, shaped like published norms (function
a little lower and symptoms a little higher with age), so the report and dashboard have something to
compare with. Not for reporting: a deploying organisation loads published norms.

`ensure_loaded` is idempotent: migration 0006 calls it, and so can tests whose database was flushed."""

from decimal import Decimal

NAME = "DEMO reference values (made up, not for reporting)"
FUNCTIONAL = {"QL": 76, "PF": 92, "RF": 90, "EF": 82, "CF": 88, "SF": 91}
SYMPTOMS = {"FA": 22, "NV": 4, "PA": 19, "DY": 13, "SL": 23, "AP": 7, "CO": 6, "DI": 5, "FI": 9}
PROFILE = {"index": Decimal("0.88"), "health_today": 82}
BANDS = ("16-44", "45-54", "55-64", "65-74", "75+")


def rows():
    for step, band in enumerate(BANDS):
        for sex, shift in (("1", 0), ("2", 1), ("", Decimal("0.5"))):
            for measure, base in FUNCTIONAL.items():
                yield "cancer-30", measure, band, sex, Decimal(base) - 2 * step - shift
            for measure, base in SYMPTOMS.items():
                yield "cancer-30", measure, band, sex, Decimal(base) + step + shift
            yield "health-profile-5d", "index", band, sex, PROFILE["index"] - Decimal("0.02") * step
            yield "health-profile-5d", "health_today", band, sex, Decimal(PROFILE["health_today"] - 2 * step) - shift


def ensure_loaded(apps=None):
    if apps is None:
        from qol_survey.models import ReferenceSet, ReferenceValue
    else:
        ReferenceSet = apps.get_model("qol_survey", "ReferenceSet")
        ReferenceValue = apps.get_model("qol_survey", "ReferenceValue")
    reference_set, made = ReferenceSet.objects.get_or_create(
        name=NAME, defaults={"source": "demo generator", "is_demo": True}
    )
    if made:
        ReferenceValue.objects.bulk_create(
            ReferenceValue(reference_set=reference_set, instrument=i, measure=m, age_band=b, sex=s, mean=v)
            for i, m, b, s, v in rows()
        )
