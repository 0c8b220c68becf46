"""Scoring against hand-computed examples (the arithmetic is written out beside each expected score,
not recomputed by the formula under test)."""

from decimal import Decimal

import pytest

from qol_survey.services import scoring

# One full response. Scale: items -> answers -> raw score (RS) -> score.
FULL = {
    **{"q1": 1, "q2": 2, "q3": 1, "q4": 1, "q5": 1},  # PF: RS 6/5 = 1.2; (1 - 0.2/3) x 100 = 93.33
    **{"q6": 2, "q7": 2},  # RF: RS 2; (1 - 1/3) x 100 = 66.67
    **{"q21": 2, "q22": 3, "q23": 1, "q24": 2},  # EF: RS 8/4 = 2; 66.67
    **{"q20": 1, "q25": 1},  # CF: RS 1; 100
    **{"q26": 4, "q27": 4},  # SF: RS 4; (1 - 3/3) x 100 = 0
    **{"q10": 2, "q12": 3, "q18": 4},  # FA: RS 3; (2/3) x 100 = 66.67
    **{"q14": 1, "q15": 1},  # NV: RS 1; 0
    **{"q9": 3, "q19": 2},  # PA: RS 2.5; (1.5/3) x 100 = 50
    "q8": 4,  # DY: (3/3) x 100 = 100
    "q11": 2,  # SL: 33.33
    "q13": 1,  # AP: 0
    "q16": 3,  # CO: 66.67
    "q17": 1,  # DI: 0
    "q28": 2,  # FI: 33.33
    **{"q29": 5, "q30": 4},  # QL: RS 4.5; (3.5/6) x 100 = 58.33
}
FULL_SCORES = {
    "QL": 58.3333,
    "PF": 93.3333,
    "RF": 66.6667,
    "EF": 66.6667,
    "CF": 100.0,
    "SF": 0.0,
    "FA": 66.6667,
    "NV": 0.0,
    "PA": 50.0,
    "DY": 100.0,
    "SL": 33.3333,
    "AP": 0.0,
    "CO": 66.6667,
    "DI": 0.0,
    "FI": 33.3333,
}


@pytest.fixture
def cancer_30():
    return scoring.definition("cancer-30")


@pytest.fixture
def profile():
    return scoring.definition("health-profile-5d")


def test_a_full_response_scores_every_scale(cancer_30):
    scores = scoring.score_cancer_30(FULL, cancer_30)
    assert list(scores) == list(FULL_SCORES)  # the published order, QL first
    assert scores == {code: pytest.approx(value, abs=1e-4) for code, value in FULL_SCORES.items()}


def test_scores_keep_full_precision(cancer_30):
    scores = scoring.score_cancer_30(FULL, cancer_30)
    assert scores["PF"] != round(scores["PF"], 2)  # 93.333...: rounding is for display only


def test_the_half_rule_for_missing_items(cancer_30):
    answers = {
        "q1": 2, "q2": 3, "q4": 4,  # PF, 3 of 5: RS 9/3 = 3; (1 - 2/3) x 100 = 33.33
        "q20": 3,  # CF, 1 of 2: RS 3; (1 - 2/3) x 100 = 33.33
        "q21": 4, "q22": 4,  # EF, 2 of 4: RS 4; 0
        "q10": 4,  # FA, 1 of 3: fewer than half, None
        "q29": 7,  # QL, 1 of 2: (6/6) x 100 = 100
        "q9": None,  # PA: null is unanswered, as is absent
    }  # fmt: skip
    scores = scoring.score_cancer_30(answers, cancer_30)
    assert scores["PF"] == pytest.approx(33.3333, abs=1e-4)
    assert scores["CF"] == pytest.approx(33.3333, abs=1e-4)
    assert scores["EF"] == 0.0
    assert scores["QL"] == 100.0
    assert scores["FA"] is None
    assert scores["DY"] is None  # 0 of 1
    assert scores["PA"] is None
    assert scores["RF"] is None


def test_an_empty_response_scores_nothing(cancer_30):
    assert set(scoring.score_cancer_30({}, cancer_30).values()) == {None}


@pytest.mark.parametrize(
    "answers, item, says",
    [
        ({"q1": 5}, "q1", "outside 1 to 4"),
        ({"q1": 0}, "q1", "outside 1 to 4"),
        ({"q29": 8}, "q29", "outside 1 to 7"),
        ({"q3": 2.5}, "q3", "not a whole number"),
        ({"q3": "2"}, "q3", "not a whole number"),
        ({"q3": True}, "q3", "not a whole number"),
        ({"q31": 1}, "q31", "is not an item of cancer-30"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_item(cancer_30, answers, item, says):
    with pytest.raises(scoring.AnswerError) as caught:
        scoring.score_cancer_30({"q2": 1, **answers}, cancer_30)
    assert caught.value.item == item
    assert str(caught.value).startswith(f"item {item}: ")
    assert says in str(caught.value)


def test_a_seven_point_answer_is_out_of_range_on_a_four_point_item(cancer_30):
    with pytest.raises(scoring.AnswerError, match="item q28: answer 7 is outside 1 to 4"):
        scoring.score_cancer_30({"q28": 7}, cancer_30)


def test_the_profile_index_comes_from_the_value_set(profile):
    # Demo value set: 1 minus MO level 2 (0.04), SC 1 (0), UA 3 (0.06), PD 4 (0.25), AD 5 (0.29) = 0.36
    result = scoring.score_profile({"MO": 2, "SC": 1, "UA": 3, "PD": 4, "AD": 5, "VAS": 55}, profile)
    assert (result.state, result.index, result.health_today) == ("21345", Decimal("0.36"), 55)
    worst = scoring.score_profile({"MO": 5, "SC": 5, "UA": 5, "PD": 5, "AD": 5}, profile)
    assert (worst.index, worst.health_today) == (Decimal("-0.25"), None)  # 1 - 1.25
    assert scoring.score_profile({"MO": 1, "SC": 1, "UA": 1, "PD": 1, "AD": 1}, profile).index == Decimal("1")


def test_the_profile_has_no_index_with_a_dimension_missing(profile):
    result = scoring.score_profile({"MO": 1, "SC": 1, "UA": 1, "PD": 1, "VAS": 80}, profile)
    assert (result.state, result.index, result.health_today) == (None, None, 80)


@pytest.mark.parametrize(
    "answers, says", [({"MO": 6}, "item MO: answer 6 is outside 1 to 5"), ({"VAS": 101}, "item VAS: answer 101")]
)
def test_the_profile_refuses_answers_out_of_range(profile, answers, says):
    with pytest.raises(scoring.AnswerError, match=says):
        scoring.score_profile(answers, profile)


def test_an_instrument_not_loaded_is_a_clear_error():
    with pytest.raises(scoring.NotLoaded, match="no published instrument 'cancer-31'"):
        scoring.definition("cancer-31")
