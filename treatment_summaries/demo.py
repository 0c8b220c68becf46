"""The treatment summary app's demo stages (seed_demo asks TreatmentSummariesConfig.demo_stages,
ADR 0023): patients of the breast care team with a summary at each stage, made through the same
services the pages call: written by the demo CNS, signed off by the team's clinician (with the real
PDF), sent by the CNS, then opened, answered and acknowledged by the GP at Millbrook Surgery.

- draft: started and partly written;
- signed off: complete and signed off, not yet sent;
- sent: delivered to the practice, not opened yet (the patient gets it by post: a letter to print);
- read: opened by the GP, not acknowledged;
- acknowledged: each GP action answered, then acknowledged (demo patient 0, who has an account,
  reads it in My care);
- palliative: a palliative-intent summary telling the GP of the SR1 form, the prescription charge
  exemption and the supportive care register, sent to Hillside Medical Practice;
- signed by a CNS (after the other apps' stages, `demo_after`: the patient on the breast team's
  follow-up pathway): the demo trust lets a CNS sign off (ADR 0051), and the summary keeps the
  follow-up tests from the pathway (ADR 0054).

The GP actions are chosen from the prompts (GPActionOption), with the details beside them.

A patient who already has any summary is left as they are, so a second run makes nothing."""

from datetime import timedelta

from django.utils import timezone

from portal.people.demo import Stage
from treatment_summaries.models import (
    GPActionOption,
    GPActionResponse,
    SideEffectOption,
    SignOffBy,
    SummaryVersion,
    TrustSummarySettings,
)
from treatment_summaries.pdf import render_summary
from treatment_summaries.services import inbox, summaries

CNS, CLINICIAN, GP = "cns.breast", "clinician.breast", "gp.millbrook"
# Demo patient indexes (portal.people.demo): the breast care team's; all but SIGNED_OFF are
# registered with Millbrook Surgery, where the GP works, and SENT prefers letters.
DRAFT, SIGNED_OFF, SENT, READ, ACKNOWLEDGED = 24, 15, 6, 12, 0
# Breast patients registered with Hillside: a palliative-intent summary, and one signed off by the
# CNS for the patient the follow-up demo puts on professional-led follow-up (followup/demo_pathways.py).
PALLIATIVE, CNS_SIGNED = 33, 21

CONTENT = {
    "t_stage": "T2",
    "n_stage": "N0",
    "m_stage": "M0",
    "treatment_aim": "curative",
    "side_effects_text": "Some tiredness for a few months after radiotherapy.",
    "red_flags": "A new lump in either breast or armpit; bone pain that does not go away; breathlessness; "
    "a cough that lasts more than 3 weeks. Call the breast care team.",
    "referrals": "Lymphoedema clinic; living well after cancer course",
    "ongoing_management": "Mammogram every year for 5 years. Letrozole for 5 years. Patient-initiated "
    "follow-up: the patient calls the team with any concern.",
    "follow_up_pathway": "pifu",
    "new_medication": "Letrozole 2.5 mg once a day for 5 years",
    "information_given": "The diagnosis, the treatment and what to look out for; the patient knows the "
    "treatment aimed to cure the cancer.",
    "patient_has_copy": True,
    "carer_contact": "Partner (next of kin), 07700 900 999",
}
SIDE_EFFECTS = [
    "surgery-pain",
    "radiotherapy-skin",
    "radiotherapy-fatigue",
    "hormone-hot-flushes",
    "hormone-bone-health",
]
# (prompt code, or None for free text alone; the details beside it)
GP_ACTIONS = [
    ("medication", "Prescribe letrozole 2.5 mg once a day for 5 years, and review side effects after 3 months"),
    ("bone-health", "Arrange a bone density (DEXA) scan within 6 months"),
    (None, "Offer a cancer care review within 6 months"),
]
PALLIATIVE_CONTENT = CONTENT | {
    "t_stage": "T4",
    "n_stage": "N2",
    "m_stage": "M1",
    "treatment_aim": "palliative",
    "ongoing_management": "Letrozole and palbociclib; scans every 3 months at the breast clinic to check the "
    "treatment is still working.",
    "follow_up_pathway": "palliative",
    "information_given": "The patient knows the cancer has spread to the bones and cannot be cured, and that "
    "treatment aims to control it for as long as possible.",
    "benefits_form": "sr1",
    "prescription_exemption": "given",
    "supportive_care_register": True,
}
PALLIATIVE_GP_ACTIONS = [
    ("supportive-care-register", "Please add to the practice's palliative care register"),
    ("benefits", "SR1 given: the patient may ask for help with a Personal Independence Payment claim"),
    ("bone-health", "Denosumab injections every 4 weeks at the hospital: please check calcium and vitamin D"),
]
# The GP's answer to each action above: (status, note).
ANSWERS = [
    (GPActionResponse.Status.DONE, ""),
    (GPActionResponse.Status.DONE, "Booked for next month"),
    (GPActionResponse.Status.NOT_APPLICABLE, "Review already done at the practice last week"),
]


def demo_stages(world) -> list[Stage]:
    # The demo trust lets a CNS sign off too (ADR 0051): the CNS_SIGNED stage shows it.
    TrustSummarySettings.objects.get_or_create(trust=world.trust, defaults={"sign_off_by": SignOffBy.CLINICIAN_OR_CNS})
    cns, clinician, gp = world.user(CNS), world.user(CLINICIAN), world.user(GP)
    made = [
        (DRAFT, "Treatment summary in draft", lambda p: _draft(cns, clinician, p)),
        (SIGNED_OFF, "Treatment summary signed off, not sent", lambda p: _signed_off(cns, clinician, p)),
        (SENT, "Treatment summary sent to the GP practice, not opened yet", lambda p: _sent(cns, clinician, p)),
        (READ, "Treatment summary read by the GP practice", lambda p: _read(cns, clinician, gp, p)),
        (
            ACKNOWLEDGED,
            "Treatment summary acknowledged, with the GP actions answered",
            lambda p: _acknowledged(cns, clinician, gp, p),
        ),
        (
            PALLIATIVE,
            "Treatment summary, palliative: SR1 form, prescription exemption and supportive care register",
            lambda p: _palliative(cns, clinician, p),
        ),
    ]
    stages = []
    for index, what, make in made:
        patient = world.patient(index)
        if not patient.treatment_summaries.exists():
            make(patient)
        stages.append(Stage(what, patient))
    return stages


def demo_after(world, stages) -> None:
    """Once follow-up has put its patients on pathways: a summary signed off by the breast team's CNS,
    with the follow-up tests from the patient's pathway kept in it, sent to their practice."""
    cns = world.user(CNS)
    patient = world.patient(CNS_SIGNED)
    if not patient.treatment_summaries.exists():
        content = CONTENT | {"ongoing_management": "Letrozole for 5 years."}  # the tests come from the pathway
        version = _written(cns, world.user(CLINICIAN), patient, content, GP_ACTIONS)
        summaries.send(actor=cns, version=summaries.sign_off(actor=cns, version=version, render_pdf=render_summary))
    stages.append(Stage("Treatment summary signed off by the CNS, with the tests from the follow-up pathway", patient))


def _started(cns, clinician, patient, fields) -> SummaryVersion:
    """A summary started from the patient's diagnosis with `fields` written, by the team's CNS."""
    version = summaries.start(actor=cns, patient=patient, diagnosis=_diagnosis(patient))
    return summaries.update(
        actor=cns,
        version=version,
        seen_lock_version=version.lock_version,
        responsible_clinician=clinician.get_full_name(),
        **fields,
    )


def _draft(cns, clinician, patient) -> SummaryVersion:
    """Started from the diagnosis, staged and with its first treatment: the rest is still to write."""
    staged = {name: CONTENT[name] for name in ("t_stage", "n_stage", "m_stage", "treatment_aim")}
    version = _started(cns, clinician, patient, staged)
    _add_treatments(cns, version, _treatments(patient)[:1])
    return _fresh(version)


def _written(cns, clinician, patient, content, actions) -> SummaryVersion:
    """Complete, ready to sign off: `content`, the side effects, the treatments and the GP `actions`."""
    version = _started(cns, clinician, patient, content)
    options = SideEffectOption.objects.filter(code__in=SIDE_EFFECTS, retired=False).values_list("pk", flat=True)
    summaries.set_side_effects(
        actor=cns, version=version, seen_lock_version=_fresh(version).lock_version, option_ids=list(options)
    )
    _add_treatments(cns, version, _treatments(patient))
    for code, details in actions:
        summaries.add_gp_action(
            actor=cns,
            version=version,
            seen_lock_version=_fresh(version).lock_version,
            text=details,
            option=GPActionOption.objects.get(code=code) if code else None,
        )
    return _fresh(version)


def _signed_off(cns, clinician, patient) -> SummaryVersion:
    version = _written(cns, clinician, patient, CONTENT, GP_ACTIONS)
    return summaries.sign_off(actor=clinician, version=version, render_pdf=render_summary)


def _palliative(cns, clinician, patient) -> SummaryVersion:
    # The form was given at the last clinic visit, a week ago.
    content = PALLIATIVE_CONTENT | {"benefits_form_date": timezone.localdate() - timedelta(days=7)}
    version = _written(cns, clinician, patient, content, PALLIATIVE_GP_ACTIONS)
    signed = summaries.sign_off(actor=clinician, version=version, render_pdf=render_summary)
    return summaries.send(actor=cns, version=signed)


def _sent(cns, clinician, patient) -> SummaryVersion:
    return summaries.send(actor=cns, version=_signed_off(cns, clinician, patient))


def _read(cns, clinician, gp, patient):
    delivery = _sent(cns, clinician, patient).practice_deliveries.get()
    return inbox.mark_read(actor=gp, delivery=delivery)


def _acknowledged(cns, clinician, gp, patient):
    delivery = _read(cns, clinician, gp, patient)
    for action, (status, note) in zip(delivery.version.gp_actions.order_by("position"), ANSWERS, strict=True):
        inbox.respond_to_action(actor=gp, action=action, status=status, note=note)
    return inbox.acknowledge(actor=gp, delivery=delivery)[0]


def _diagnosis(patient):
    return patient.diagnoses.order_by("-date_of_diagnosis").first()


def _treatments(patient) -> list[tuple]:
    """(type, description, start, end): surgery, radiotherapy and hormone therapy, dated from the
    patient's diagnosis."""
    diagnosis = _diagnosis(patient)
    diagnosed = diagnosis.date_of_diagnosis if diagnosis else timezone.localdate() - timedelta(days=365)
    surgery = diagnosed + timedelta(days=28)
    radiotherapy = surgery + timedelta(days=42)
    return [
        ("surgery", "Wide local excision and sentinel lymph node biopsy, left breast", surgery, surgery),
        ("radiotherapy", "40 Gy in 15 fractions to the left breast", radiotherapy, radiotherapy + timedelta(days=20)),
        ("hormone", "Letrozole 2.5 mg once a day", radiotherapy + timedelta(days=28), None),
    ]


def _add_treatments(cns, version, treatments) -> None:
    for treatment_type, description, start, end in treatments:
        summaries.add_treatment(
            actor=cns,
            version=version,
            seen_lock_version=_fresh(version).lock_version,
            treatment_type=treatment_type,
            description=description,
            start_date=start,
            end_date=end,
        )


def _fresh(version) -> SummaryVersion:
    """The version as the next page would read it (each service bumps its lock_version)."""
    return SummaryVersion.objects.get(pk=version.pk)
