"""A DEMO value set for the health profile's index, made up so the demo can score: NOT a national
value set and not to be reported. Each dimension's level takes off a fixed amount from 1 (full
health), more for pain and anxiety than for self-care; 55555 comes out at -0.25. A deploying
organisation loads its national value set with `manage.py qol_load_value_set` (ADR 0033)."""

import csv
import io
import itertools
from decimal import Decimal

DEMO_NAME = "DEMO value set (made up, not for reporting)"
# Amount off per level 1..5, per dimension in state order (MO, SC, UA, PD, AD).
_OFF = [
    [Decimal(v) for v in ("0", "0.04", "0.08", "0.18", "0.24")],
    [Decimal(v) for v in ("0", "0.03", "0.06", "0.15", "0.20")],
    [Decimal(v) for v in ("0", "0.03", "0.06", "0.14", "0.19")],
    [Decimal(v) for v in ("0", "0.05", "0.10", "0.25", "0.33")],
    [Decimal(v) for v in ("0", "0.05", "0.10", "0.22", "0.29")],
]


def all_states() -> list[str]:
    """Every health state from 11111 to 55555 (3,125)."""
    return ["".join(levels) for levels in itertools.product("12345", repeat=5)]


def demo_rows() -> list[tuple[str, Decimal]]:
    return [(state, 1 - sum(_OFF[d][int(level) - 1] for d, level in enumerate(state))) for state in all_states()]


def demo_csv() -> str:
    """The demo value set as the CSV the loader reads: `state,index`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["state", "index"])
    writer.writerows(demo_rows())
    return out.getvalue()


def ensure_loaded(apps=None) -> None:
    """Load the demo value set unless it is there (migration 0003 calls this)."""
    if apps is None:
        from django.apps import apps
    ValueSet = apps.get_model("qol_survey", "ValueSet")
    ValueSetRow = apps.get_model("qol_survey", "ValueSetRow")
    value_set, created = ValueSet.objects.get_or_create(
        name=DEMO_NAME, defaults={"source": "demo generator (qol_survey/demo_value_set.py)", "is_demo": True}
    )
    if created:
        ValueSetRow.objects.bulk_create(
            ValueSetRow(value_set=value_set, state=state, index=index) for state, index in demo_rows()
        )
