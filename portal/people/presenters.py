"""How patient records read on staff pages."""

from portal.people.support import need_lines, support_person_line
from portal.ui.presenters import format_date, format_nhs_number


class PatientPresenter:
    def __init__(self, patient, diagnoses=None):
        self.patient = patient
        # The diagnoses the viewer may see (the view asks the policy table); none shown unless given.
        self._diagnoses = list(diagnoses) if diagnoses is not None else []

    @property
    def name(self) -> str:
        return self.patient.full_name

    @property
    def nhs_number(self) -> str:
        return format_nhs_number(self.patient.nhs_number)

    @property
    def date_of_birth(self) -> str:
        return format_date(self.patient.date_of_birth)

    @property
    def url(self) -> str:
        return f"/patients/{self.patient.pk}/"

    @property
    def practice(self) -> str:
        practice = self.patient.registered_practice
        return str(practice) if practice else "Not recorded"

    def summary_rows(self) -> list[dict]:
        p = self.patient
        rows = [
            ("NHS number", self.nhs_number),
            ("Date of birth", self.date_of_birth),
            ("Postcode", p.postcode or "Not recorded"),
            ("Email", p.email or "Not recorded"),
            ("Mobile", p.mobile or "Not recorded"),
            ("Preferred contact", p.get_preferred_contact_display()),
            ("Registered GP practice", self.practice),
            ("Care teams", ", ".join(t.name for t in p.care_teams.all()) or "None"),
            ("Communication needs", ", ".join(need_lines(p)) or "None recorded"),
            ("Carer or next of kin", support_person_line(p) or "None recorded"),
        ]
        if p.date_of_death:
            rows.append(("Date of death", format_date(p.date_of_death)))
        return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]

    def diagnoses(self) -> list[dict]:
        return [
            {
                "site": d.get_tumour_site_display(),
                "code": d.icd10_code,
                "diagnosed": format_date(d.date_of_diagnosis),
                "stage": d.get_stage_display(),
                "intent": d.get_treatment_intent_display(),
                "end_of_treatment": format_date(d.end_of_treatment_date) or "Not yet",
            }
            for d in self._diagnoses
        ]
