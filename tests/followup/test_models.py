import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from followup.models import Pathway, PathwayStatus, ProtocolStep, ProtocolVersion, Result, TestType
from tests.followup.factories import make_pathway

pytestmark = pytest.mark.django_db
D = datetime.date


def _step(**fields):
    version = ProtocolVersion.objects.get(protocol__slug="breast-default", status="published")
    values = {"start_months": 12, "every_months": 12, "until_months": 24, **fields}
    return ProtocolStep(version=version, test_type=TestType.objects.get(code="MAMMOGRAM"), **values)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"every_months": 0}, "protocolstep_every_positive"),
        ({"start_months": 24, "until_months": 12}, "protocolstep_until_not_before_start"),
    ],
)
def test_a_bad_interval_is_refused_by_the_database(fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        _step(**fields).save()


def test_a_negative_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        _step(start_months=-1).save()


def test_clean_names_the_field():
    with pytest.raises(ValidationError) as caught:
        _step(every_months=0, start_months=24, until_months=12).clean()
    assert set(caught.value.message_dict) == {"every_months", "until_months"}
    assert "Until (months)" in caught.value.message_dict["until_months"][0]
    _step().clean()  # a good step is accepted


def test_one_draft_and_one_published_version_per_protocol():
    version = ProtocolVersion.objects.get(protocol__slug="breast-default", status="published")
    with pytest.raises(IntegrityError, match="protocolversion_one_published"), transaction.atomic():
        ProtocolVersion.objects.create(protocol=version.protocol, number=2, status="published")
    ProtocolVersion.objects.create(protocol=version.protocol, number=2, status="draft")
    with pytest.raises(IntegrityError, match="protocolversion_one_draft"), transaction.atomic():
        ProtocolVersion.objects.create(protocol=version.protocol, number=3, status="draft")
    with pytest.raises(IntegrityError, match="protocolversion_number_unique"), transaction.atomic():
        ProtocolVersion.objects.create(protocol=version.protocol, number=2, status="retired")


def test_one_open_pathway_per_patient_and_team():
    first = make_pathway()
    with pytest.raises(IntegrityError, match="pathway_one_open_per_patient_team"), transaction.atomic():
        make_pathway(patient=first.patient, team=first.team)
    Pathway.objects.filter(pk=first.pk).update(status=PathwayStatus.DISCHARGED)
    assert make_pathway(patient=first.patient, team=first.team).status == PathwayStatus.ACTIVE


def test_pifu_window_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError, match="pathway_pifu_end_not_before_start"), transaction.atomic():
        make_pathway(pifu_start=D(2026, 2, 1), pifu_end=D(2026, 1, 31))


def _result(**fields):
    values = {"nhs_number": "9434765919", "test_code": "CEA", "sample_date": D(2026, 7, 30), "source": "keyed"}
    return Result.objects.create(**{**values, **fields})


def test_a_duplicate_sample_is_refused():
    from tests.factories import CareTeamFactory

    team = CareTeamFactory()
    _result(received_by_team=team)
    with pytest.raises(IntegrityError, match="result_duplicate_sample"), transaction.atomic():
        _result(received_by_team=team, value=3)
    _result(received_by_team=team, sample_date=D(2026, 7, 31))  # another day's sample is a new result
    _result(received_by_team=CareTeamFactory())  # another team's copy is its own (ADR 0028)


def test_the_patient_cannot_be_told_before_the_result_is_reviewed():
    with pytest.raises(IntegrityError, match="told_after_review"), transaction.atomic():
        _result(told_at=timezone.now())
    now = timezone.now()
    assert _result(reviewed_at=now, told_at=now).told_at == now


def test_one_result_per_test():
    test = make_pathway().tests.first()
    _result(test=test)
    with pytest.raises(IntegrityError, match="result_one_per_test"), transaction.atomic():
        _result(test=test, sample_date=D(2026, 8, 1))
    _result(sample_date=D(2026, 8, 2))  # unmatched results are many


def test_released_results_are_the_told_ones():
    now = timezone.now()
    told = _result(reviewed_at=now, told_at=now)
    _result(sample_date=D(2026, 8, 1), reviewed_at=now)
    assert list(Result.objects.filter(Result.objects.none().released())) == [told]
