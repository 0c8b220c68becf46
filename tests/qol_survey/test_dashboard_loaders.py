"""Reference values from a file (ADR 0039): a good file becomes a new, current reference set; a bad
one is refused whole, each bad or duplicate row named."""

import pytest
from django.core.management import CommandError, call_command

from qol_survey.models import ReferenceSet
from qol_survey.services.dashboard_loaders import DataFileError, parse_reference

pytestmark = pytest.mark.django_db
HEADER = "instrument,measure,age_band,sex,mean\n"


def test_a_good_file_becomes_the_current_set(tmp_path):
    path = tmp_path / "norms.csv"
    path.write_text(
        HEADER + "cancer-30,QL,65-74,1,71.5\ncancer-30,QL,65-74,,70\nhealth-profile-5d,index,75+,2,0.7812\n"
    )
    call_command("qol_load_reference", str(path), "--name", "Published norms 2026")
    current = ReferenceSet.current()
    assert current.name == "Published norms 2026" and not current.is_demo
    values = {(v.measure, v.age_band, v.sex): float(v.mean) for v in current.values.all()}
    assert values == {("QL", "65-74", "1"): 71.5, ("QL", "65-74", ""): 70.0, ("index", "75+", "2"): 0.7812}


@pytest.mark.parametrize(
    ("row", "named"),
    [
        ("cancer-99,QL,65-74,1,70", "line 2: instrument 'cancer-99' is not"),
        ("cancer-30,XX,65-74,1,70", "line 2: measure 'XX' is not a measure of cancer-30"),
        ("cancer-30,QL,60-70,1,70", "line 2: age_band '60-70' is not one of 16-44"),
        ("cancer-30,QL,65-74,M,70", "line 2: sex 'M' is not 1 (male), 2 (female) or empty"),
        ("cancer-30,QL,65-74,1,101", "line 2: mean '101' for QL is not a number from 0 to 100"),
        ("health-profile-5d,index,65-74,1,1.5", "line 2: mean '1.5' for index is not a number from -1 to 1"),
        ("cancer-30,QL,65-74,1", "line 2: expected 5 cells"),
        ("cancer-30,QL,65-74,1,70\ncancer-30,QL,65-74,1,71", "duplicate: cancer-30 QL 65-74 1 is on lines 2, 3"),
    ],
)
def test_a_bad_row_is_named(row, named):
    with pytest.raises(DataFileError) as refused:
        parse_reference(HEADER + row + "\n")
    assert named in str(refused.value)


def test_the_command_loads_nothing_from_a_bad_file_or_a_name_used_before(tmp_path):
    before = ReferenceSet.objects.count()
    path = tmp_path / "norms.csv"
    path.write_text(HEADER + "cancer-30,QL,65-74,1,70\ncancer-30,PF,65-74,1,abc\n")
    with pytest.raises(CommandError, match="refused, nothing loaded: line 3: mean 'abc'"):
        call_command("qol_load_reference", str(path))
    path.write_text(HEADER + "cancer-30,QL,65-74,1,70\n")
    with pytest.raises(CommandError, match="is already loaded"):
        call_command("qol_load_reference", str(path), "--name", ReferenceSet.current().name)
    assert ReferenceSet.objects.count() == before
