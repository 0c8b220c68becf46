"""Form fields render NHS.UK components, with an error summary that links to each field."""

import datetime
import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory

from portal.ui import forms as nhs


class ExampleForm(forms.Form):
    name = nhs.CharField(label="Full name", hint="As it appears on your letters", autocomplete="name")
    email = nhs.EmailField(label="Email address", required=False)
    date_of_birth = nhs.DateField(label="Date of birth", past_only=True)
    score = nhs.IntegerField(label="Score", min_value=0, max_value=10)
    contact = nhs.ChoiceField(label="How should we contact you?", choices=[("email", "Email"), ("post", "Post")])
    topics = nhs.MultipleChoiceField(label="Topics", required=False, choices=[("a", "Alpha"), ("b", "Beta")])
    notes = nhs.TextareaField(label="Anything else", required=False)


def render(form):
    request = RequestFactory().post("/")
    request.csp_nonce = "n"
    return render_to_string("layout-form.jinja", {"form": form, "page_title": "Example"}, request=request)


VALID = {
    "name": "Ada Lovelace",
    "date_of_birth_day": "2",
    "date_of_birth_month": "1",
    "date_of_birth_year": "1950",
    "score": "7",
    "contact": "post",
    "topics": ["a"],
}


def test_valid_form_cleans_values():
    form = ExampleForm(data=VALID)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(1950, 1, 2)
    assert form.cleaned_data["score"] == 7


def test_empty_form_says_what_to_enter_and_links_to_fields():
    form = ExampleForm(data={})
    assert not form.is_valid()
    html = render(form)
    assert "<title>Error: Example" in html
    summary = html[html.index("nhsuk-error-summary") : html.index("</ul>", html.index("nhsuk-error-summary"))]
    assert 'href="#id_name"' in summary and "Enter full name" in summary
    assert 'href="#id_date_of_birth_day"' in summary and "Enter date of birth" in summary
    assert 'href="#id_contact"' in summary and "Select how should we contact you?" in summary
    assert "nhsuk-input--error" in html and "nhsuk-error-message" in html
    assert "novalidate" in html


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("2", "", "1950"), "Date of birth must include a month"),
        (("", "", "1950"), "Date of birth must include a day and a month"),
        (("31", "2", "1950"), "Date of birth must be a real date"),
        (("1", "1", "50"), "Date of birth must be a real date"),
        (("1", "1", "2999"), "Date of birth must be today or in the past"),
    ],
)
def test_date_errors_are_specific(parts, message):
    data = {**VALID, "date_of_birth_day": parts[0], "date_of_birth_month": parts[1], "date_of_birth_year": parts[2]}
    form = ExampleForm(data=data)
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]


def test_entered_values_are_kept_when_there_is_an_error():
    form = ExampleForm(data={**VALID, "score": "11", "email": "not-an-email"})
    assert not form.is_valid()
    assert form.errors["score"] == ["Score must be between 0 and 10"]
    assert form.errors["email"] == ["Enter an email address in the correct format, like name@example.com"]
    html = render(form)
    assert 'value="Ada Lovelace"' in html
    assert re.search(r'name="date_of_birth_year"[^>]*value="1950"|value="1950"[^>]*name="date_of_birth_year"', html)
    assert re.search(r'value="post"\s+checked', html)


def test_hint_and_components_render():
    html = render(ExampleForm())
    assert "As it appears on your letters" in html
    assert "nhsuk-date-input" in html and "nhsuk-radios" in html and "nhsuk-checkboxes" in html
    assert "nhsuk-textarea" in html
    assert 'autocomplete="name"' in html


def test_no_duplicate_ids_on_radios_and_checkboxes():
    html = render(ExampleForm(data={}))
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


class _ChoiceAndLength(forms.Form):
    rating = nhs.ChoiceField(label="Rating", choices=[("red", "Red"), ("green", "Green")])
    colour = nhs.SelectField(label="Colour", choices=[("", "Choose"), ("blue", "Blue")])
    note = nhs.TextareaField(label="Note", max_length=5)


def test_a_value_not_offered_and_a_long_text_get_messages_naming_the_field():
    # A tampered radio value or an over-long paste used to get Django's wording, naming no field.
    form = _ChoiceAndLength(data={"rating": "purple", "colour": "pink", "note": "too long"})
    assert not form.is_valid()
    assert form.errors == {
        "rating": ["Select rating"],
        "colour": ["Select colour"],
        "note": ["Note must be 5 characters or fewer"],
    }
