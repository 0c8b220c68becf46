"""The survey's daily dispatch (issue 12 item 4, ADR 0036): invite everyone due, send what is not yet
sent, remind after QOL_REMINDER_DAYS, close after QOL_EXPIRY_DAYS.

Safe to run twice, or twice at once, and to be killed anywhere:
- invitations are made by one INSERT ... SELECT ... ON CONFLICT DO NOTHING under the unique
  constraint qol_invitation_once_per_diagnosis: a second run, or one at the same moment, inserts
  nothing for a diagnosis already invited;
- sending is a separate step over every open invitation with no send row yet, so invitations a
  killed run made but never sent are sent by the next; it goes in chunks, each one transaction that
  locks its invitations (FOR NO KEY UPDATE SKIP LOCKED: two runs split the work, never wait) and
  claims a send row under a unique constraint before writing the message or letter;
- reminders and expiry change the status under the same locks, re-read under the lock.
"""

import datetime
import logging
import uuid
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Exists, Func, OuterRef, Q, Subquery, UUIDField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now
from django.utils import timezone

from portal.audit.models import Action
from portal.audit.services import record_many, who
from portal.people.models import CareTeam, Patient
from qol_survey.models import Invitation, InvitationSend, InvitationStatus, Purpose
from qol_survey.models.survey import OPEN_STATUSES
from qol_survey.services import cohort, dispatch_send

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "qol-dispatch"
CHUNK = 1000
INSERT_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "patient_id",
    "diagnosis_id",
    "team_id",
    "channel",
    "status",
    "invited_on",
    "remind_on",
    "expires_on",
    "draft",
    "failed_attempts",
]


def run(today: datetime.date | None = None, chunk: int = CHUNK) -> dict:
    """Every step, in order; how many of each thing it did (invited, email/sms/post, reminded, expired)."""
    today = today or timezone.localdate()
    done = Counter({"invited": invite(today)})
    done.update(announce(today, chunk))
    done["reminded"] = remind(today, chunk)
    done["expired"] = expire(today, chunk)
    result = {key: done[key] for key in ("invited", "email", "sms", "post", "reminded", "expired")}
    logger.info("quality of life dispatch %s: %s", today, result)
    return result


# Invitations: one statement ---------------------------------------------------------------------


def _team():
    """The patient's care team for the diagnosis's tumour site, else any of theirs (lowest id), else null."""
    teams = (
        CareTeam.objects.filter(patients=OuterRef("patient_id"))
        .annotate(other_site=Case(When(tumour_site=OuterRef("tumour_site"), then=0), default=1))
        .order_by("other_site", "pk")
        .values("pk")[:1]
    )
    return Subquery(teams, output_field=UUIDField())


def _channel():
    """Email or SMS when that is the patient's preference and we hold the address; otherwise post."""
    email, sms = Patient.Contact.EMAIL, Patient.Contact.SMS
    return Case(
        When(Q(patient__preferred_contact=email) & ~Q(patient__email=""), then=Value("email")),
        When(Q(patient__preferred_contact=sms) & ~Q(patient__mobile=""), then=Value("sms")),
        default=Value("post"),
    )


def invitation_select(today: datetime.date):
    """The SELECT half of the insert: SQL and parameters, one row per diagnosis due today, in
    INSERT_COLUMNS order."""
    rows = (
        cohort.eligible(today)
        .select_related(None)
        .order_by()
        .annotate(
            _id=Func(function="gen_random_uuid", output_field=UUIDField()),
            _now=Now(),
            _team=_team(),
            _channel=_channel(),
            _status=Value(InvitationStatus.INVITED),
            _invited=Value(today),
            _remind=Value(today + datetime.timedelta(days=settings.QOL_REMINDER_DAYS)),
            _expires=Value(today + datetime.timedelta(days=settings.QOL_EXPIRY_DAYS)),
            _draft=RawSQL("'{}'::jsonb", []),
            _attempts=Value(0),
        )
        .values_list(
            "_id",
            "_now",
            "_now",
            "patient_id",
            "pk",
            "_team",
            "_channel",
            "_status",
            "_invited",
            "_remind",
            "_expires",
            "_draft",
            "_attempts",
        )
    )
    return rows.query.sql_with_params()


def invite(today: datetime.date) -> int:
    """Invitations for every diagnosis due today, in one INSERT ... SELECT; how many were made.
    The serial (for the short code) comes from the column's default, the link and code from the
    invitation when sent: neither is stored."""
    select, params = invitation_select(today)
    table = Invitation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(INSERT_COLUMNS)}) {select} "  # noqa: S608 - names are ours
            "ON CONFLICT (patient_id, diagnosis_id) DO NOTHING",
            params,
        )
        return cursor.rowcount


# Chunks ----------------------------------------------------------------------------------------


def _pages(ids, chunk):
    """The ids of a values_list queryset in lists of `chunk`, read once through a server-side cursor
    (memory stays at one page; outside a transaction Django holds the cursor across the pages'
    commits). No ORDER BY, as the follow-up sweep (followup/services/sweep_pages.py says why)."""
    page = []
    for (pk,) in ids.iterator(chunk_size=chunk):
        page.append(pk)
        if len(page) == chunk:
            yield page
            page = []
    if page:
        yield page


def _chunks(candidates, chunk):
    """Candidates' invitations a chunk at a time, as dispatch_send.Sending values, each chunk locked
    (rows another run holds are skipped) inside its own transaction, which commits when the caller
    asks for the next chunk."""
    for ids in _pages(candidates.order_by().values_list("pk"), chunk):
        with transaction.atomic():
            rows = (
                Invitation.objects.filter(pk__in=ids)
                .select_for_update(skip_locked=True, of=("self",), no_key=True)
                .order_by("pk")
                .values_list(*dispatch_send.Sending.FIELDS)
            )
            yield [dispatch_send.Sending.of(row) for row in rows]


def _claim(sends) -> set:
    """Insert send rows ON CONFLICT DO NOTHING: the invitation ids this run inserted, and so owns."""
    if not sends:
        return set()
    now = timezone.now()
    marks = ", ".join(["(%s, %s, %s, %s)"] * len(sends))
    params = [value for invitation_id, purpose, channel in sends for value in (invitation_id, purpose, channel, now)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {InvitationSend._meta.db_table} (invitation_id, purpose, channel, sent_at) "  # noqa: S608
            f"VALUES {marks} ON CONFLICT (invitation_id, purpose) DO NOTHING RETURNING invitation_id",
            params,
        )
        return {uuid.UUID(str(pk)) for (pk,) in cursor.fetchall()}


def _send(invitations, purpose) -> tuple[list, Counter]:
    """Claim and send one chunk's messages (or letters): the invitations this run sent, and how
    many went by each channel."""
    channels = {inv.pk: dispatch_send.channel_for(inv) for inv in invitations}
    owned = _claim([(pk, purpose, channel) for pk, channel in channels.items()])
    ours = [inv for inv in invitations if inv.pk in owned]
    dispatch_send.tell(ours, purpose, {inv.pk: channels[inv.pk] for inv in ours})
    return ours, Counter(channels[inv.pk] for inv in ours)


def _audit(action, invitations):
    record_many(
        action, [(inv.patient.pk, inv.audit_ref) for inv in invitations], who_fields=who(system_actor=SYSTEM_ACTOR)
    )


def _not_sent(purpose):
    return ~Exists(InvitationSend.objects.filter(invitation=OuterRef("pk"), purpose=purpose))


# Sending, reminders, expiry --------------------------------------------------------------------


def announce(today: datetime.date, chunk: int = CHUNK) -> Counter:
    """Send every open invitation not yet sent: today's, and any a killed run made and left."""
    unsent = Invitation.objects.filter(status__in=OPEN_STATUSES, expires_on__gt=today).filter(
        _not_sent(Purpose.INVITATION)
    )
    sent = Counter()
    for invitations in _chunks(unsent, chunk):
        ours, by_channel = _send([inv for inv in invitations if inv.is_open], Purpose.INVITATION)
        # Audited as made when sent, in the same transaction: a killed run's unsent rows are
        # audited by the run that sends them, and nothing is audited twice.
        _audit(Action.CREATE, ours)
        sent.update(by_channel)
    return sent


def remind(today: datetime.date, chunk: int = CHUNK) -> int:
    """After QOL_REMINDER_DAYS with no answer: status reminded, and one reminder with a paper option."""
    due = (
        Invitation.objects.filter(status=InvitationStatus.INVITED, remind_on__lte=today, expires_on__gt=today)
        .filter(~_not_sent(Purpose.INVITATION))  # the invitation itself went first
        .filter(_not_sent(Purpose.REMINDER))
    )
    reminded = 0
    for invitations in _chunks(due, chunk):
        waiting = [inv for inv in invitations if inv.status == InvitationStatus.INVITED]  # re-read under the lock
        if not waiting:
            continue
        Invitation.objects.filter(pk__in=[inv.pk for inv in waiting]).update(
            status=InvitationStatus.REMINDED, reminded_on=today, updated_at=timezone.now()
        )
        ours, _ = _send(waiting, Purpose.REMINDER)
        _audit(Action.UPDATE, waiting)
        reminded += len(ours)
    return reminded


def expire(today: datetime.date, chunk: int = CHUNK) -> int:
    """Open invitations at QOL_EXPIRY_DAYS close: the link and code stop working."""
    due = Invitation.objects.filter(status__in=OPEN_STATUSES, expires_on__lte=today)
    expired = 0
    for invitations in _chunks(due, chunk):
        closing = [inv for inv in invitations if inv.is_open]
        if not closing:
            continue
        now = timezone.now()
        Invitation.objects.filter(pk__in=[inv.pk for inv in closing]).update(
            status=InvitationStatus.EXPIRED, closed_at=now, updated_at=now
        )
        _audit(Action.UPDATE, closing)
        expired += len(closing)
    return expired
