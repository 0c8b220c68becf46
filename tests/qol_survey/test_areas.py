"""Deprivation by postcode (ADR 0039): the demo table covers the demo patients' postcodes; the
loader replaces the table with a good file and refuses a bad one whole, naming each bad row."""

import pytest
from django.core.management import CommandError, call_command

from portal.people.demo import PATIENT_COUNT
from qol_survey import demo_deprivation
from qol_survey.models import PostcodeDeprivation, postcode_key
from qol_survey.services.dashboard_loaders import DataFileError, parse_deprivation

pytestmark = pytest.mark.django_db


def test_postcodes_are_kept_without_spaces_in_capitals():
    assert postcode_key(" ls1 4ap ") == "LS14AP" == postcode_key("LS14AP")


def test_the_demo_table_covers_every_demo_postcode():
    demo_deprivation.ensure_loaded()
    codes = {f"LS{1 + i % 28} {1 + i % 9}{'ABDEFGHJ'[i % 8]}{'LNPQRSTU'[i % 8]}" for i in range(PATIENT_COUNT)}
    found = dict(
        PostcodeDeprivation.objects.filter(postcode__in=[postcode_key(c) for c in codes]).values_list(
            "postcode", "decile"
        )
    )
    assert len(found) == len(codes)
    assert set(found.values()) == set(range(1, 11))  # every decile has someone in the demo
    assert PostcodeDeprivation.objects.filter(is_demo=False).count() == 0


def test_a_good_file_replaces_the_table(tmp_path):
    demo_deprivation.ensure_loaded()
    path = tmp_path / "imd.csv"
    path.write_text("postcode,decile\nLS1 4AP,2\nls2 9jt,10\n\n")
    call_command("qol_load_deprivation", str(path))
    assert dict(PostcodeDeprivation.objects.values_list("postcode", "decile")) == {"LS14AP": 2, "LS29JT": 10}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("postcode,decile\nLS1 4AP,0\n", "line 2: decile '0' for LS1 4AP is not a whole number from 1 to 10"),
        ("postcode,decile\nLS1 4AP,2.5\n", "line 2: decile '2.5'"),
        ("postcode,decile\nNOT A CODE,3\n", "line 2: postcode 'NOT A CODE' is not a UK postcode"),
        ("postcode,decile\nLS1 4AP,3,x\n", "line 2: expected 2 cells"),
        ("postcode,decile\nLS1 4AP,3\nLS2 9JT,4\nls14ap,5\n", "duplicate postcode: LS14AP is on lines 2, 4"),
        ("code,imd\nLS1 4AP,3\n", "the first line must be the header: postcode,decile"),
        ("postcode,decile\n", "the file has no postcodes"),
    ],
)
def test_a_bad_file_is_refused_naming_the_row(text, named):
    with pytest.raises(DataFileError) as refused:
        parse_deprivation(text)
    assert named in str(refused.value)


def test_the_command_loads_nothing_from_a_bad_file(tmp_path):
    demo_deprivation.ensure_loaded()
    before = PostcodeDeprivation.objects.count()
    path = tmp_path / "imd.csv"
    path.write_text("postcode,decile\nLS1 4AP,2\nLS2 9JT,11\n")
    with pytest.raises(CommandError, match="refused, nothing loaded: line 3: decile '11'"):
        call_command("qol_load_deprivation", str(path))
    assert PostcodeDeprivation.objects.count() == before and not PostcodeDeprivation.objects.filter(is_demo=False)
