"""Staff follow-up pages that read: the team caseload and a patient's follow-up timeline. The
caseload is the care team's; the timeline is for whoever the policy table lets read the pathway
(the GP practice read-only); anyone else gets 404."""

from itertools import chain

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from followup.models import Pathway, PathwayChange, PathwayStatus, SurveillanceTest, TestChange, TestStatus
from followup.path_queries import STATUS_TAGS, TEST_TAGS, WAITING, caseload, may_change, may_stratify
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.access.shortcuts import get_visible_or_404
from portal.audit.services import audit_view, audit_view_many
from portal.people.models import Patient
from portal.people.presenters import PatientPresenter


@login_required
def caseload_page(request):
    team = policy.care_team_of(request.user, RecordKind.FOLLOWUP_PATHWAY, "read")
    if team is None:
        raise PermissionDenied("The follow-up caseload is the care team's page")
    status = request.GET.get("status")
    status = status if status in PathwayStatus.values else None
    groups, rows = caseload(request.user, team, status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit_view_many(request, [(p.patient, p) for p in shown])
    context = {
        "page_title": "Follow-up caseload",
        "team": team,
        "groups": groups,
        "status": status,
        "statuses": PathwayStatus.choices,
        "page": page,
        "rows": shown,
        "tags": STATUS_TAGS,
        "totals": {
            "overdue": sum(p.overdue_tests for p in shown),
            "review": sum(p.results_to_review for p in shown),
            "concerns": sum(p.open_concerns for p in shown),
        },
    }
    return render(request, "followup/path/caseload.jinja", context)


def _test_change_words(change, name) -> str:
    if not change.status_from:
        return f"{name} planned, due {change.due_to:%-d %B %Y}"
    if change.status_from == change.status_to and change.due_to:
        return f"{name} moved to {change.due_to:%-d %B %Y}"
    return f"{name}: {TestStatus(change.status_to).label.lower()}"


def _pathway_change_words(change) -> str:
    if not change.status_from:
        return "Put on this pathway"
    if change.status_from == change.status_to:
        return "Pathway amended"
    return f"Pathway {PathwayStatus(change.status_to).label.lower()}"


def history_of(pathway, tests) -> list[dict]:
    """The pathway's and its tests' changes, oldest first, in words (two queries)."""
    names = {t.pk: t.test_type.name for t in tests}
    pathway_rows = (
        {"at": c.at, "by": c.by, "what": _pathway_change_words(c), "reason": c.reason}
        for c in PathwayChange.objects.filter(pathway=pathway).select_related("by")
    )
    test_rows = (
        {"at": c.at, "by": c.by, "what": _test_change_words(c, names[c.test_id]), "reason": c.reason}
        for c in TestChange.objects.filter(test__in=list(names)).select_related("by")
    )
    return sorted(chain(pathway_rows, test_rows), key=lambda row: row["at"])


@login_required
def timeline(request, patient_id):
    if policy.role_name(request.user) == policy.PATIENT:
        raise Http404("Patients see their follow-up in My care")  # this is the staff view of it
    patient = get_visible_or_404(Patient, request.user, pk=patient_id)
    if not policy.may(request.user, RecordKind.FOLLOWUP_PATHWAY, "read"):
        raise PermissionDenied("Your role may not see follow-up pathways")
    pathways = list(
        Pathway.objects.visible_to(request.user)
        .filter(patient=patient)
        .select_related("team", "protocol_version__protocol")
        .order_by("-created_at")
    )
    shown = []
    for pathway in pathways:
        tests = list(
            SurveillanceTest.objects.visible_to(request.user)
            .filter(pathway=pathway)
            .select_related("test_type")
            .order_by("due_date", "test_type__code")
        )
        shown.append(
            {
                "pathway": pathway,
                "tests": tests,
                "history": history_of(pathway, tests),
                "may_change": may_change(request.user, pathway),
            }
        )
    audit_view(request, patient)
    audit_view_many(request, [(patient, p) for p in pathways])
    context = {
        "page_title": "Follow-up",
        "patient": PatientPresenter(patient),
        "patient_id": patient.pk,
        "shown": shown,
        "tags": STATUS_TAGS,
        "test_tags": TEST_TAGS,
        "waiting": WAITING,
        "may_stratify": may_stratify(request.user, patient),
        "back_link": {"href": f"/patients/{patient.pk}/"},
    }
    return render(request, "followup/path/timeline.jinja", context)
