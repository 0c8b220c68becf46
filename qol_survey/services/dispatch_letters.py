"""The survey letters dispatch left for the care team (patients who prefer post, or with no email
address or mobile for their choice): printed as one PDF batch, or handed to the mailing house as a
CSV; either marks them printed in the same transaction, so no letter goes out twice. The link and
short code are worked out from the invitation as each letter is made: neither is stored."""

import csv
import io

from django.db import transaction
from django.utils import timezone

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record_many, who
from portal.people import support
from portal.ui.csv_cells import safe_cell
from portal.ui.pdf import render_pdf
from portal.ui.presenters import format_nhs_number
from qol_survey.models import Instrument, ItemPart, Purpose, QolLetter
from qol_survey.services.dispatch_send import links, team_details
from qol_survey.services.responses import INSTRUMENTS

BATCH_TEMPLATE = "qol_survey/letters/batch.jinja"
CSV_COLUMNS = ["name", "address_lines", "postcode", "short_code", "link", "kind"]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).


def pending_letters(team):
    return (
        QolLetter.objects.filter(team=team, printed_at__isnull=True)
        .select_related("patient", "team", "invitation__team")
        .order_by("created_at", "pk")
    )


def paper_questionnaire() -> list[dict]:
    """The survey on paper, for the reminder letter: each current instrument's items with a box
    for each answer (health today: a box to write the number in)."""
    parts = []
    for code in INSTRUMENTS:
        instrument = Instrument.current(code)
        if instrument is None:
            continue
        items = [
            {
                "code": item.code,
                "wording": item.wording,
                "write_in": item.part == ItemPart.HEALTH_TODAY,
                "labels": item.answer_labels,
                "answers": list(zip(range(item.lowest, item.highest + 1), item.answer_labels, strict=False)),
            }
            for item in instrument.items.order_by("position")
        ]
        parts.append({"name": instrument.name, "code": code, "version": instrument.version, "items": items})
    return parts


def letter_context(letter) -> dict:
    invitation = letter.invitation
    patient = letter.patient
    return {
        "kind": letter.kind,
        **support.letter_extras(patient),
        "addressee": patient.full_name,
        "address_lines": [line.strip() for line in (patient.address or "").splitlines() if line.strip()],
        "postcode": patient.postcode,
        "nhs_number": format_nhs_number(patient.nhs_number),
        "first_name": patient.given_name,
        "expires": f"{invitation.expires_on:%-d %B %Y}",
        **team_details(invitation),
        **links(invitation),
    }


def _take(actor, team):
    """The team's pending letters, locked: rows another batch is printing right now are skipped."""
    policy.require_team(actor, team, RecordKind.QOL_INVITATION, "read")
    return list(pending_letters(team).select_for_update(of=("self",), skip_locked=True))


def _mark_printed(actor, letters):
    now = timezone.now()
    QolLetter.objects.filter(pk__in=[x.pk for x in letters]).update(printed_at=now, printed_by=actor, updated_at=now)
    record_many(Action.EXPORT, [(x.patient, x) for x in letters], who_fields=who(actor=actor))


@transaction.atomic
def letter_batch(actor, team) -> bytes:
    """One PDF of every pending letter for the team (empty bytes when there is none); marked printed,
    and each export audited, only if the whole batch is made."""
    letters = _take(actor, team)
    if not letters:
        return b""
    paper = paper_questionnaire() if any(x.kind == Purpose.REMINDER for x in letters) else []
    content = render_pdf(
        BATCH_TEMPLATE,
        {"letters": [letter_context(x) for x in letters], "date": timezone.localdate(), "questionnaire": paper},
    )
    _mark_printed(actor, letters)
    return content


@transaction.atomic
def mailing_csv(actor, team) -> str:
    """The same letters as a CSV for a mailing house (one row a letter; address lines joined with
    " | "), marked printed: handed over, so the team's own batch does not post them again. "" when
    there is none."""
    letters = _take(actor, team)
    if not letters:
        return ""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for letter in letters:
        found = letter_context(letter)
        writer.writerow(
            safe_cell(value)
            for value in (
                found["addressee"],
                " | ".join(found["address_lines"]),
                found["postcode"],
                found["code"],
                found["link"],
                letter.kind,
            )
        )
    _mark_printed(actor, letters)
    return out.getvalue()
