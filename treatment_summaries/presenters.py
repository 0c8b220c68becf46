"""How a treatment summary version reads: on the staff page, in the GP inbox and in its PDF (all
use SummaryPresenter.groups(), so the clinician, the GP and the patient read the same words).
Values are plain text or lists of plain text; templates escape them."""

import re

from django.urls import reverse
from django.utils.html import escape, format_html_join, linebreaks
from django.utils.safestring import mark_safe

from portal.ui.presenters import format_date, format_nhs_number
from treatment_summaries import surveillance
from treatment_summaries.models import BenefitsForm, GPActionResponse, SummaryVersion

STATUS_TAG = {
    SummaryVersion.Status.DRAFT: "nhsuk-tag--grey",
    SummaryVersion.Status.SIGNED_OFF: "nhsuk-tag--blue",
    SummaryVersion.Status.SENT: "nhsuk-tag--green",
    SummaryVersion.Status.SUPERSEDED: "nhsuk-tag--white",
}
NOT_RECORDED = "Not recorded"
CHANNEL_WORDS = {"email": "email", "sms": "text message", "letter": "letter", "portal": "My care"}

# The edit page for each field (the sign-off error summary links to them).
SECTION_FIELDS = {
    "diagnosis": ["diagnosis_text", "date_of_diagnosis", "t_stage", "n_stage", "m_stage", "staging_comments"],
    "aim": ["treatment_aim", "follow_up_pathway"],
    "effects": ["side_effects_text"],
    "contacts": ["red_flags", "contacts_in_hours", "contacts_out_of_hours", "responsible_clinician", "cns_name"],
    "plan": ["referrals", "ongoing_management", "new_medication"],
    "support": ["benefits_form", "benefits_form_date", "prescription_exemption", "supportive_care_register"],
    "information": ["information_given", "patient_has_copy", "carer_contact"],
}
FIELD_SECTION = {name: section for section, names in SECTION_FIELDS.items() for name in names}
FIELD_SECTION |= {"side_effects": "effects", "treatments": "treatments", "gp_actions": "gp_actions"}


def staging_text(t: str, n: str, m: str) -> str:
    """T, N and M as entered, each once: "T1c N0 M0" whether or not the letter was typed (a bare
    "1c" reads T1c), prefixes such as p, c or yp kept ("pT2"), empty ones left out."""
    parts = []
    for letter, value in zip("TNM", (t, n, m), strict=True):
        value = (value or "").strip()
        if value:
            typed_letter = re.match(rf"[a-z]*{letter}", value, re.IGNORECASE)
            parts.append(value if typed_letter else f"{letter}{value}")
    return " ".join(parts)


def section_url(summary_id, section: str) -> str:
    if section in ("treatments", "gp_actions"):
        return reverse(f"treatment_summaries:{section}", kwargs={"summary_id": summary_id})
    return reverse(f"treatment_summaries:edit_{section}", kwargs={"summary_id": summary_id})


def field_anchor(name: str) -> str:
    return {"date_of_diagnosis": "id_date_of_diagnosis_day", "treatments": "treatment_type"}.get(name, f"id_{name}")


def as_html(value):
    """A row value for the NHS.UK summary list: typed text escaped, line breaks kept."""
    if isinstance(value, list):
        if not value:
            return "None"
        items = format_html_join("", "<li>{}</li>", ((item,) for item in value))
        return mark_safe(f'<ul class="nhsuk-list nhsuk-list--bullet">{items}</ul>')  # noqa: S308 (escaped above)
    return mark_safe(linebreaks(escape(value)))  # noqa: S308 (escaped first)


def _who(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _when_who(at, by) -> str:
    return f"{format_date(at)} by {_who(by)}" if at else "Not yet"


class SummaryPresenter:
    """One version. `editor`: the viewer is in the patient's care team; `deliveries`: the hospital view
    of practice acknowledgement (treatment_summaries.services.inbox.delivery_status); `live_plan`: the
    follow-up plan now (treatment_summaries.surveillance.live_plan), shown while the version is a draft."""

    def __init__(self, version, *, editor=False, deliveries=None, newer=None, live_plan=None):
        self.version = version
        self.live_plan = live_plan
        self.summary = version.summary
        self.editor = editor
        self.deliveries = deliveries or []
        self.newer = newer

    # State
    @property
    def status(self) -> str:
        return self.version.get_status_display()

    @property
    def status_class(self) -> str:
        return STATUS_TAG[self.version.status]

    @property
    def is_draft(self) -> bool:
        return self.version.status == SummaryVersion.Status.DRAFT

    @property
    def is_superseded(self) -> bool:
        return self.version.status == SummaryVersion.Status.SUPERSEDED

    @property
    def is_amendment(self) -> bool:
        return self.version.is_amendment

    @property
    def editable(self) -> bool:
        return self.editor and self.is_draft

    @property
    def can_send(self) -> bool:
        return self.editor and self.version.status == SummaryVersion.Status.SIGNED_OFF

    @property
    def can_amend(self) -> bool:
        return self.editor and self.version.status == SummaryVersion.Status.SENT

    @property
    def has_pdf(self) -> bool:
        return not self.is_draft and bool(self.version.pdf_sha256)

    @property
    def label(self) -> str:
        return f"Version {self.version.number}"

    @property
    def superseded_text(self) -> str:
        newer = f" by version {self.newer.number}" if self.newer else ""
        return f"This version has been replaced{newer}. It is kept as it was sent, for the record."

    @property
    def amendment_reason(self) -> str:
        return self.version.amendment_reason

    # Who and where
    @property
    def patient_name(self) -> str:
        return self.summary.patient.full_name

    @property
    def nhs_number(self) -> str:
        return format_nhs_number(self.summary.patient.nhs_number)

    @property
    def date_of_birth(self) -> str:
        return format_date(self.summary.patient.date_of_birth)

    @property
    def team(self) -> str:
        return self.summary.team.name

    @property
    def signed_off(self) -> str:
        """When, by whom, and in which role (the trust's setting may let a CNS sign, ADR 0051)."""
        v = self.version
        if not v.signed_off_at:
            return ""
        role = f", {v.get_signed_off_role_display().lower()}" if v.signed_off_role else ""
        return _when_who(v.signed_off_at, v.signed_off_by) + role

    @property
    def sent(self) -> str:
        return format_date(self.version.sent_at)

    @property
    def filename(self) -> str:
        # No name or NHS number: download folders and email attachments are not private.
        return f"treatment-summary-v{self.version.number}.pdf"

    # URLs
    def url(self, name="summary") -> str:
        return reverse(f"treatment_summaries:{name}", kwargs={"summary_id": self.summary.pk})

    @property
    def version_url(self) -> str:
        kwargs = {"summary_id": self.summary.pk, "version_id": self.version.pk}
        return reverse("treatment_summaries:version", kwargs=kwargs)

    @property
    def pdf_url(self) -> str:
        return reverse("treatment_summaries:version_pdf", kwargs={"version_id": self.version.pk})

    # Content
    def treatments(self) -> list[str]:
        lines = []
        for t in self.version.treatments.all():
            dates = format_date(t.start_date) + (f" to {format_date(t.end_date)}" if t.end_date else ", ongoing")
            lines.append(f"{t.get_treatment_type_display()}: {t.description} ({dates})")
        return lines

    def effects(self, kind) -> list[str]:
        options = sorted(self.version.side_effects.all(), key=lambda o: (o.treatment_type, o.position))
        return [f"{o.text} ({o.get_treatment_type_display().lower()})" for o in options if o.kind == kind]

    def gp_actions(self) -> list[str]:
        return [a.text for a in self.version.gp_actions.all()]

    @property
    def plan(self) -> dict | None:
        """The follow-up plan shown: the pathway now while a draft, as it was at sign-off after (ADR 0054)."""
        return self.live_plan if self.is_draft else self.version.surveillance_plan

    def surveillance(self) -> list[str] | str | None:
        return surveillance.lines(self.plan, signed=not self.is_draft)

    def _plan_rows(self) -> list[tuple]:
        """The tests from the follow-up pathway, with the free text beside them as the rest of the plan;
        with no tests listed the free text stands alone, under its own name."""
        v, tests = self.version, self.surveillance()
        free = ("ongoing_management", "Ongoing management and surveillance plan", v.ongoing_management or NOT_RECORDED)
        if tests is None:
            return [free]
        if isinstance(tests, str):
            return [("surveillance_plan", "Follow-up and surveillance tests", tests), free]
        other = ("ongoing_management", "Other ongoing management", v.ongoing_management or "None")
        return [("surveillance_plan", "Follow-up and surveillance tests", tests), other]

    def _plan_action(self) -> dict | None:
        """The tests are changed on the follow-up pages, not here: a link there, for who may."""
        plan = self.plan or {}
        if plan.get("set_url"):
            return {"href": plan["set_url"], "text": "Choose a follow-up pathway"}
        if plan.get("pathway"):
            href = f"/follow-up/patients/{self.summary.patient_id}/"
            return {"href": href, "text": "Change", "visuallyHiddenText": "follow-up and surveillance tests"}
        return None

    def benefits_form(self) -> str:
        v = self.version
        if v.benefits_form in ("", None):
            return NOT_RECORDED
        if v.benefits_form == BenefitsForm.NONE:
            return "Not given"
        return f"{v.get_benefits_form_display()} given on {format_date(v.benefits_form_date)}"

    def groups(self) -> list[dict]:
        """The summary's content as headed groups of (field, label, value) rows."""
        v = self.version
        staging = staging_text(v.t_stage, v.n_stage, v.m_stage)
        has_copy = {True: "Yes", False: "No", None: NOT_RECORDED}[v.patient_has_copy]
        register = {True: "Yes", False: "No", None: NOT_RECORDED}[v.supportive_care_register]
        kinds = ("side_effect", "late_effect")
        return [
            {"heading": "Diagnosis and staging", "rows": [
                ("diagnosis_text", "Diagnosis", v.diagnosis_text or NOT_RECORDED),
                ("date_of_diagnosis", "Date of diagnosis", format_date(v.date_of_diagnosis) or NOT_RECORDED),
                ("t_stage", "Staging (T, N, M)", staging or NOT_RECORDED),
                ("staging_comments", "Staging comments", v.staging_comments or "None"),
                ("treatment_aim", "Treatment aim", v.get_treatment_aim_display() or NOT_RECORDED),
            ]},
            {"heading": "Treatment given", "rows": [("treatments", "Treatments", self.treatments())]},
            {"heading": "Side effects, late effects and red flags", "rows": [
                ("side_effects", "Possible side effects", self.effects(kinds[0])),
                ("side_effects", "Possible late effects", self.effects(kinds[1])),
                ("side_effects_text", "Other side effects and late effects", v.side_effects_text or "None"),
                ("red_flags", "Red-flag symptoms that need referral back", v.red_flags or NOT_RECORDED),
            ]},
            {"heading": "Contacts", "rows": [
                ("contacts_in_hours", "Contacts in hours", v.contacts_in_hours or NOT_RECORDED),
                ("contacts_out_of_hours", "Contacts out of hours", v.contacts_out_of_hours or NOT_RECORDED),
                ("responsible_clinician", "Responsible clinician", v.responsible_clinician or NOT_RECORDED),
                ("cns_name", "Clinical nurse specialist", v.cns_name or NOT_RECORDED),
                ("carer_contact", "Carer or emergency contact", v.carer_contact or NOT_RECORDED),
            ]},
            {"heading": "Plan and actions for the GP", "rows": [
                ("referrals", "Referrals made", v.referrals or "None"),
                *self._plan_rows(),
                ("follow_up_pathway", "Follow-up pathway", v.get_follow_up_pathway_display() or NOT_RECORDED),
                ("new_medication", "New medication", v.new_medication or "None"),
                ("gp_actions", "Actions for the GP", self.gp_actions()),
            ]},
            {"heading": "Benefits, prescriptions and registers", "rows": [
                ("benefits_form", "Special-rules benefits form (SR1 or DS1500)", self.benefits_form()),
                ("prescription_exemption", "Prescription charge exemption",
                 v.get_prescription_exemption_display() or NOT_RECORDED),
                ("supportive_care_register", "Palliative or supportive care register recommended", register),
            ]},
            {"heading": "Information and copies", "rows": [
                ("information_given", "Information given about diagnosis and prognosis",
                 v.information_given or NOT_RECORDED),
                ("patient_has_copy", "Patient has a copy", has_copy),
            ]},
        ]  # fmt: skip

    def summary_lists(self, omit=()) -> list[dict]:
        """groups() as NHS.UK summary-list parameters, with "Change" links while a draft; rows named
        in `omit` are left out (a page that shows them its own way, such as the GP inbox)."""
        lists = []
        for group in self.groups():
            rows = []
            for name, label, value in group["rows"]:
                if name in omit:
                    continue
                row = {"key": {"text": label}, "value": {"html": as_html(value)}}
                if name == "surveillance_plan":
                    action = self._plan_action() if self.editable else None
                    row |= {"actions": {"items": [action]}} if action else {}
                elif self.editable:
                    href = section_url(self.summary.pk, FIELD_SECTION.get(name, "diagnosis"))
                    row["actions"] = {"items": [{"href": href, "text": "Change", "visuallyHiddenText": label.lower()}]}
                rows.append(row)
            lists.append({"heading": group["heading"], "rows": rows})
        return lists

    def section_rows(self, section: str) -> list[dict]:
        """What the saved draft says for one edit page (shown after a refused, stale save)."""
        names = set(SECTION_FIELDS.get(section, [])) | ({"side_effects"} if section == "effects" else set())
        return [
            {"key": {"text": label}, "value": {"html": as_html(value)}}
            for group in self.groups()
            for name, label, value in group["rows"]
            if name in names
        ]

    # The hospital view of what the practice did
    def delivery_rows(self) -> list[dict]:
        answers = {
            GPActionResponse.Status.DONE: "Done",
            GPActionResponse.Status.NOT_APPLICABLE: "Not applicable",
        }
        out = []
        for d in self.deliveries:
            rows = [
                ("State", d.state.capitalize()),
                ("Read", _when_who(d.first_read_at, d.first_read_by)),
                ("Acknowledged", _when_who(d.acknowledged_at, d.acknowledged_by)),
            ]
            if d.reminded_at:
                rows.append(("Practice reminded", format_date(d.reminded_at)))
            for a in d.actions:
                latest = a.latest
                if latest is None:
                    text = "No answer yet"
                else:
                    answer = answers.get(latest.status, latest.status)
                    text = f"{answer}, {_when_who(latest.created_at, latest.created_by)}"
                    text += f": {latest.note}" if latest.note else ""
                rows.append((f"GP action: {a.action.text}", text))
            out.append(
                {"practice": d.practice.name, "rows": [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]}
            )
        return out

    @property
    def patient_copy(self) -> str:
        copy = getattr(self.version, "patient_copy", None) if self.version.sent_at else None
        if copy is None:
            return ""
        text = f"Sent by {CHANNEL_WORDS.get(copy.channel, copy.channel)}"
        return text + (f", printed {format_date(copy.printed_at)}" if copy.printed_at else "")


class VersionRow:
    """One line of a summary's version history."""

    def __init__(self, version, *, current=False):
        self.version, self.current = version, current
        self.p = SummaryPresenter(version)

    def __getattr__(self, name):
        return getattr(self.p, name)
