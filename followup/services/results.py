"""Results coming back (typed in, a CSV, the API): matched to the patient's open test of that type,
reviewed by a CNS or clinician, then the patient told (ADR 0028). A result that matches nothing is
kept as unmatched and put on the receiving team's worklist: never dropped, never an error page."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from followup.models import PathwayStatus, Result, SurveillanceTest, TestStatus, TestType
from followup.services.history import change_pathway_status, change_test_status
from followup.working_days import add_working_days
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record
from portal.people import validators
from portal.people.models import Patient, Role
from portal.people.roles import role_in_use
from portal.worklist.models import Kind, Priority
from portal.worklist.services import close_for_source, raise_item

OPEN_TEST_STATUSES = (TestStatus.SCHEDULED, TestStatus.REQUESTED, TestStatus.MISSED)
# Reviewing a result is a clinical decision: the table lets support workers key results in, not review them.
REVIEWERS = (Role.CNS, Role.CLINICIAN)
SOURCE = "followup.result"


class DuplicateResult(ValueError):
    """This patient already has a result for this test code and sample date."""


def receiving_team(actor):
    team = policy.care_team_of(actor, RecordKind.TEST_RESULT, "change")
    if team is None:
        raise PermissionDenied("Your role may not record follow-up results")
    return team


def _link(result) -> str:
    return f"/follow-up/results/{result.pk}/"


def _find_test(actor, nhs_number, test_code, sample_date):
    """(patient, test, reason): the open test nearest the sample date, or why there is none. A patient
    the actor may not see is treated as unknown, so the answer says nothing about them."""
    patient = Patient.objects.visible_to(actor).filter(nhs_number=nhs_number).first()
    if patient is None:
        return None, None, "No patient with this NHS number on your team's caseload"
    if not TestType.objects.filter(code=test_code).exists():
        return patient, None, f"Unknown test code {test_code!r}"
    tests = SurveillanceTest.objects.changeable_by(actor).filter(
        pathway__patient=patient, test_type__code=test_code, results__isnull=True
    )
    candidates = list(tests.filter(status__in=OPEN_TEST_STATUSES))
    if not candidates:
        if tests.filter(status=TestStatus.CANCELLED).exists():
            return patient, None, f"The patient's {test_code} test was cancelled"
        return patient, None, f"The patient has no open {test_code} test"
    nearest = min(candidates, key=lambda t: (abs((t.due_date - sample_date).days), t.due_date))
    return patient, nearest, ""


def _clean_nhs_number(raw) -> str:
    return validators.normalise_nhs_number(str(raw or ""))


def _check_fields(nhs_number, test_code, sample_date, value, units):
    """What no result can be, whichever way it came: refused with every bad field named. (An NHS
    number that could be someone's but matches no one is kept, unmatched: that is not refused.)"""
    errors = {}
    if not nhs_number:
        errors["nhs_number"] = "Enter the NHS number"
    else:
        try:
            validators.validate_nhs_number(nhs_number)
        except ValidationError as error:
            errors["nhs_number"] = error.messages[0]
    if not test_code:
        errors["test_code"] = "Enter the test code"
    if sample_date and sample_date > timezone.localdate():
        errors["sample_date"] = "Sample date must be today or in the past"
    try:
        if value not in (None, "") and Decimal(str(value)) < 0:
            errors["value"] = "Value cannot be negative"
    except InvalidOperation:
        errors["value"] = "Value must be a number"
    if len(units or "") > Result._meta.get_field("units").max_length:
        errors["units"] = f"Units must be {Result._meta.get_field('units').max_length} characters or fewer"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_result(
    *,
    actor,
    nhs_number,
    test_code,
    sample_date: datetime.date,
    source,
    value=None,
    units="",
    abnormal=None,
    report_text="",
) -> Result:
    """Save a result and match it to a test; unmatched ones go on the receiving team's worklist.
    Raises DuplicateResult for a second result of the same sample."""
    team = receiving_team(actor)
    nhs_number, test_code = _clean_nhs_number(nhs_number), str(test_code or "").strip().upper()
    _check_fields(nhs_number, test_code, sample_date, value, units)
    # One per sample for the receiving team: another team sending the same sample learns nothing
    # of this one (for them the patient is unknown, ADR 0028); theirs is kept as their own.
    same = Result.objects.filter(nhs_number=nhs_number, test_code=test_code, sample_date=sample_date)
    if same.filter(received_by_team=team).exists():
        raise DuplicateResult(f"A {test_code} result for this NHS number and sample date {sample_date} is already here")
    patient, test, reason = _find_test(actor, nhs_number, test_code, sample_date)
    result = Result(
        test=test,
        patient=patient,
        nhs_number=nhs_number,
        test_code=test_code,
        sample_date=sample_date,
        value=value,
        units=units or "",
        abnormal=abnormal,
        report_text=report_text or "",
        source=source,
        recorded_by=actor,
        unmatched_reason=reason,
        received_by_team=team,
    )
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError as error:  # two uploads of one sample at once: the unique index decides
        raise DuplicateResult(f"A {test_code} result for this NHS number and sample date is already here") from error
    record(Action.CREATE, actor=actor, patient=patient, obj=result)
    if test is not None:
        _on_matched(actor, result, test)
    else:
        # On the receiving team's worklist, with or without a patient (an NHS number that matched
        # no one: ADR 0032); the unmatched list, scoped to that team, is where it is matched.
        raise_item(
            kind=Kind.UNMATCHED_RESULT,
            patient=patient,
            team=team,
            source_type=SOURCE,
            source_id=result.pk,
            title=f"{test_code} result not matched: {reason}",
            priority=Priority.HIGH,
            link="/follow-up/results/unmatched/",
            actor=actor,
        )
    return result


def _on_matched(actor, result, test):
    change_test_status(
        test, TestStatus.RESULTED, actor=actor, reason=f"Result received ({result.get_source_display()})"
    )
    raise_item(
        kind=Kind.RESULT_TO_REVIEW,
        patient=result.patient,
        team=test.pathway.team,
        source_type=SOURCE,
        source_id=result.pk,
        title=f"Review {result.test_code} result ({result.sample_date:%-d %B %Y})",
        priority=Priority.HIGH if result.abnormal else Priority.ROUTINE,
        due_by=add_working_days(timezone.localdate(), settings.FOLLOWUP_REVIEW_WORKING_DAYS),
        link=_link(result),
        actor=actor,
    )


def unmatched_for(actor):
    """Unmatched results the actor's team may match: their patients', and those no patient matched
    that their team received."""
    team = policy.care_team_of(actor, RecordKind.TEST_RESULT, "change")
    if team is None:
        return Result.objects.none()
    mine = Result.objects.changeable_by(actor).filter(test__isnull=True).values("pk")
    return Result.objects.filter(test__isnull=True).filter(pk__in=mine) | Result.objects.filter(
        test__isnull=True, patient__isnull=True, received_by_team=team
    )


@transaction.atomic
def match_result(actor, result, test) -> Result:
    """Staff match an unmatched result to an open test (a mistyped NHS number or test code)."""
    result = Result.objects.select_for_update().get(pk=result.pk)
    if not unmatched_for(actor).filter(pk=result.pk).exists():
        raise PermissionDenied("Your role may not match this result")
    policy.require(actor, test, "change")
    if test.status not in OPEN_TEST_STATUSES or test.results.exists():
        raise ValidationError({"test": f"This test is {test.get_status_display().lower()}; choose an open test"})
    result.test, result.patient, result.unmatched_reason = test, test.pathway.patient, ""
    result.save(update_fields=["test", "patient", "unmatched_reason", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=result.patient, obj=result)
    close_for_source(kind=Kind.UNMATCHED_RESULT, source_type=SOURCE, source_id=result.pk, actor=actor)
    _on_matched(actor, result, test)
    return result


@transaction.atomic
def review(actor, result, note="") -> Result:
    """A CNS or clinician reviews a matched result; an abnormal one suspends the pathway and asks
    for a clinic appointment, urgently."""
    policy.require(actor, result, "change")
    role = role_in_use(actor)
    if role is None or role.role not in REVIEWERS:
        raise PermissionDenied("Only a CNS or clinician may review a result")
    result = Result.objects.select_for_update(of=("self",)).select_related("test__pathway__team").get(pk=result.pk)
    if result.test is None:
        raise ValidationError("Match this result to a test before reviewing it")
    if result.reviewed_at is not None:
        raise ValidationError("This result has already been reviewed")
    result.reviewed_at, result.reviewed_by, result.review_note = timezone.now(), actor, note or ""
    result.save(update_fields=["reviewed_at", "reviewed_by", "review_note", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=result.patient, obj=result)
    change_test_status(result.test, TestStatus.REVIEWED, actor=actor, reason=note or "Reviewed")
    close_for_source(kind=Kind.RESULT_TO_REVIEW, source_type=SOURCE, source_id=result.pk, actor=actor)
    pathway = result.test.pathway
    if result.abnormal:
        if pathway.status == PathwayStatus.ACTIVE:
            change_pathway_status(
                pathway, PathwayStatus.SUSPENDED, actor=actor, reason=f"Abnormal {result.test_code} result"
            )
        raise_item(
            kind=Kind.ABNORMAL_RESULT,
            patient=result.patient,
            team=pathway.team,
            source_type=SOURCE,
            source_id=result.pk,
            title=f"Abnormal {result.test_code} result: book a clinic appointment",
            priority=Priority.URGENT,
            due_by=add_working_days(timezone.localdate(), 1),
            link=_link(result),
            actor=actor,
        )
    raise_item(
        kind=Kind.RESULT_TO_TELL,
        patient=result.patient,
        team=pathway.team,
        source_type=SOURCE,
        source_id=result.pk,
        title=f"Tell the patient their {result.test_code} result",
        due_by=add_working_days(timezone.localdate(), settings.FOLLOWUP_TELL_WORKING_DAYS),
        link=_link(result),
        actor=actor,
    )
    return result


@transaction.atomic
def tell(actor, result, how) -> Result:
    """The patient has been told the result (how, and now): only after review."""
    policy.require(actor, result, "change")
    if how not in Result.ToldHow.values:
        raise ValidationError({"how": "Choose how the patient was told"})
    result = Result.objects.select_for_update(of=("self",)).select_related("test").get(pk=result.pk)
    if result.reviewed_at is None:
        raise ValidationError("A result is reviewed before the patient is told it")
    if result.told_at is not None:
        raise ValidationError("The patient has already been told this result")
    result.told_at, result.told_by, result.told_how = timezone.now(), actor, how
    result.save(update_fields=["told_at", "told_by", "told_how", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=result.patient, obj=result)
    change_test_status(result.test, TestStatus.TOLD, actor=actor, reason=f"Told by {result.get_told_how_display()}")
    close_for_source(kind=Kind.RESULT_TO_TELL, source_type=SOURCE, source_id=result.pk, actor=actor)
    return result
