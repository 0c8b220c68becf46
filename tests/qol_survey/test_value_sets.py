"""Loading a value set: the whole file checked first, every problem named, nothing half-loaded."""

import pytest
from django.core.management import CommandError, call_command

from qol_survey.demo_value_set import DEMO_NAME, demo_csv, demo_rows
from qol_survey.models import ValueSet, ValueSetRow
from tests.conftest import give_totp
from tests.factories import UserFactory


def write(tmp_path, lines, name="national.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def rows_except(*left_out):
    return [f"{state},{index}" for state, index in demo_rows() if state not in left_out]


def test_the_demo_value_set_is_loaded_and_labelled():
    value_set = ValueSet.objects.get(name=DEMO_NAME)
    assert value_set.is_demo and "DEMO" in str(value_set)
    assert value_set.rows.count() == 3125


def test_a_complete_file_loads(tmp_path):
    path = write(tmp_path, ["state,index", *rows_except()])
    call_command("qol_load_value_set", str(path), "--name", "Test national set")
    value_set = ValueSet.objects.get(name="Test national set")
    assert value_set.rows.count() == 3125
    assert str(value_set.rows.get(state="55555").index) == "-0.250000"
    assert ValueSet.current() == value_set  # the newest loaded scores from now on


def test_missing_and_duplicate_states_are_named_and_nothing_is_loaded(tmp_path):
    # Rows are on lines 2 to 3123 (3,122 of them); the repeated 11111 goes on line 3124.
    lines = ["state,index", *rows_except("12345", "54321", "33333"), "11111,0.5"]
    path = write(tmp_path, lines)
    before = ValueSetRow.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("qol_load_value_set", str(path), "--name", "Broken")
    message = str(caught.value)
    assert "nothing loaded" in message
    assert "missing 3 states: 12345, 33333, 54321" in message
    assert "duplicate: 11111 on lines 2, 3124" in message
    assert not ValueSet.objects.filter(name="Broken").exists()
    assert ValueSetRow.objects.count() == before


def test_many_missing_states_are_counted_not_all_listed(tmp_path):
    path = write(tmp_path, ["state,index", "11111,1"])
    with pytest.raises(CommandError, match=r"missing 3124 states: 11112, 11113, .*, and 3114 more"):
        call_command("qol_load_value_set", str(path))


@pytest.mark.parametrize(
    "bad, says",
    [
        ("11116,0.5", "line 3127: state '11116' is not five digits each 1 to 5"),
        ("1111,0.5", "line 3127: state '1111'"),
        ("11111,high", "line 3127: index 'high' for 11111 is not a number"),
        ("11111,1.5", "line 3127: index '1.5' for 11111"),
        ("11111,0.1234567", "index '0.1234567'"),
        ("11111,0.5,extra", "line 3127: expected 2 cells"),
    ],
)
def test_a_bad_line_is_named(tmp_path, bad, says):
    # The 3,125 good rows are on lines 2 to 3126; the bad one is line 3127.
    path = write(tmp_path, ["state,index", *rows_except(), bad])
    with pytest.raises(CommandError, match=says):
        call_command("qol_load_value_set", str(path))
    assert not ValueSet.objects.filter(name="national").exists()


def test_a_file_without_the_header_is_refused(tmp_path):
    path = write(tmp_path, rows_except())
    with pytest.raises(CommandError, match="the first line must be the header: state,index"):
        call_command("qol_load_value_set", str(path))


def test_a_name_already_loaded_is_refused(tmp_path):
    path = write(tmp_path, ["state,index", *rows_except()])
    with pytest.raises(CommandError, match="already loaded"):
        call_command("qol_load_value_set", str(path), "--name", DEMO_NAME)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("qol_load_value_set", str(tmp_path / "nowhere.csv"))


def test_the_demo_file_can_be_written_and_loaded(tmp_path):
    path = tmp_path / "demo.csv"
    call_command("qol_load_value_set", str(path), "--write-demo")
    assert path.read_text() == demo_csv()
    call_command("qol_load_value_set", str(path), "--name", "Demo again")
    assert ValueSet.objects.get(name="Demo again").rows.count() == 3125


def test_the_value_sets_show_in_admin(client):
    admin = UserFactory(email="service.admin@example.com", is_staff=True, is_superuser=True)
    give_totp(admin)
    client.force_login(admin)
    admin_client = client
    response = admin_client.get("/admin/qol_survey/valuesetrow/?q=55555")
    assert response.status_code == 200
    assert "-0.250000" in response.content.decode()
    assert admin_client.get("/admin/qol_survey/instrument/").status_code == 200
    assert admin_client.get("/admin/qol_survey/scale/").status_code == 200
