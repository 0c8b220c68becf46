import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from followup.models import Result, TestStatus
from followup.services.results_csv import upload
from portal.people.models import Role
from tests.followup.results_helpers import (
    after_the_samples,  # noqa: F401 - autouse: the clock after the samples
    colorectal_pathway,
    staff,
)

pytestmark = pytest.mark.django_db
HEADER = "nhs_number,test_code,sample_date,value,units,abnormal,report_text\n"


def test_good_rows_are_kept_and_each_bad_row_named_by_line_and_reason():
    pathway = colorectal_pathway()
    n = pathway.patient.nhs_number
    content = HEADER + (
        f"{n},CEA,2026-07-20,2.1,ug/L,no,\n"  # line 2: matched
        f"{n},CEA,20/07/2026,2.1,ug/L,no,\n"  # line 3: the same sample again
        f"{n},CEA,2026-13-01,2.1,ug/L,no,\n"  # line 4: no such date
        f"{n},CEA,2027-01-15,lots,ug/L,no,\n"  # line 5: not a number
        f"{n},CEA,2027-01-15,3,ug/L,maybe,\n"  # line 6
        f",CEA,2027-01-15,3,ug/L,,\n"  # line 7
        f"{n},CT_CAP,2027-01-20,,,yes,Liver lesion\n"  # line 8: matched, abnormal
        f"9434765919,CEA,2027-01-15,3,ug/L,,\n"  # line 9: kept, unmatched
    )
    report = upload(staff(pathway.team), content.encode())
    assert [(line, reason.split(" ")[0]) for line, reason in report.errors] == [
        (3, "A"),
        (4, "sample_date"),
        (5, "value"),
        (6, "abnormal"),
        (7, "nhs_number"),
    ]
    assert "already here" in report.errors[0][1]
    assert len(report.saved) == 3 and len(report.unmatched) == 1
    ct = Result.objects.get(test_code="CT_CAP")
    assert (ct.abnormal, ct.report_text, ct.source, ct.test.status) == (
        True,
        "Liver lesion",
        "csv",
        TestStatus.RESULTED,
    )
    assert Result.objects.count() == 3


def test_a_file_without_the_header_is_refused_whole():
    pathway = colorectal_pathway()
    with pytest.raises(ValidationError) as error:
        upload(staff(pathway.team), f"{pathway.patient.nhs_number},CEA,2026-07-20\n")
    assert "missing" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError, match="UTF-8"):
        upload(staff(pathway.team), b"\xff\xfe" + HEADER.encode("utf-16-le"))
    assert not Result.objects.exists()


def test_someone_without_a_team_is_refused_before_any_row():
    pathway = colorectal_pathway()
    with pytest.raises(PermissionDenied):
        upload(staff(pathway.team, role=Role.GP), HEADER + f"{pathway.patient.nhs_number},CEA,2026-07-20,,,,\n")
    assert not Result.objects.exists()


def test_a_nul_character_in_a_cell_is_that_row_named_not_a_server_error():
    # PostgreSQL refuses NUL in text; the row used to reach the insert and fail the whole upload.
    pathway = colorectal_pathway()
    n = pathway.patient.nhs_number
    content = HEADER + f"{n},CEA,2026-07-20,2.1,ug/L,no,Fine\n{n},CT_CAP,2026-07-21,,,no,Bad\x00text\n"
    report = upload(staff(pathway.team), content.encode())
    assert report.errors == [(3, "report_text has a NUL character; save the file again as CSV UTF-8")]
    assert [result.test_code for result in report.saved] == ["CEA"]
    assert Result.objects.count() == 1


def test_a_row_with_more_cells_than_columns_or_long_units_is_named_not_cut_short():
    pathway = colorectal_pathway()
    n = pathway.patient.nhs_number
    content = HEADER + f"{n},CEA,2026-07-20,2.1,ug/L,no,Fine,extra\n{n},CT_CAP,2026-07-21,1,{'u' * 21},no,\n"
    report = upload(staff(pathway.team), content)
    assert report.saved == []
    [(line2, extra), (line3, units)] = report.errors
    assert (line2, line3) == (2, 3)
    assert "more cells than the 7 columns" in extra and "Units must be 20 characters or fewer" in units
