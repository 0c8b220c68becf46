"""Licensed wording loaded as a new instrument version: structure copied, every problem named."""

import json

import pytest
from django.core.management import CommandError, call_command

from qol_survey.models import Instrument
from qol_survey.services import scoring
from qol_survey.services.wording import WordingFileError, load


def licensed_file(**changes):
    base = Instrument.current("cancer-30")
    items = {
        item.code: {"wording": f"Licensed {item.code}", "answer_labels": item.answer_labels}
        for item in base.items.all()
    }
    return {
        "instrument": "cancer-30",
        "version": "licensed-3.0",
        "source": "Licence 123 (test)",
        "items": items,
    } | changes


def test_a_full_file_becomes_the_version_in_use_with_the_same_scales():
    before = Instrument.current("cancer-30")
    made = load(licensed_file())
    assert Instrument.current("cancer-30") == made and made.pk != before.pk
    assert made.items.get(code="q1").wording == "Licensed q1" and made.items.count() == 30
    copied = {s.code: sorted(i.code for i in s.items.all()) for s in made.scales.all()}
    assert copied == {s.code: sorted(i.code for i in s.items.all()) for s in before.scales.all()}
    assert before.items.get(code="q1").wording != "Licensed q1"  # the demo version is left as it was


def test_every_problem_is_named_and_nothing_is_loaded():
    data = licensed_file()
    del data["items"]["q7"]
    data["items"]["q31"] = {"wording": "Extra"}
    data["items"]["q29"]["answer_labels"] = ["1", "7"]
    data["items"]["q3"] = {"wording": " "}
    count = Instrument.objects.count()
    with pytest.raises(WordingFileError) as refused:
        load(data)
    message = str(refused.value)
    assert "missing items: q7" in message and "does not have: q31" in message
    assert "q29: 7 answer labels wanted, not 2" in message and "q3: no wording" in message
    assert Instrument.objects.count() == count


def test_the_command_loads_a_draft_and_refuses_a_second_load_of_the_version(tmp_path):
    path = tmp_path / "licensed.json"
    path.write_text(json.dumps(licensed_file()))
    call_command("qol_load_wording", str(path), "--draft")
    assert Instrument.current("cancer-30").version != "licensed-3.0"  # a draft is not used yet
    with pytest.raises(CommandError, match="loaded already"):
        call_command("qol_load_wording", str(path))
    path.write_text("{not json")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("qol_load_wording", str(path))


def test_scores_on_the_licensed_version_are_the_same():
    answers = {f"q{n}": 2 for n in range(1, 29)} | {"q29": 5, "q30": 6}
    demo = scoring.score_cancer_30(answers, scoring.definition("cancer-30"))
    made = load(licensed_file())
    assert scoring.definition("cancer-30").version == made.version
    assert scoring.score_cancer_30(answers, scoring.definition("cancer-30")) == demo
