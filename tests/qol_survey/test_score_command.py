"""`manage.py qol_score`: JSON responses on standard input, scale scores as JSON on the last line."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qol_survey import demo_instruments, demo_value_set
from tests.portal.test_settings import ROOT
from tests.workers import database_url_for

SCALES = ["QL", "PF", "RF", "EF", "CF", "SF", "FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI", "FI"]
ALL_ONES = {f"q{n}": 1 for n in range(1, 31)}  # no trouble at all, and the worst health and life (1 of 7)


def run(stdin: str, instrument="cancer-30") -> list:
    out = io.StringIO()
    call_command("qol_score", "--instrument", instrument, stdin=io.StringIO(stdin), stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_each_response_gets_its_scales_in_order():
    partial = {"q1": 2, "q2": 3, "q4": 4, "q20": 3, "q10": 4}
    first, second = run(json.dumps([ALL_ONES, partial]))
    assert list(first) == SCALES
    # All ones: functional scales (1 - 0/3) x 100 = 100, symptoms 0, global health 0.
    assert first == {**dict.fromkeys(SCALES, 0.0), **dict.fromkeys(["PF", "RF", "EF", "CF", "SF"], 100.0)}
    # PF 3 of 5 answered, RS 3: 33.33; CF 1 of 2, RS 3: 33.33; FA 1 of 3: null; the rest unanswered: null.
    assert second["PF"] == pytest.approx(33.3333, abs=1e-4)
    assert second["CF"] == pytest.approx(33.3333, abs=1e-4)
    assert {code for code, value in second.items() if value is None} == set(SCALES) - {"PF", "CF"}


def test_an_empty_list_scores_nothing():
    assert run("[]") == []


def test_the_profile_can_be_scored_too():
    # Demo value set: 1 - (0.04 + 0 + 0.06 + 0.25 + 0.29) = 0.36
    [result] = run(json.dumps([{"MO": 2, "SC": 1, "UA": 3, "PD": 4, "AD": 5, "VAS": 70}]), "health-profile-5d")
    assert result == {"state": "21345", "index": 0.36, "health_today": 70}


@pytest.mark.parametrize(
    "stdin, says",
    [
        ("not json", "standard input is not JSON"),
        ('{"q1": 1}', "must be a JSON list of responses"),
        ('[{"q1": 1}, 3]', "response 1: must be an object"),
        ('[{"q1": 1}, {"q2": 9}]', "response 1, item q2: answer 9 is outside 1 to 4"),
        ('[{"q99": 1}]', "response 0, item q99: is not an item of cancer-30"),
        ('[{"q30": "7"}]', "response 0, item q30: answer '7' is not a whole number from 1 to 7"),
    ],
)
def test_bad_input_is_named(stdin, says):
    with pytest.raises(CommandError, match=says):
        run(stdin)


def test_an_unknown_instrument_is_named():
    with pytest.raises(CommandError, match="no published instrument 'cancer-31'"):
        run("[]", "cancer-31")


def _command(stdin: str):
    env = {**os.environ, "DATABASE_URL": database_url_for(connection.settings_dict)}
    command = [sys.executable, "manage.py", "qol_score", "--instrument", "cancer-30"]
    return subprocess.run(command, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.mark.django_db(transaction=True)
def test_run_as_a_real_command():
    demo_instruments.ensure_loaded()  # committed, so the other process sees them
    demo_value_set.ensure_loaded()
    done = _command(json.dumps([ALL_ONES]))
    assert done.returncode == 0, done.stderr
    [scores] = json.loads(done.stdout.strip().splitlines()[-1])
    assert scores["PF"] == 100.0 and scores["QL"] == 0.0

    refused = _command('[{"q1": 1}, {"q5": 0}]')
    assert refused.returncode != 0
    assert "response 1, item q5: answer 0 is outside 1 to 4" in refused.stderr
    assert refused.stdout == ""
