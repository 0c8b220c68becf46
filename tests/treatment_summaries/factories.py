"""Treatment summaries for tests, made as production makes them: through the services (start,
update, set_side_effects, add_treatment, add_gp_action, sign_off, send, amend), so a sent version
has its delivery to the patient's registered practice, the patient's copy, the notifications and
the audit rows. The database refuses any other way to a signed-off version (migrations 0003 and
0004: a version is born a draft, its status only moves forward, and a signed-off version takes no
new parts), so no fixture can build one that production could not.

The PDF is a cheap stand-in (`pdf=` bytes, or a callable of the version like the real renderer);
tests of the real PDF pass `treatment_summaries.pdf.render_summary`."""

import datetime

from portal.people.models import Role, User
from tests.conftest import give_totp
from tests.factories import RoleAssignmentFactory, UserFactory
from treatment_summaries.models import SummaryVersion
from treatment_summaries.services import summaries

FAKE_PDF = b"%PDF-1.4 x"
AMENDMENT_REASON = "Staging corrected"
# Everything sign-off needs besides a treatment.
COMPLETE = {
    "diagnosis_text": "Breast cancer (C50.9)",
    "date_of_diagnosis": datetime.date(2025, 3, 1),
    "treatment_aim": "curative",
    "red_flags": "A new lump; bone pain that does not go away",
    "contacts_in_hours": "Breast CNS team 0113 496 0000",
    "contacts_out_of_hours": "Acute oncology 0113 496 0999",
    "responsible_clinician": "Dr A Example",
    "ongoing_management": "Annual mammogram for 5 years",
    "follow_up_pathway": "pifu",
    "patient_has_copy": True,
}
# (type, description, start, end)
ONE_TREATMENT = [("surgery", "Wide local excision", datetime.date(2025, 4, 1), datetime.date(2025, 4, 1))]
# What make_summary's versions hold (the API and FHIR tests read it back field by field).
STAGED = {
    "diagnosis_text": "Breast cancer",
    "date_of_diagnosis": datetime.date(2026, 3, 2),
    "t_stage": "T2",
    "n_stage": "N0",
    "m_stage": "M0",
    "treatment_aim": "curative",
    "follow_up_pathway": "pifu",
}
STAGED_TREATMENTS = [
    ("surgery", "Wide local excision", datetime.date(2026, 4, 1), datetime.date(2026, 4, 1)),
    ("radiotherapy", "40 Gy", datetime.date(2026, 5, 4), None),
]
STAGED_GP_ACTIONS = ("Prescribe letrozole for five years",)


def stand_in_pdf(version) -> bytes:
    """A PDF stand-in that differs per version, so a test can tell which version's bytes it got."""
    return f"%PDF-1.4 stand-in for summary {version.summary_id} v{version.number}\n%%EOF".encode()


def fresh(version) -> SummaryVersion:
    return SummaryVersion.objects.get(pk=version.pk)


def writer(cast, team=None):
    """The team's CNS, who writes and sends its summaries (the cast has one per team)."""
    return cast.cns_b if team == cast.team_b else cast.cns_a


def clinician(cast, team=None, email=None):
    """The team's clinician, who signs off (with an authenticator app, as every staff user has).
    The same user on every call, so fixtures can ask for it as often as they like."""
    team = team or cast.team_a
    email = email or ("clinician.b@example.com" if team == cast.team_b else "clinician.a@example.com")
    user = User.objects.filter(email=email).first()
    if user is None:
        user = UserFactory(email=email, first_name="Asha", last_name="Rao")
        give_totp(user)
    if not user.role_assignments.filter(role=Role.CLINICIAN, team=team).exists():
        RoleAssignmentFactory(user=user, role=Role.CLINICIAN, organisation=team.organisation, team=team)
    return user


def fill(actor, version, *, fields=None, treatments=(), gp_actions=(), side_effects=()) -> SummaryVersion:
    """Write into a draft through the services, as the pages do; the draft as it is now."""
    if fields:
        summaries.update(actor=actor, version=version, seen_lock_version=fresh(version).lock_version, **fields)
    if side_effects:
        summaries.set_side_effects(
            actor=actor, version=version, seen_lock_version=fresh(version).lock_version, option_ids=side_effects
        )
    for treatment_type, description, start, end in treatments:
        summaries.add_treatment(
            actor=actor,
            version=version,
            seen_lock_version=fresh(version).lock_version,
            treatment_type=treatment_type,
            description=description,
            start_date=start,
            end_date=end,
        )
    for text in gp_actions:
        summaries.add_gp_action(actor=actor, version=version, seen_lock_version=fresh(version).lock_version, text=text)
    return fresh(version)


def complete_draft(
    cast, patient=None, actor=None, *, team=None, treatments=ONE_TREATMENT, gp_actions=(), side_effects=(), **fields
):
    """A new summary's first version, a draft with everything sign-off needs (COMPLETE and the
    treatments; `fields` override), for `patient` (the cast's) of `team` (A)."""
    actor = actor or writer(cast, team)
    version = summaries.start(actor=actor, patient=patient or cast.patient)
    return fill(
        actor,
        version,
        fields=COMPLETE | fields,
        treatments=treatments,
        gp_actions=gp_actions,
        side_effects=side_effects,
    )


def make_version(cast, status="sent", *, amend=None, team=None, doctor=None, pdf=FAKE_PDF, reason=None, **content):
    """One version made through the services and taken as far as `status` (draft, signed_off or
    sent): a new summary's first version (complete_draft's arguments in `content`), or with
    `amend=` a sent version, its amendment (copied from it, `content` as field changes), which once
    sent supersedes it. Signed off by the team's clinician unless `doctor`; sent by its CNS."""
    if status not in ("draft", "signed_off", "sent"):
        raise ValueError(f"the services make a draft, signed_off or sent version, not {status!r}")
    team = team or (amend.summary.team if amend is not None else cast.team_a)
    actor = writer(cast, team)
    if amend is None:
        draft = complete_draft(cast, actor=actor, team=team, **content)
    else:
        draft = summaries.amend(actor=actor, version=amend, reason=reason or AMENDMENT_REASON)
        draft = fill(actor, draft, fields=content)
    if status == "draft":
        return draft
    render = pdf if callable(pdf) else (lambda _version: pdf)
    signed = summaries.sign_off(actor=doctor or clinician(cast, team), version=draft, render_pdf=render)
    if status == "signed_off":
        return signed
    return summaries.send(actor=actor, version=signed)


def signed_off(cast, doctor=None, pdf=FAKE_PDF, **content) -> SummaryVersion:
    return make_version(cast, "signed_off", doctor=doctor, pdf=pdf, **content)


def sent(cast, doctor=None, pdf=FAKE_PDF, **content) -> SummaryVersion:
    return make_version(cast, "sent", doctor=doctor, pdf=pdf, **content)


def make_summary(cast, patient=None, *, statuses=("sent",), team=None, **content):
    """A summary of `patient` (the cast's) by `team` (A) with one version per status, numbered from
    1, each an amendment of the one before: a history the services make, so every version but the
    last sent one is superseded, and a draft or signed_off one comes last, e.g. ("superseded",
    "sent", "draft"). Versions hold STAGED, two treatments and one GP action unless `content` says
    otherwise, and each its own stand-in PDF."""
    content = {"treatments": STAGED_TREATMENTS, "gp_actions": STAGED_GP_ACTIONS, **STAGED, **content}
    made = None
    for status in statuses:
        target = "sent" if status == "superseded" else status
        if made is None:
            made = make_version(cast, target, team=team, patient=patient, pdf=stand_in_pdf, **content)
        else:
            made = make_version(cast, target, amend=made, pdf=stand_in_pdf)
    got = list(SummaryVersion.objects.filter(summary=made.summary).order_by("number").values_list("status", flat=True))
    if got != list(statuses):
        raise ValueError(f"the services cannot make the history {list(statuses)} (they made {got})")
    return made.summary


def sent_version(cast, *, patient=None, team=None, after=None, status="sent", actions=(), **fields):
    """A signed-off version, sent unless `status` says signed_off, of a new summary or, with `after=`
    a sent version, its amendment; `actions` are the GP actions (added to the new summary's draft),
    `fields` its content. Its stored PDF is stand_in_pdf(version)."""
    if after is not None:
        return make_version(cast, status, amend=after, pdf=stand_in_pdf, **fields)
    fields.setdefault("diagnosis_text", "Breast cancer")
    return make_version(cast, status, team=team, patient=patient, gp_actions=actions, pdf=stand_in_pdf, **fields)


def delivered(cast, **kwargs):
    """The practice inbox entry that sending a version made (to the patient's registered practice,
    practice A for the cast's patient), with two GP actions unless told."""
    kwargs.setdefault("actions", ("PSA every 6 months", "Bone health review"))
    return sent_version(cast, **kwargs).practice_deliveries.get()
