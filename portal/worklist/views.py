from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.services import audit_view_many
from portal.worklist.filters import WorklistFilterForm, filter_fields
from portal.worklist.models import OPEN_STATUSES, Kind, Priority, WorkItem
from portal.worklist.presenters import WorkItemPresenter


def filtered_items(user, data):
    """Open items the user may see, narrowed by the filter form's cleaned data."""
    items = WorkItem.objects.visible_to(user).filter(status__in=OPEN_STATUSES)
    if data.get("kind"):
        items = items.filter(kind=data["kind"])
    if data.get("priority"):
        items = items.filter(priority=int(data["priority"]))
    if data.get("assignee") == "me":
        items = items.filter(assignee=user)
    elif data.get("assignee") == "none":
        items = items.filter(assignee__isnull=True)
    return items


@login_required
def worklist(request):
    # A staff page: a patient, and a role the policy table gives no worklist, are refused it.
    if not policy.may(request.user, RecordKind.WORK_ITEM, "read"):
        raise PermissionDenied("Only care teams and GP practices have a worklist")
    form = WorklistFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    items = filtered_items(request.user, data)
    # Counts first: how much of each kind and priority is waiting, before the list itself. One
    # query grouped by both (at most kinds x priorities rows), summed each way here.
    by_kind, by_priority = Counter(), Counter()
    for kind, priority, n in items.order_by().values_list("kind", "priority").annotate(n=Count("id")):
        by_kind[kind] += n
        by_priority[priority] += n
    shown = list(items.select_related("patient", "assignee")[:200])
    # Before rendering, in one INSERT: the page is only sent once its access log rows are written.
    audit_view_many(request, [(item.patient, item) for item in shown])
    today = timezone.localdate()
    context = {
        "page_title": "Worklist",
        "form": form,
        "filter_fields": filter_fields(form),
        "total": sum(by_kind.values()),
        "kind_counts": [(label, by_kind.get(value, 0)) for value, label in Kind.choices if by_kind.get(value)],
        "priority_counts": [(label, by_priority.get(value, 0)) for value, label in Priority.choices],
        "items": [WorkItemPresenter(item, today) for item in shown],
    }
    return render(request, "worklist/worklist.jinja", context)
