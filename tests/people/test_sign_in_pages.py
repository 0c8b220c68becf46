"""allauth's sign-in pages, restyled with NHS.UK frontend classes (templates/django/allauth/)."""

import re
from html import unescape

import pytest
from django import forms
from django.template import Context, Template, engines
from django.template.base import Origin

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
PASSWORD = "correct horse battery staple"
SKIP_LINK = '<a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">Skip to main content</a>'
NHS_CLASSES = ("nhsuk-header", "nhsuk-skip-link", "nhsuk-footer", "nhsuk-input", "nhsuk-button")


def html(response):
    return response.content.decode()


def title(response):
    return unescape(re.search(r"<title>(.*?)</title>", html(response), re.S).group(1)).strip()


def error_summary(response):
    """The link texts in the NHS.UK error summary, or None when there is no summary."""
    match = re.search(r'<div class="nhsuk-error-summary".*?</ul>', html(response), re.S)
    if not match:
        return None
    assert 'role="alert"' in match.group(0)
    assert "There is a problem" in match.group(0)
    items = re.findall(r"<li>(.*?)</li>", match.group(0), re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(email="nurse@example.nhs.uk", password=PASSWORD)


@pytest.fixture
def inactive_user(django_user_model):
    return django_user_model.objects.create_user(email="left@example.nhs.uk", password=PASSWORD, is_active=False)


@pytest.mark.django_db
def test_login_page_is_nhs_styled(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = html(response)
    for css_class in (*NHS_CLASSES, "nhsuk-label"):
        assert css_class in page, css_class
    assert SKIP_LINK in page
    assert '<main class="nhsuk-main-wrapper" id="maincontent">' in page
    assert '<html lang="en">' in page
    assert "novalidate" in page
    assert re.search(r'<h1 class="nhsuk-heading-l">Sign in</h1>', page)
    assert title(response).startswith("Sign in – ")
    assert title(response).endswith(" – NHS")
    assert '<script type="module" src="/static/js/init.js"></script>' in page


@pytest.mark.django_db
def test_login_page_has_no_inline_script_or_style(client):
    page = html(client.get(LOGIN))
    # The CSP allows scripts from our origin only: every <script> must have a src.
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    assert all("src=" in tag for tag in scripts), scripts
    assert "<style" not in page
    assert " style=" not in page


@pytest.mark.django_db
def test_login_page_has_no_sign_up_link(client):
    # allauth 65.21's login.html shows this paragraph whether or not sign-up is open;
    # our account/login.html drops it because AccountAdapter closes sign-up.
    page = html(client.get(LOGIN))
    assert "sign up" not in page.lower()
    assert "/accounts/signup/" not in page


@pytest.mark.django_db
def test_wrong_password_and_unknown_email_give_the_same_message(client, user):
    wrong_password = client.post(LOGIN, {"login": user.email, "password": "not the password"})
    unknown_email = client.post(LOGIN, {"login": "nobody@example.nhs.uk", "password": PASSWORD})
    assert wrong_password.status_code == unknown_email.status_code == 200
    errors = error_summary(wrong_password)
    assert errors, "no error summary"
    assert errors == error_summary(unknown_email)
    assert title(wrong_password).startswith("Error: Sign in – ")
    assert title(unknown_email).startswith("Error: Sign in – ")
    # A non-field error: the summary links it to the first field.
    assert '<a href="#id_login">' in html(wrong_password)


@pytest.mark.django_db
def test_empty_form_lists_each_missing_field(client):
    response = client.post(LOGIN, {"login": "", "password": ""})
    assert response.status_code == 200
    page = html(response)
    errors = error_summary(response)
    assert errors == ["Enter your email address", "Enter your password"]
    # Each field's error links to its input and is repeated beside it, with a hidden prefix.
    assert '<a href="#id_login">' in page
    assert '<a href="#id_password">' in page
    assert page.count('<span class="nhsuk-u-visually-hidden">Error: </span>') == 2
    assert "nhsuk-form-group--error" in page
    assert "nhsuk-input--error" in page
    assert title(response).startswith("Error: ")


@pytest.mark.django_db
def test_password_is_not_echoed_back(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": "not the password"})
    page = html(response)
    assert "not the password" not in page
    assert f'value="{user.email}"' in page


@pytest.mark.django_db
def test_correct_password_signs_in(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_inactive_user_gets_the_wrong_password_response(client, user, inactive_user):
    wrong_password = client.post(LOGIN, {"login": user.email, "password": "not the password"})
    response = client.post(LOGIN, {"login": inactive_user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert error_summary(response) == error_summary(wrong_password)


@pytest.mark.django_db
def test_logout_page(client, user):
    client.force_login(user)
    response = client.get(LOGOUT)
    assert response.status_code == 200
    page = html(response)
    assert '<h1 class="nhsuk-heading-l">Sign out</h1>' in page
    assert re.search(r'<button class="nhsuk-button"[^>]*type="submit"[^>]*>Sign out</button>', page)
    assert title(response).startswith("Sign out – ")

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


class _EveryWidgetForm(forms.Form):
    email = forms.EmailField(help_text="We will not share it")
    note = forms.CharField(widget=forms.Textarea)
    agree = forms.BooleanField()


def test_fields_element_renders_nhs_components():
    """The element templates serve every allauth page (password change, reset, ...), not only
    sign-in: check the widget kinds the sign-in form does not have."""
    # allauth's {% element %} needs a template with a name (from_string gives none).
    template = Template(
        "{% load allauth %}{% element form form=other method='post' %}{% slot body %}"
        "{% element fields form=other %}{% endelement %}{% endslot %}{% endelement %}",
        origin=Origin("test", template_name="test.html"),
        engine=engines["django"].engine,
    )
    form = _EveryWidgetForm(data={"email": "nope", "note": "", "agree": ""})
    page = template.render(Context({"other": form}))
    assert '<div class="nhsuk-hint" id="id_email-hint">We will not share it</div>' in page
    assert 'aria-describedby="id_email-hint id_email-error"' in page
    assert '<textarea class="nhsuk-textarea nhsuk-textarea--error"' in page
    assert '<div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">' in page
    assert 'class="nhsuk-checkboxes__input" type="checkbox"' in page
    assert page.count("nhsuk-form-group--error") == 3
    # Not the page's main form here, so the form element shows its own summary.
    assert "nhsuk-error-summary" in page

    # A ticked box is posted as "on" (no value attribute), which Django reads as True.
    assert "value=" not in page.split('type="checkbox"')[1].split(">")[0]
    ticked = _EveryWidgetForm(data={"email": "a@example.nhs.uk", "note": "x", "agree": "on"})
    assert ticked.is_valid()
