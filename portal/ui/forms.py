"""Form fields that render NHS.UK design-system components.

Each field knows which component it is and builds that macro's parameters, so templates
just call `field(form["name"])` from ui/fields.jinja. Fields carry `hint` and `classes`,
and each says its own error messages in plain English ("Enter your date of birth")."""

import datetime

from django import forms
from django.core.exceptions import ValidationError


class NHSFieldMixin:
    component = "input"
    required_verb = "Enter"

    def __init__(self, *args, hint=None, classes=None, label_classes=None, is_page_heading=False, **kwargs):
        self.hint = hint
        self.classes = classes
        self.label_classes = label_classes
        self.is_page_heading = is_page_heading
        super().__init__(*args, **kwargs)
        label = (self.label or "").lower() or "a value"
        if self.error_messages["required"] == forms.Field.default_error_messages["required"]:
            self.error_messages["required"] = f"{self.required_verb} {label}"
        # Django's own wording ("Select a valid choice. x is not one of the available choices.",
        # "Ensure this value has at most ...") names no field; a tampered or pasted value gets ours.
        if str(self.error_messages.get("invalid_choice", "")).startswith("Select a valid choice"):
            self.error_messages["invalid_choice"] = self.error_messages["required"]
        if getattr(self, "max_length", None) and "max_length" not in self.error_messages:
            self.error_messages["max_length"] = f"{label.capitalize()} must be {self.max_length} characters or fewer"

    def label_params(self, bf, legend=False):
        classes = self.label_classes or ("nhsuk-label--l" if self.is_page_heading else "")
        if legend:
            classes = classes.replace("label", "fieldset__legend")
            return {"text": bf.label, "classes": classes, "isPageHeading": self.is_page_heading}
        return {"text": bf.label, "classes": classes, "isPageHeading": self.is_page_heading}

    def common_params(self, bf) -> dict:
        params = {"id": bf.id_for_label or bf.auto_id, "name": bf.html_name}
        if self.hint:
            params["hint"] = {"text": self.hint}
        if bf.errors:
            params["errorMessage"] = {"text": " ".join(bf.errors)}
        if self.classes:
            params["classes"] = self.classes
        return params

    def component_params(self, bf) -> dict:
        value = bf.value()
        params = self.common_params(bf)
        params.update(label=self.label_params(bf), value="" if value is None else value)
        params.update(self.extra_params(bf))
        return params

    def extra_params(self, bf) -> dict:
        return {}

    def error_anchor(self, bf) -> str:
        return bf.auto_id


class CharField(NHSFieldMixin, forms.CharField):
    def __init__(self, *args, autocomplete=None, input_type="text", spellcheck=None, width=None, **kwargs):
        self.autocomplete, self.input_type, self.spellcheck, self.width = autocomplete, input_type, spellcheck, width
        super().__init__(*args, **kwargs)

    def extra_params(self, bf):
        extra = {"type": self.input_type}
        if self.autocomplete:
            extra["autocomplete"] = self.autocomplete
        if self.spellcheck is not None:
            extra["spellcheck"] = self.spellcheck
        if self.width:
            extra["width"] = self.width
        return extra


class TimeField(CharField):
    """A time of day typed as people write it ("14:30", "2:30pm", "9.15am"): the NHS.UK pattern is a
    plain text input with an example, not a browser time picker that varies by device."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("hint", "Use the 24-hour clock, for example, 14:30")
        kwargs.setdefault("width", 5)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        label = (self.label or "Time").capitalize()
        raw = text.strip().lower().replace(" ", "").replace(".", ":")
        suffix = raw[-2:] if raw[-2:] in ("am", "pm") else ""
        hours, _, minutes = raw.removesuffix(suffix).partition(":")
        minutes = minutes or "00"
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise ValidationError(f"{label} must be a time, like 14:30", code="invalid")
        hour, minute = int(hours), int(minutes)
        if suffix and not 1 <= hour <= 12:
            raise ValidationError(f"{label} must be a time, like 14:30 or 2:30pm", code="invalid")
        if suffix:
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError(f"{label} must be a real time, like 14:30", code="invalid")
        return datetime.time(hour, minute)

    def prepare_value(self, value):
        return f"{value:%H:%M}" if isinstance(value, datetime.time) else value


class EmailField(NHSFieldMixin, forms.EmailField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid", "Enter an email address in the correct format, like name@example.com"
        )
        super().__init__(*args, **kwargs)

    def extra_params(self, bf):
        return {"type": "email", "autocomplete": "email", "spellcheck": False}


class IntegerField(NHSFieldMixin, forms.IntegerField):
    def __init__(self, *args, width=3, **kwargs):
        self.width = width
        super().__init__(*args, **kwargs)
        label = (self.label or "the number").lower()
        self.error_messages["invalid"] = f"{label.capitalize()} must be a whole number"
        if self.min_value is not None and self.max_value is not None:
            between = f"{label.capitalize()} must be between {self.min_value} and {self.max_value}"
            self.error_messages["min_value"] = self.error_messages["max_value"] = between

    def widget_attrs(self, widget):
        # No min/max attributes: the browser must not block a submission before our message shows.
        return {}

    def extra_params(self, bf):
        return {"inputmode": "numeric", "width": self.width, "spellcheck": False}


class TextareaField(NHSFieldMixin, forms.CharField):
    component = "textarea"
    widget = forms.Textarea

    def component_params(self, bf):
        params = super().component_params(bf)
        params["rows"] = 5
        return params


class _ChoicesMixin(NHSFieldMixin):
    required_verb = "Select"

    def items(self, bf, selected):
        return [
            {"value": str(value), "text": str(text), "checked": str(value) in selected}
            for value, text in self.choices
            if value != ""
        ]

    def fieldset_params(self, bf):
        return {"legend": self.label_params(bf, legend=True)}

    def common_params(self, bf) -> dict:
        # No container id: the first radio or checkbox takes `idPrefix` itself (so the error
        # summary can link to it), and the same id on the container would be a duplicate.
        params = super().common_params(bf)
        params.pop("id", None)
        return params


class ChoiceField(_ChoicesMixin, forms.ChoiceField):
    """Radios: the NHS.UK pattern for picking one of a few."""

    component = "radios"
    widget = forms.RadioSelect

    def component_params(self, bf):
        params = self.common_params(bf)
        value = bf.value()
        params.update(
            idPrefix=bf.auto_id,
            fieldset=self.fieldset_params(bf),
            items=self.items(bf, {str(value)} if value not in (None, "") else set()),
        )
        return params

    def error_anchor(self, bf):
        return bf.auto_id


class SelectField(NHSFieldMixin, forms.ChoiceField):
    component = "select"
    required_verb = "Select"

    def component_params(self, bf):
        params = self.common_params(bf)
        value = "" if bf.value() is None else str(bf.value())
        params.update(
            label=self.label_params(bf),
            items=[{"value": str(k), "text": str(t), "selected": str(k) == value} for k, t in self.choices],
        )
        return params


class MultipleChoiceField(_ChoicesMixin, forms.MultipleChoiceField):
    """Checkboxes."""

    component = "checkboxes"
    widget = forms.CheckboxSelectMultiple

    def component_params(self, bf):
        params = self.common_params(bf)
        params.update(
            idPrefix=bf.auto_id,
            fieldset=self.fieldset_params(bf),
            items=self.items(bf, {str(v) for v in (bf.value() or [])}),
        )
        return params


class DateWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(NHSFieldMixin, forms.MultiValueField):
    """The NHS.UK date input (day, month, year boxes) with the design system's error wording."""

    component = "date"
    widget = DateWidget

    def __init__(self, *args, past_only=False, **kwargs):
        self.past_only = past_only
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.setdefault("require_all_fields", False)
        super().__init__(parts, *args, **kwargs)

    def compress(self, data_list):
        label = self.label or "Date"
        day, month, year = (str(p).strip() if p not in (None, "") else "" for p in (data_list or ["", "", ""]))
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if len(missing) == 3:
            return None
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(f"{label} must be a real date", code="invalid")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{label} must be a real date", code="invalid") from exc
        if self.past_only and value > datetime.date.today():
            raise ValidationError(f"{label} must be today or in the past", code="future")
        return value

    def clean(self, value):
        # MultiValueField's own clean reports "required" only if every part is empty and
        # validates parts separately; our compress says precisely which part is missing.
        parts = value if isinstance(value, list | tuple) else self.widget.decompress(value)
        result = self.compress(list(parts))
        if result is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return result

    def component_params(self, bf):
        params = self.common_params(bf)
        raw = bf.value()
        if not isinstance(raw, list | tuple):
            raw = self.widget.decompress(raw)
        has_error = bool(bf.errors)
        params["fieldset"] = {"legend": self.label_params(bf, legend=True)}
        params["items"] = [
            {
                "id": f"{bf.auto_id}_{part}",
                "name": f"{bf.html_name}_{part}",
                "label": part.capitalize(),
                "value": "" if raw[i] is None else raw[i],
                "width": 4 if part == "year" else 2,
                "classes": "nhsuk-input--error" if has_error else "",
            }
            for i, part in enumerate(("day", "month", "year"))
        ]
        return params

    def error_anchor(self, bf):
        return f"{bf.auto_id}_day"


class BooleanField(NHSFieldMixin, forms.BooleanField):
    """A single checkbox (for a yes/no the person must confirm)."""

    component = "checkboxes"
    required_verb = "Select"

    def component_params(self, bf):
        params = self.common_params(bf)
        params.pop("id", None)  # the checkbox itself takes idPrefix (see _ChoicesMixin.common_params)
        params.update(
            idPrefix=bf.auto_id,
            items=[{"value": "on", "text": str(bf.label), "checked": bool(bf.value())}],
        )
        return params


def error_list(form) -> list[dict]:
    """Error summary items: each links to its field so keyboard users can jump to it."""
    items = [{"text": str(e), "href": "#"} for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bf = form[name]
        anchor = bf.field.error_anchor(bf) if isinstance(bf.field, NHSFieldMixin) else bf.auto_id
        items.extend({"text": str(e), "href": f"#{anchor}"} for e in errors)
    return items
