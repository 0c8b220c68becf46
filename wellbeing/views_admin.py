"""The service admin's wellbeing pages (issue 13 items 3, 4 and 6): the sessions with places left,
waiting list size and requests to confirm; schedule (one or a series), edit and cancel; each
session's bookings with confirm, cancel and attendance. Sessions are reference data
(policy.is_service_admin decides); bookings are read through Booking.objects.visible_to, and every
booking shown is in the access log. Thin: services.sessions and services.bookings decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.access import policy
from portal.access.shortcuts import get_changeable_or_404
from portal.audit.services import audit_view_many
from wellbeing import presenters
from wellbeing.forms_admin import SessionForm, initial_for
from wellbeing.models import ACTIVE, HOLDING, Booking, BookingStatus, Session, SessionStatus
from wellbeing.services import bookings, sessions

LIST_URL = "/wellbeing/admin/sessions/"


def _admin(request):
    if not policy.is_service_admin(request.user):
        raise Http404("The wellbeing admin pages are for service admins")


def _url(session) -> str:
    return f"{LIST_URL}{session.pk}/"


def _counted(query):
    """Sessions with their places held, waiting list and unconfirmed requests, in the one query."""
    return query.annotate(
        taken=Sum("bookings__places", filter=Q(bookings__status__in=HOLDING), default=0),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        requests=Count("bookings", filter=Q(bookings__status=BookingStatus.REQUESTED)),
    )


@login_required
def session_list(request):
    _admin(request)
    past = request.GET.get("when") == "past"
    now = timezone.now()
    if past:
        query = Session.objects.filter(starts_at__lte=now).order_by("-starts_at")[:200]
    else:
        # Explicit: Django drops Meta.ordering from a query with GROUP BY (the counts below).
        soonest = (F("starts_at").asc(nulls_last=True), "tbc_month", "title")
        query = Session.objects.filter(Q(starts_at__gt=now) | Q(starts_at__isnull=True)).order_by(*soonest)
    rows = [
        {
            "href": _url(s),
            "title": s.title,
            "when": bookings.when_text(s),
            "cancelled": s.status == SessionStatus.CANCELLED,
            "capacity": s.capacity,
            "left": max(0, s.capacity - s.taken),
            "waiting": s.waiting,
            "requests": s.requests,
        }
        for s in _counted(query)
    ]
    context = {"page_title": "Wellbeing sessions: admin", "rows": rows, "past": past}
    return render(request, "wellbeing/admin/sessions.jinja", context)


def _form_page(request, form, *, title, action, submit):
    context = {"page_title": title, "title": title, "form": form, "form_action": action, "submit_text": submit}
    return render(request, "wellbeing/admin/form.jinja", context, status=400 if form.is_bound else 200)


@login_required
def session_new(request):
    _admin(request)
    form = SessionForm(request.POST or None, initial={"repeat": "0", "count": 1})
    if request.method == "POST" and form.is_valid():
        try:
            made = sessions.schedule(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.show_errors(error)
        else:
            words = f"{len(made)} sessions are scheduled" if len(made) > 1 else "The session is scheduled"
            messages.success(request, f"{words}: {made[0].title}.")
            return redirect(_url(made[0]))
    return _form_page(request, form, title="Schedule a session", action="", submit="Schedule")


@login_required
def session_edit(request, session_id):
    _admin(request)
    session = get_object_or_404(Session, pk=session_id)
    form = SessionForm(request.POST or None, initial=initial_for(session), series=False)
    if request.method == "POST" and form.is_valid():
        try:
            sessions.edit(session, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.show_errors(error)
        else:
            messages.success(request, "The session is saved.")
            return redirect(_url(session))
    return _form_page(request, form, title=f"Change {session.title}", action="", submit="Save")


@login_required
def session_cancel(request, session_id):
    _admin(request)
    session = get_object_or_404(Session, pk=session_id)
    if request.method == "POST":
        told = sessions.cancel(session, actor=request.user)
        emailed = "1 person was" if told == 1 else f"{told} people were"
        messages.success(request, f"The session is cancelled. {emailed} emailed.")
        return redirect(_url(session))
    affected = Booking.objects.visible_to(request.user).filter(session=session, status__in=ACTIVE).count()
    context = {"page_title": f"Cancel {session.title}", "session": session, "affected": affected}
    return render(request, "wellbeing/admin/cancel.jinja", context)


def _booking_row(booking, started) -> dict:
    return {
        "booking": booking,
        "who": booking.who,
        "nhs_number": booking.patient.nhs_number if booking.patient_id else "",
        "contact": ", ".join(
            filter(None, [booking.patient.email if booking.patient_id else booking.email, booking.phone])
        ),
        "status": booking.get_status_display(),
        "can_confirm": booking.status == BookingStatus.REQUESTED,
        "can_cancel": booking.status in ACTIVE,
        "can_mark": started and booking.status == BookingStatus.BOOKED,
    }


@login_required
def session_page(request, session_id):
    _admin(request)
    session = get_object_or_404(_counted(Session.objects.all()), pk=session_id)
    listed = list(
        Booking.objects.visible_to(request.user)
        .filter(session=session)
        .select_related("patient")
        .order_by("created_at")
    )
    audit_view_many(request, [(b.patient, b) for b in listed])
    started = session.starts_at is not None and session.starts_at <= timezone.now()
    context = {
        "page_title": f"{session.title}: bookings",
        "session": session,
        "rows": presenters.details(session, None, admin=True),
        "bookings": [_booking_row(b, started) for b in listed if b.status != BookingStatus.CANCELLED],
        "cancelled": [b for b in listed if b.status == BookingStatus.CANCELLED],
        "left": max(0, session.capacity - session.taken),
        "back_link": {"href": LIST_URL},
    }
    return render(request, "wellbeing/admin/session.jinja", context)


ACTIONS = {
    "confirm": (lambda b, actor: bookings.confirm(b, actor=actor), "The place is confirmed and {who} is emailed."),
    "cancel": (lambda b, actor: bookings.cancel(b, actor=actor), "{who}'s place is cancelled."),
    "attended": (
        lambda b, actor: bookings.record_attendance(b, actor=actor, attended=True),
        "{who} is recorded as attended.",
    ),
    "absent": (
        lambda b, actor: bookings.record_attendance(b, actor=actor, attended=False),
        "{who} is recorded as not attended.",
    ),
}


@login_required
@require_POST
def booking_action(request, booking_id, action):
    _admin(request)
    if action not in ACTIONS:
        raise Http404("No such action")
    booking = get_changeable_or_404(Booking, request.user, pk=booking_id)
    act, done = ACTIONS[action]
    try:
        act(booking, request.user)
    except bookings.BookingRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, done.format(who=booking.who))
    return redirect(_url(booking.session))
