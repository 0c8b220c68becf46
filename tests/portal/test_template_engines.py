"""Django asks each template engine in turn for a name; ours answers Django's own templates
(".html": allauth, the admin) without searching its folders (ADR 0056), and still finds its own."""

import pytest
from django.template import TemplateDoesNotExist, engines


def test_the_jinja_engine_never_looks_for_a_django_template(monkeypatch):
    jinja = engines["jinja2"]
    asked = []
    real = jinja.env.get_template
    monkeypatch.setattr(jinja.env, "get_template", lambda name, *a, **k: asked.append(name) or real(name, *a, **k))
    with pytest.raises(TemplateDoesNotExist):
        jinja.get_template("account/login.html")
    assert asked == []
    assert jinja.get_template("layout.jinja").template.name == "layout.jinja"
    assert asked == ["layout.jinja"]


@pytest.mark.django_db
def test_the_sign_in_page_is_still_allauths_template_restyled(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "account/login.html" in [t.name for t in response.templates]
    assert b"nhsuk-button" in response.content
