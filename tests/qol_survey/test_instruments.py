"""The instruments as data: the structure the published scoring method needs, and demo wording."""

from qol_survey.models import Instrument, Scale

# The published scoring manual's scales and their item numbers (ADR 0033), written out again here.
MANUAL = {
    "QL": ("global", [29, 30]),
    "PF": ("functional", [1, 2, 3, 4, 5]),
    "RF": ("functional", [6, 7]),
    "EF": ("functional", [21, 22, 23, 24]),
    "CF": ("functional", [20, 25]),
    "SF": ("functional", [26, 27]),
    "FA": ("symptom", [10, 12, 18]),
    "NV": ("symptom", [14, 15]),
    "PA": ("symptom", [9, 19]),
    "DY": ("symptom", [8]),
    "SL": ("symptom", [11]),
    "AP": ("symptom", [13]),
    "CO": ("symptom", [16]),
    "DI": ("symptom", [17]),
    "FI": ("symptom", [28]),
}


def test_the_cancer_30_has_thirty_items_on_four_and_seven_levels():
    instrument = Instrument.current("cancer-30")
    items = list(instrument.items.order_by("position"))
    assert [item.code for item in items] == [f"q{n}" for n in range(1, 31)]
    assert {(i.lowest, i.highest) for i in items[:28]} == {(1, 4)}
    assert {(i.lowest, i.highest) for i in items[28:]} == {(1, 7)}
    assert all(len(i.answer_labels) == i.highest - i.lowest + 1 for i in items)


def test_the_cancer_30_scales_follow_the_manual():
    scales = Scale.objects.filter(instrument=Instrument.current("cancer-30")).order_by("position")
    found = {s.code: (s.kind, sorted(int(i.code[1:]) for i in s.items.all())) for s in scales}
    assert found == MANUAL
    assert [s.code for s in scales] == list(MANUAL)


def test_the_profile_has_five_dimensions_on_five_levels_and_health_today():
    items = list(Instrument.current("health-profile-5d").items.order_by("position"))
    assert [(i.code, i.part, i.lowest, i.highest) for i in items] == [
        ("MO", "dimension", 1, 5),
        ("SC", "dimension", 1, 5),
        ("UA", "dimension", 1, 5),
        ("PD", "dimension", 1, 5),
        ("AD", "dimension", 1, 5),
        ("VAS", "health_today", 0, 100),
    ]


def test_the_demo_wording_says_it_is_ours():
    for code in ("cancer-30", "health-profile-5d"):
        instrument = Instrument.current(code)
        assert instrument.version == "demo-1" and instrument.status == "published"
        assert "not the licensed questionnaire" in instrument.wording_source


def test_the_demo_wording_is_not_the_licensed_wording():
    """A few phrases of the licensed questionnaires, kept out of ours (their wording is loaded as data)."""
    text = " ".join(i.wording for i in Instrument.current("cancer-30").items.all()).lower()
    profile = " ".join(i.wording for i in Instrument.current("health-profile-5d").items.all()).lower()
    for phrase in ("heavy shopping bag", "during the past week", "quite a bit", "strenuous activities"):
        assert phrase not in text
    for phrase in ("i have no problems", "walking about", "best health you can imagine"):
        assert phrase not in profile
