import datetime

import pytest

from followup.models import Protocol, ProtocolVersion, SurveillanceTest
from followup.services.schedule import planned_tests
from tests.followup.factories import make_pathway

pytestmark = pytest.mark.django_db
D = datetime.date


def _planned(slug, anchor):
    version = ProtocolVersion.objects.get(protocol__slug=slug, status="published")
    return [(step.test_type.code, due) for step, due in planned_tests(version, anchor)]


def test_breast_is_a_yearly_mammogram_for_five_years():
    assert _planned("breast-default", D(2026, 1, 15)) == [("MAMMOGRAM", D(year, 1, 15)) for year in range(2027, 2032)]


def test_colorectal_cea_ct_and_colonoscopy_at_the_stated_months():
    planned = _planned("colorectal-default", D(2026, 1, 31))
    cea = [due for code, due in planned if code == "CEA"]
    # Every 6 months for 3 years, then yearly for 2; the 31st becomes the month's last day.
    assert cea == [
        D(2026, 7, 31),
        D(2027, 1, 31),
        D(2027, 7, 31),
        D(2028, 1, 31),
        D(2028, 7, 31),
        D(2029, 1, 31),
        D(2030, 1, 31),
        D(2031, 1, 31),
    ]
    assert [due for code, due in planned if code == "CT_CAP"] == [D(2027, 1, 31), D(2028, 7, 31)]
    assert [due for code, due in planned if code == "COLONOSCOPY"] == [D(2027, 1, 31), D(2030, 1, 31)]
    assert [due for _, due in planned] == sorted(due for _, due in planned)


def test_month_ends_clamp_to_the_last_day():
    planned = _planned("colorectal-default", D(2026, 8, 31))
    assert planned[0] == ("CEA", D(2027, 2, 28))


def test_prostate_psa_from_two_months_six_monthly_then_yearly_each_with_a_questionnaire():
    version = ProtocolVersion.objects.get(protocol__slug="prostate-default", status="published")
    planned = planned_tests(version, D(2026, 3, 10))
    assert [due for _, due in planned] == [
        D(2026, 5, 10),
        D(2026, 9, 10),
        D(2027, 3, 10),
        D(2027, 9, 10),
        D(2028, 3, 10),
        D(2029, 3, 10),
        D(2030, 3, 10),
        D(2031, 3, 10),
    ]
    assert all(step.with_checkin for step, _ in planned)


def test_defaults_load_once_only():
    from followup.default_protocols import ensure_loaded

    ensure_loaded()
    ensure_loaded()
    assert Protocol.objects.filter(slug__endswith="-default").count() == 3
    assert ProtocolVersion.objects.filter(protocol__slug="breast-default").count() == 1


def test_make_pathway_creates_its_planned_tests():
    pathway = make_pathway(protocol_slug="colorectal-default", anchor_date=D(2026, 1, 31))
    assert SurveillanceTest.objects.filter(pathway=pathway).count() == 12
    assert pathway.tests.order_by("due_date").first().due_date == D(2026, 7, 31)
