"""The GP inbox: practice staff see the summaries sent to their practice for their registered
patients, open them (marks read, audited), acknowledge them and answer each GP action.

Every view resolves the delivery through PracticeDelivery.objects.visible_to (404 outside scope,
so another practice's acknowledgement or answer is a 404). The patient's care team may open an
entry read-only, to see what the practice sees; it is not marked read for them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import audit_view, audit_view_many, record
from portal.ui.pdf import pdf_response
from portal.ui.presenters import format_date
from treatment_summaries.forms_inbox import ActionResponseForm
from treatment_summaries.models import PracticeDelivery
from treatment_summaries.presenters_inbox import (
    STATES,
    ActionPresenter,
    DeliveryPresenter,
    InboxPresenter,
    InboxRow,
    VersionPresenter,
    pdf_filename,
)
from treatment_summaries.services import inbox

PAGE_SIZE = 50
STATE_FILTERS = {
    "new": Q(first_read_at__isnull=True, acknowledged_at__isnull=True),
    "read": Q(first_read_at__isnull=False, acknowledged_at__isnull=True),
    "acknowledged": Q(acknowledged_at__isnull=False),
}


# What a list row reads (InboxRow) and what it is found by. Not the rest of the version: its PDF
# (tens of KB each) and every free-text field, which the list never shows. The patient comes whole:
# a one-row list shows the communication needs banner (portal.people.banner), which reads it.
ROW_FIELDS = (
    "created_at",
    "first_read_at",
    "acknowledged_at",
    "version__number",
    "version__status",
    "version__sent_at",
    "version__summary__patient",
    "version__summary__team__name",
)


class CountedPaginator(Paginator):
    """A paginator given the count it would otherwise ask the database for."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.count = count  # Paginator.count is a cached_property: this is its cached value


def _is_practice(request) -> bool:
    """The inbox is a GP practice's page; the care team only opens single entries, read-only."""
    return policy.practice_of(request.user, RecordKind.SUMMARY_DELIVERY, "read") is not None


def _delivery(request, delivery_id) -> PracticeDelivery:
    """The delivery if the user may see it, else 404 (the first line of every view with an id)."""
    delivery = (
        PracticeDelivery.objects.visible_to(request.user)
        .select_related(
            "practice",
            "first_read_by",
            "acknowledged_by",
            "version__signed_off_by",
            "version__summary__patient",
            "version__summary__team",
        )
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise Http404("No treatment summary here")
    return delivery


@login_required
@require_GET
def inbox_list(request):
    if not _is_practice(request):
        raise Http404("No inbox here")
    deliveries = PracticeDelivery.objects.visible_to(request.user)
    counts = deliveries.aggregate(**{code: Count("pk", filter=q) for code, q in STATE_FILTERS.items()})
    state = request.GET.get("state", "")
    if state not in STATE_FILTERS:
        state = ""
    shown = deliveries.filter(STATE_FILTERS[state]) if state else deliveries
    shown = (
        shown.select_related("version__summary__patient", "version__summary__team")
        .only(*ROW_FIELDS)
        .order_by("-created_at", "-pk")
    )
    # The state counts partition the deliveries (STATE_FILTERS), so they give the paginator its count.
    total = counts[state] if state else sum(counts.values())
    page = CountedPaginator(shown, PAGE_SIZE, total).get_page(request.GET.get("page"))
    base_url = reverse("treatment_summaries:inbox")
    rows = [InboxRow(d, base_url) for d in page.object_list]
    # Before rendering, in one INSERT: the page is only sent once its access log rows are written.
    audit_view_many(request, [(row.patient, row.delivery) for row in rows])
    context = {
        "page_title": "Treatment summaries",
        "inbox": InboxPresenter(counts, state),
        "state_label": dict(STATES).get(state, ""),
        "rows": rows,
        "page": page,
    }
    return render(request, "treatment_summaries/inbox/list.jinja", context)


def _detail_page(request, delivery, *, bound_form=None):
    version = delivery.version
    practice = inbox.may_act(request.user, delivery)
    actions = list(version.gp_actions.all())
    latest = inbox.latest_responses(actions)
    presenters = []
    for action in actions:
        form = None
        if practice:
            form = bound_form if bound_form is not None and bound_form.action.pk == action.pk else None
            form = form or ActionResponseForm(action=action)
        url = reverse("treatment_summaries:inbox_action", kwargs={"delivery_id": delivery.pk, "action_id": action.pk})
        presenters.append(ActionPresenter(action, latest.get(action.pk), form, url))
    newer = (
        PracticeDelivery.objects.visible_to(request.user)
        .filter(version__summary_id=version.summary_id, version__number__gt=version.number)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    context = {
        "page_title": f"Treatment summary for {version.summary.patient.full_name}",
        "form": bound_form,
        "delivery": DeliveryPresenter(delivery),
        "summary": VersionPresenter(version),
        "actions": presenters,
        "can_act": practice,
        "newer": DeliveryPresenter(newer) if newer else None,
        "newer_sent": format_date(newer.version.sent_at) if newer else "",
        "back_link": {"href": reverse("treatment_summaries:inbox")} if _is_practice(request) else None,
    }
    return render(request, "treatment_summaries/inbox/detail.jinja", context)


@login_required
@require_GET
def delivery_detail(request, delivery_id):
    delivery = _delivery(request, delivery_id)
    if inbox.may_act(request.user, delivery):
        delivery = inbox.mark_read(actor=request.user, delivery=delivery, request=request)
    else:
        audit_view(request, delivery.version.summary.patient, delivery)
    return _detail_page(request, delivery)


@login_required
@require_GET
def delivery_pdf(request, delivery_id):
    delivery = _delivery(request, delivery_id)
    version = delivery.version
    if not version.pdf:
        raise Http404("No PDF for this summary")
    record(Action.EXPORT, request=request, patient=version.summary.patient, obj=version)
    return pdf_response(bytes(version.pdf), pdf_filename(version))


@login_required
@require_POST
def acknowledge(request, delivery_id):
    delivery = _delivery(request, delivery_id)
    delivery, changed = inbox.acknowledge(actor=request.user, delivery=delivery, request=request)
    if changed:
        messages.success(request, "Summary acknowledged")
    else:
        who = delivery.acknowledged_by.get_full_name() or delivery.acknowledged_by.email
        messages.info(request, f"Already acknowledged by {who} on {format_date(delivery.acknowledged_at)}")
    return redirect("treatment_summaries:inbox_delivery", delivery_id=delivery.pk)


@login_required
@require_POST
def respond(request, delivery_id, action_id):
    delivery = _delivery(request, delivery_id)
    action = delivery.version.gp_actions.filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action in this summary")
    form = ActionResponseForm(request.POST, action=action)
    if form.is_valid():
        try:
            inbox.respond_to_action(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Answer saved for “{action.text}”")
            return redirect("treatment_summaries:inbox_delivery", delivery_id=delivery.pk)
    audit_view(request, delivery.version.summary.patient, delivery)
    return _detail_page(request, delivery, bound_form=form)
