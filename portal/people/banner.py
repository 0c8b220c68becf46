"""The communication needs and carer banner on every staff page about one patient (ADR 0052).

The audit log already learns, on every page, whose records it showed (portal.audit.services notes
them on the request); the layout asks here once the page is rendered. So no app's view has to
remember it, and a page that lists many patients shows none."""

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people.models import Patient
from portal.people.support import need_lines, support_person_line


def patient_banner(request) -> dict | None:
    shown = getattr(request, "patients_shown", None) if request is not None else None
    if not shown or len(shown) != 1 or getattr(request, "role", None) is None:
        return None  # a patient's own pages, a list, or a page with no patient
    [(pk, patient)] = shown.items()
    if patient is None:
        patient = Patient.objects.visible_to(request.user).filter(pk=pk).first()
    if patient is None or not isinstance(patient, Patient):
        return None
    needs, person = need_lines(patient), support_person_line(patient)
    if not needs and not person:
        return None
    may_change = policy.may(request.user, RecordKind.PATIENT, "change")
    return {
        "needs": ", ".join(needs),
        "person": person,
        "change_url": f"/patients/{patient.pk}/support/" if may_change else "",
    }
