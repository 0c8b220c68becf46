"""Staff forms for results: typing one in, a CSV upload, reviewing (and telling the patient in the
same submit), and matching an unmatched result to a test."""

from decimal import Decimal

from django import forms

from followup.models import Result, TestType
from portal.ui import forms as nhs

NOT_YET = ""
ABNORMAL_CHOICES = [("yes", "Abnormal"), ("no", "Normal"), ("unknown", "Not said")]


class KeyInForm(forms.Form):
    nhs_number = nhs.CharField(label="NHS number", hint="10 digits, for example 943 476 5919", width=10)
    test_code = nhs.SelectField(label="Test", choices=())
    sample_date = nhs.DateField(label="Date the sample was taken", hint="For example, 20 7 2026", past_only=True)
    value = nhs.CharField(label="Value (optional)", required=False, width=10, hint="A number, for blood tests")
    units = nhs.CharField(label="Units (optional)", required=False, width=10)
    abnormal = nhs.ChoiceField(label="Was the result abnormal?", choices=ABNORMAL_CHOICES)
    report_text = nhs.TextareaField(label="Report (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["test_code"].choices = [("", "Choose a test")] + [
            (t.code, t.name) for t in TestType.objects.order_by("name")
        ]

    def clean_value(self):
        text = (self.cleaned_data.get("value") or "").strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise forms.ValidationError("Value must be a number, like 2.5") from None
        if not value.is_finite() or abs(value) >= Decimal("1e9"):
            raise forms.ValidationError("Value must be a number, like 2.5")
        return value

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["abnormal"] = {"yes": True, "no": False}.get(data["abnormal"])
        return data


class CsvFileField(nhs.NHSFieldMixin, forms.FileField):
    required_verb = "Choose"

    def extra_params(self, bf):
        return {"type": "file", "value": "", "attributes": {"accept": ".csv,text/csv"}}


class UploadForm(forms.Form):
    MAX_BYTES = 2 * 1024 * 1024

    file = CsvFileField(
        label="CSV file of results",
        hint="The first line names the columns: nhs_number, test_code, sample_date, value, units, "
        "abnormal, report_text",
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB; split it into smaller files")
        return upload


class ReviewForm(forms.Form):
    """Reviewed, and tell the patient by X: one submit, then the next result (ADR 0028)."""

    note = nhs.TextareaField(label="Review note (optional)", required=False)
    tell_by = nhs.ChoiceField(
        label="Tell the patient",
        choices=[(NOT_YET, "Not yet: I will tell them later"), *Result.ToldHow.choices],
        required=False,
    )


class TellForm(forms.Form):
    how = nhs.ChoiceField(
        label="How was the patient told?",
        choices=Result.ToldHow.choices,
        error_messages={"required": "Select how the patient was told"},
    )


class MatchForm(forms.Form):
    test = nhs.SelectField(label="Match to this test", error_messages={"required": "Choose the test"}, choices=())

    def __init__(self, *args, tests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tests = {str(t.pk): t for t in tests}
        self.fields["test"].choices = [("", "Choose a test")] + [
            (str(t.pk), f"{t.pathway.patient.full_name}, NHS number {t.pathway.patient.nhs_number}: "
             f"{t.test_type.name} due {t.due_date:%-d %B %Y}")
            for t in tests
        ]  # fmt: skip

    def clean_test(self):
        return self.tests[self.cleaned_data["test"]]
