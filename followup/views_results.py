"""Staff pages for results (ADR 0028): the review queue, one result at a time (review and tell the
patient in one submit, then the next result), typing a result in, a CSV upload, and unmatched
results with a match form. The care team's pages only: anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render

from followup.forms_results import NOT_YET, KeyInForm, MatchForm, ReviewForm, TellForm, UploadForm
from followup.models import Result, SurveillanceTest
from followup.services import results, results_csv
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.services import audit_view, audit_view_many
from portal.people.roles import role_in_use

QUEUE = "/follow-up/results/"


def _team(request):
    team = policy.care_team_of(request.user, RecordKind.TEST_RESULT, "read")
    if team is None:
        raise Http404("Only the care team can use results pages")
    return team


def _matched(request, team):
    return (
        Result.objects.visible_to(request.user)
        .filter(test__pathway__team=team)
        .select_related("patient", "test__test_type")
        .order_by(F("abnormal").desc(nulls_last=True), "received_at", "id")
    )


def to_review(request, team):
    return _matched(request, team).filter(reviewed_at__isnull=True)


def to_tell(request, team):
    return _matched(request, team).filter(reviewed_at__isnull=False, told_at__isnull=True)


def _next(request, team) -> str:
    """The next result to review, else the next to tell, else the queue page."""
    following = to_review(request, team).first() or to_tell(request, team).first()
    return f"{QUEUE}{following.pk}/" if following else QUEUE


def _may_review(user) -> bool:
    role = role_in_use(user)
    return role is not None and role.role in results.REVIEWERS


@login_required
def queue(request):
    team = _team(request)
    review_rows, tell_rows = list(to_review(request, team)[:100]), list(to_tell(request, team)[:100])
    audit_view_many(request, [(r.patient, r) for r in [*review_rows, *tell_rows]])
    context = {
        "page_title": "Results",
        "team": team,
        "review_rows": review_rows,
        "tell_rows": tell_rows,
        "unmatched": results.unmatched_for(request.user).count(),
    }
    return render(request, "followup/results/queue.jinja", context)


@login_required
def result_page(request, result_id):
    team = _team(request)
    result = get_visible_or_404(Result, request.user, pk=result_id, test__isnull=False)
    reviewing = result.reviewed_at is None
    form_class = ReviewForm if reviewing else TellForm
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid() and result.told_at is None:
        try:
            if reviewing:
                results.review(request.user, result, form.cleaned_data["note"])
                how = form.cleaned_data["tell_by"]
                if how != NOT_YET:
                    results.tell(request.user, result, how)
                done = "Reviewed" + (f"; patient told by {Result.ToldHow(how).label.lower()}" if how else "")
            else:
                results.tell(request.user, result, form.cleaned_data["how"])
                done = "Patient told"
        except (PermissionDenied, ValidationError) as error:
            messages.warning(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(f"{QUEUE}{result.pk}/")
        messages.success(request, f"{done}: {result.test_code} result for {result.patient.full_name}")
        return redirect(_next(request, team))
    audit_view(request, result.patient, result)
    context = {
        "page_title": f"{result.test_code} result",
        "result": result,
        "test": result.test,
        "form": form if result.told_at is None and (not reviewing or _may_review(request.user)) else None,
        "reviewing": reviewing,
        "waiting": to_review(request, team).exclude(pk=result.pk).count(),
    }
    return render(request, "followup/results/result.jinja", context)


@login_required
def key_in(request):
    _team(request)
    form = KeyInForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            result = results.record_result(actor=request.user, source=Result.Source.KEYED, **form.service_kwargs())
        except results.DuplicateResult as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            if result.test_id:
                messages.success(request, f"Recorded and matched to the {result.test}")
                return redirect(f"{QUEUE}{result.pk}/")
            messages.warning(request, f"Recorded, but not matched: {result.unmatched_reason}")
            return redirect(f"{QUEUE}unmatched/")
    context = {"page_title": "Type in a result", "form": form, "submit_text": "Save result"}
    return render(request, "followup/results/key_in.jinja", context)


@login_required
def upload(request):
    _team(request)
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    report = None
    if form.is_bound and form.is_valid():
        try:
            report = results_csv.upload(request.user, form.cleaned_data["file"].read())
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("file", error.messages))
    context = {"page_title": "Upload results", "form": form, "report": report}
    return render(request, "followup/results/upload.jinja", context)


@login_required
def unmatched(request):
    _team(request)
    rows = list(results.unmatched_for(request.user).select_related("patient").order_by("received_at", "id")[:200])
    audit_view_many(request, [(r.patient, r) for r in rows if r.patient])
    return render(request, "followup/results/unmatched.jinja", {"page_title": "Unmatched results", "rows": rows})


def _candidates(user, team, result):
    tests = SurveillanceTest.objects.changeable_by(user).filter(
        pathway__team=team, status__in=results.OPEN_TEST_STATUSES, results__isnull=True
    )
    # The patient's own tests when we know the patient; else every open test of that type.
    tests = (
        tests.filter(pathway__patient=result.patient)
        if result.patient
        else tests.filter(test_type__code=result.test_code)
    )
    return list(tests.select_related("pathway__patient", "test_type").order_by("due_date", "id")[:200])


@login_required
def match(request, unmatched_id):
    team = _team(request)
    result = results.unmatched_for(request.user).filter(pk=unmatched_id).first()
    if result is None:
        raise Http404("No unmatched result here")
    form = MatchForm(request.POST if request.method == "POST" else None, tests=_candidates(request.user, team, result))
    if form.is_bound and form.is_valid():
        try:
            results.match_result(request.user, result, form.cleaned_data["test"])
        except ValidationError as error:
            form.add_error("test", error.messages)
        else:
            messages.success(request, f"Matched to the {form.cleaned_data['test']}")
            return redirect(f"{QUEUE}{result.pk}/")
    if result.patient:
        audit_view(request, result.patient, result)
    context = {"page_title": "Match a result", "result": result, "form": form, "submit_text": "Match result"}
    return render(request, "followup/results/match.jinja", context)
