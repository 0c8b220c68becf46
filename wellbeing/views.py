"""Wellbeing pages (issue 13 item 6): the public list of upcoming sessions and each session's page
(no personal data), booking and cancelling for a patient signed in, and "My bookings". Thin: the
bookings service decides; bookings are read through Booking.objects.visible_to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from portal.access.client_ip import client_ip
from portal.access.shortcuts import get_changeable_or_404
from portal.access.throttle import Throttle
from portal.audit.services import audit_view_many
from wellbeing import presenters
from wellbeing.calendar import session_ics
from wellbeing.forms_admin import AskForm
from wellbeing.models import ACTIVE, Booking, Category, Session
from wellbeing.services import bookings

CARERS_CHOICES = range(bookings.MAX_CARERS + 1)
# Asking for a place needs no account, so a script could fill the admins' list: a few an hour for
# one address is plenty for a family asking for several sessions.
ASKING = Throttle("wellbeing-ask", limit=10, window=3600)


def _patient(request):
    return getattr(request.user, "patient", None) if request.user.is_authenticated else None


def _my_booking(request, session):
    patient = _patient(request)
    if patient is None:
        return None
    return Booking.objects.visible_to(request.user).filter(session=session, patient=patient, status__in=ACTIVE).first()


@require_GET
def session_list(request):
    category = request.GET.get("category", "")
    months = presenters.by_month(presenters.upcoming(category))
    context = {
        "page_title": "Wellbeing sessions",
        "months": months,
        "categories": [{"value": "", "text": "All sessions"}] + [{"value": v, "text": t} for v, t in Category.choices],
        "category": category,
    }
    return render(request, "wellbeing/sessions.jinja", context)


@require_GET
def session_page(request, session_id):
    session = get_object_or_404(Session, pk=session_id)
    return _session_page(request, session, AskForm())


def _session_page(request, session, ask_form, status=200):
    booking = _my_booking(request, session)
    if booking is not None:
        audit_view_many(request, [(booking.patient, booking)])
    context = {
        "page_title": session.title,
        "session": session,
        "rows": presenters.details(session, booking),
        "booking": booking,
        "why_not": presenters.bookable(session),
        "is_patient": _patient(request) is not None,
        "carers": CARERS_CHOICES,
        "back_link": {"href": "/wellbeing/sessions/"},
        "signed_in": request.user.is_authenticated,
        "ask_form": ask_form,
        "calendar": session.starts_at is not None,
    }
    return render(request, "wellbeing/session.jinja", context, status=status)


@require_POST
def ask(request, session_id):
    """Anyone asks for a place with their name and contact details; an admin confirms it. The form
    comes back with its errors (and what was typed) on the session page."""
    session = get_object_or_404(Session, pk=session_id)
    form = AskForm(request.POST)
    if ASKING.hit(client_ip(request) or "unknown"):
        form.is_valid()
        form.add_error(None, "You have asked for a lot of places in a short time. Please call the wellbeing team.")
        return _session_page(request, session, form, status=429)
    if not form.is_valid():
        return _session_page(request, session, form, status=400)
    data = form.cleaned_data
    try:
        made = bookings.request_place(
            session, name=data["name"], email=data["email"], phone=data["phone"], carers=int(data["carers"] or 0)
        )
    except bookings.BookingRefused as refused:
        form.add_error(None, refused)
        return _session_page(request, session, form, status=400)
    if made.status == "waiting":
        messages.info(
            request, "The session is full, so you are on the waiting list. We will contact you if a place is free."
        )
    else:
        messages.success(request, "Thank you. We have your request and will contact you to confirm your place.")
    return redirect("wellbeing:session", session_id=session.pk)


@require_GET
def calendar_file(request, session_id):
    """The session as a calendar file; the joining link in it only for someone booked."""
    session = get_object_or_404(Session, pk=session_id)
    booking = _my_booking(request, session)
    if booking is not None:
        audit_view_many(request, [(booking.patient, booking)])
    text = session_ics(session, booked=booking is not None and booking.status == "booked")
    if not text:
        raise Http404("This session has no date yet, so there is nothing to add to a calendar")
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wellbeing-session-{session.pk}.ics"'
    return response


@login_required
@require_POST
def book(request, session_id):
    session = get_object_or_404(Session, pk=session_id)
    patient = _patient(request)
    if patient is None:
        raise Http404("Booking here is for patients signed in")
    try:
        carers = int(request.POST.get("carers") or 0)
        made = bookings.book(session, actor=request.user, patient=patient, carers=carers)
    except ValueError:
        messages.error(request, "Choose how many carers or family members are coming with you")
    except bookings.BookingRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        if made.status == "booked":
            messages.success(request, f"Your place on {session.title} is booked.")
        else:
            messages.info(
                request, "The session is full: you are on the waiting list. We will email you if a place comes up."
            )
    return redirect("wellbeing:session", session_id=session.pk)


@login_required
@require_POST
def cancel(request, booking_id):
    booking = get_changeable_or_404(Booking, request.user, pk=booking_id)
    bookings.cancel(booking, actor=request.user)
    messages.success(request, "Your place has been cancelled.")
    return redirect("wellbeing:mine")


@login_required
@require_GET
def my_bookings(request):
    patient = _patient(request)
    if patient is None:
        raise Http404("My bookings is for patients")
    mine = list(
        Booking.objects.visible_to(request.user)
        .filter(patient=patient, status__in=ACTIVE)
        .select_related("session", "patient")
        .order_by("session__starts_at")
    )
    audit_view_many(request, [(b.patient, b) for b in mine])
    rows = [{"booking": b, "card": presenters.card(b.session), "status": b.get_status_display()} for b in mine]
    return render(request, "wellbeing/my_bookings.jinja", {"page_title": "My bookings", "rows": rows})
