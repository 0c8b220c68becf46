"""The dashboard's figures (ADR 0039): grouped in SQL, compared with the reference set for the
group's age and sex mix, and no group of fewer than 10 shown as a count or a mean, nor one more
where a single hidden count could be worked out from the total."""

import datetime
from statistics import mean

import pytest

from portal.people.models import StatedGender
from qol_survey.models import PostcodeDeprivation, ReferenceSet
from qol_survey.services import dashboard
from tests.factories import CareTeamFactory, DiagnosisFactory, PatientFactory, TrustFactory
from tests.qol_survey.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db


def respond(site="breast", team=None, responded=True, patient=None, **answer_fields):
    diagnosis = DiagnosisFactory(tumour_site=site, **({"patient": patient} if patient else {}))
    invitation = make_invitation(diagnosis=diagnosis, team=team)
    return make_response(invitation, may_contact=False, **answer_fields) if responded else invitation


def row(table, label):
    return next(r for r in table.rows if r.label == label)


def cell(table_row, code):
    return table_row.cells[[m.code for m in dashboard.MEASURES].index(code)]


def test_small_groups_are_hidden_and_one_more_so_the_total_does_not_give_them_away():
    breast = [respond("breast", cancer={"q1": 1 + n % 4}) for n in range(12)]
    [respond("colorectal") for _ in range(11)]
    [respond("lung") for _ in range(3)]
    respond("lung", responded=False)
    table = dashboard.table(dashboard.BY_KEY["tumour_site"])
    lung, colorectal, shown = row(table, "Lung"), row(table, "Colorectal"), row(table, "Breast")
    assert lung.responses is None and lung.invitations is None and cell(lung, "QL").mean is None
    assert colorectal.responses is None and cell(colorectal, "PF").mean is None  # the next smallest
    assert colorectal.invitations is None  # 11 invitations: next smallest beside lung's 4
    assert shown.responses == 12 and shown.invitations == 12 and shown.rate == 1
    assert cell(shown, "PF").mean == pytest.approx(mean(r.scores["cancer-30"]["PF"] for r in breast))
    assert table.total.responses == 26 and table.total.invitations == 27
    assert table.suppressed


def test_a_group_of_ten_is_shown():
    [respond("breast") for _ in range(10)]
    [respond("lung") for _ in range(10)]
    table = dashboard.table(dashboard.BY_KEY["tumour_site"])
    assert row(table, "Lung").responses == 10 and cell(row(table, "Lung"), "QL").mean is not None
    assert not table.suppressed


def test_hidden_counts_zero_and_one_small_group():
    assert dashboard.hidden({"a": 50, "b": 12, "c": 0}) == set()
    assert dashboard.hidden({"a": 50, "b": 12, "c": 3}) == {"b", "c"}
    assert dashboard.hidden({"a": 50, "b": 2, "c": 3}) == {"b", "c"}


def test_means_are_compared_with_the_reference_for_the_age_and_sex_mix():
    # Born 1960-05-17, invited 2026-09-01: 66, the 65-74 band.
    men = [respond(patient=PatientFactory(sex=StatedGender.MALE)) for _ in range(10)]
    [respond(patient=PatientFactory(sex=StatedGender.FEMALE)) for _ in range(10)]
    reference = ReferenceSet.current()
    ql = {v.sex: float(v.mean) for v in reference.values.filter(measure="QL", age_band="65-74")}
    table = dashboard.table(dashboard.BY_KEY["sex"])
    male = row(table, "Male")
    assert cell(male, "QL").mean == pytest.approx(mean(r.scores["cancer-30"]["QL"] for r in men))
    assert cell(male, "QL").expected == pytest.approx(ql["1"])
    assert cell(row(table, "Female"), "QL").expected == pytest.approx(ql["2"])
    assert cell(table.total, "QL").expected == pytest.approx((ql["1"] + ql["2"]) / 2)
    by_age = dashboard.table(dashboard.BY_KEY["age_band"])
    assert [r.label for r in by_age.rows] == ["65-74"] and by_age.rows[0].responses == 20


def test_groups_by_trust_deprivation_and_ethnic_category():
    north, south = TrustFactory(name="North Trust"), TrustFactory(name="South Trust")
    team_n, team_s = CareTeamFactory(organisation=north), CareTeamFactory(organisation=south)
    PostcodeDeprivation.objects.update_or_create(postcode="ZZ11AA", defaults={"decile": 3})
    for _ in range(10):
        respond(team=team_n, patient=PatientFactory(postcode="zz1 1aa", ethnic_category="Z"))
        respond(team=team_s, patient=PatientFactory(postcode="ZZ9 9ZZ", ethnic_category=""))
    by_trust = dashboard.table(dashboard.BY_KEY["trust"])
    assert [(r.label, r.responses) for r in by_trust.rows] == [("North Trust", 10), ("South Trust", 10)]
    by_decile = dashboard.table(dashboard.BY_KEY["deprivation"])
    assert [(r.label, r.responses) for r in by_decile.rows] == [
        ("Decile 3", 10),
        ("Postcode not in the deprivation table", 10),
    ]
    by_ethnicity = dashboard.table(dashboard.BY_KEY["ethnic_category"])
    assert [(r.label, r.responses) for r in by_ethnicity.rows] == [("Not stated", 10), ("Not recorded", 10)]


def test_the_period_counts_invitations_by_their_date():
    for _ in range(10):
        respond(patient=PatientFactory())
    old = make_invitation(invited_on=datetime.date(2025, 1, 1))
    make_response(old)
    table = dashboard.table(dashboard.BY_KEY["tumour_site"], since=datetime.date(2026, 1, 1))
    assert table.total.responses == 10 and table.total.invitations == 10


def test_the_query_count_does_not_grow_with_responses(django_assert_max_num_queries):
    [respond() for _ in range(12)]
    with django_assert_max_num_queries(4):
        dashboard.table(dashboard.BY_KEY["deprivation"])
