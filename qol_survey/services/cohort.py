"""Who the quality of life survey is for (issue 12 item 3, ADR 0034): each diagnosis of a cancer
(ICD-10 C00-C97, not C44 other skin cancers) in someone 16 or over when diagnosed, who is alive and
has not opted out of surveys, not already invited about it, once it is QOL_DUE_MONTHS after the date
of diagnosis. One row per diagnosis: a patient with two cancers is asked about each."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import DateField, Exists, F, Func, OuterRef, Q

from portal.people.models import Diagnosis
from qol_survey.models import Invitation

# C00-C97 in the first three characters: C00..C09, C10..C89, C90..C97.
CANCER_ICD10 = r"^C(0[0-9]|[1-8][0-9]|9[0-7])"


def _years_before(field: str, years: int):
    """The date `years` years before a date column, in SQL (29 February goes to 28 February)."""
    return Func(F(field), template=f"(%(expressions)s - interval '{int(years)} years')::date", output_field=DateField())


def eligible(today: datetime.date):
    """Diagnoses due an invitation today."""
    due_by = today - relativedelta(months=settings.QOL_DUE_MONTHS)
    not_before = due_by - relativedelta(months=settings.QOL_DUE_WINDOW_MONTHS)
    return (
        Diagnosis.objects.filter(icd10_code__iregex=CANCER_ICD10)
        .exclude(icd10_code__istartswith="C44")
        .filter(date_of_diagnosis__lte=due_by, date_of_diagnosis__gte=not_before)
        .filter(patient__date_of_death__isnull=True, patient__survey_opt_out=False)
        .filter(Q(patient__date_of_birth__lte=_years_before("date_of_diagnosis", settings.QOL_MIN_AGE_AT_DIAGNOSIS)))
        .exclude(Exists(Invitation.objects.filter(diagnosis=OuterRef("pk"))))
        .select_related("patient")
    )
