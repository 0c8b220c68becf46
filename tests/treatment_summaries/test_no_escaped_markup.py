"""No page of treatment summaries shows its own markup as text (issue 10, item 3): the Remove
buttons' hidden words are a real visually hidden span, and a crawl of every page a care team
member, a GP and a patient can open finds no `&lt;` where nothing typed contained one."""

import datetime
import re

import pytest
from django.urls import reverse

from portal.people.models import Patient
from tests.treatment_summaries.factories import make_version
from tests.treatment_summaries.pages import assert_no_escaped_markup
from tests.treatment_summaries.test_staff_pages import every_url

pytestmark = pytest.mark.django_db

TREATMENTS = [
    ("surgery", "Wide local excision", datetime.date(2025, 4, 1), datetime.date(2025, 4, 1)),
    ("radiotherapy", "40 Gy in 15 fractions", datetime.date(2025, 5, 6), None),
]
ACTIONS = ("Prescribe letrozole 2.5 mg daily for 5 years", "Check bone health with a DEXA scan")


def remove_buttons(html):
    return re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)


@pytest.mark.parametrize(
    ("page", "hidden"),
    [
        ("treatments", ["Surgery: Wide local excision", "Radiotherapy: 40 Gy in 15 fractions"]),
        ("gp_actions", list(ACTIONS)),
    ],
)
def test_remove_buttons_hide_their_words_in_a_span_not_as_text(client, cast, page, hidden):
    draft = make_version(cast, "draft", treatments=TREATMENTS, gp_actions=ACTIONS)
    client.force_login(cast.cns_a)
    html = client.get(reverse(f"treatment_summaries:{page}", kwargs={"summary_id": draft.summary_id})).content.decode()
    assert "&lt;span" not in html
    buttons = [" ".join(b.split()) for b in remove_buttons(html) if b.strip().startswith("Remove")]
    assert len(buttons) == 2
    for button, words in zip(buttons, hidden, strict=True):
        assert re.fullmatch(rf'Remove<span class="nhsuk-u-visually-hidden"> {re.escape(words)}[^<]*</span>', button)


def test_typed_markup_in_an_item_stays_text_inside_the_hidden_span(client, cast):
    draft = make_version(cast, "draft", gp_actions=("<b>PSA</b> every 6 months",))
    client.force_login(cast.cns_a)
    html = client.get(
        reverse("treatment_summaries:gp_actions", kwargs={"summary_id": draft.summary_id})
    ).content.decode()
    assert '<span class="nhsuk-u-visually-hidden"> &lt;b&gt;PSA&lt;/b&gt; every 6 months</span>' in html
    assert "<b>PSA</b>" not in html


def pages_of(cast, draft, sent):
    """Every page (GET, HTML) of the app, by who may open it."""
    delivery = sent.practice_deliveries.get()
    staff = [u for u in every_url(draft) if "/remove/" not in u and not u.endswith("/pdf/")]
    staff += [
        reverse("treatment_summaries:summary", kwargs={"summary_id": sent.summary_id}),
        reverse("treatment_summaries:amend", kwargs={"summary_id": sent.summary_id}),
        reverse("treatment_summaries:team_list"),
        reverse("treatment_summaries:letters"),
        reverse("treatment_summaries:inbox_delivery", kwargs={"delivery_id": delivery.pk}),
    ]
    gp = [
        reverse("treatment_summaries:inbox"),
        reverse("treatment_summaries:inbox_delivery", kwargs={"delivery_id": delivery.pk}),
    ]
    return {cast.cns_a: staff, cast.gp_a: gp, cast.patient_user: [reverse("treatment_summaries:my_summaries")]}


def test_no_page_shows_escaped_markup(client, cast):
    Patient.objects.filter(pk=cast.patient.pk).update(preferred_contact=Patient.Contact.POST)  # a letter to print
    sent = make_version(cast, "sent", treatments=TREATMENTS, gp_actions=ACTIONS, carer_contact="Sam (son)")
    draft = make_version(cast, "draft", treatments=TREATMENTS, gp_actions=ACTIONS)
    opened = 0
    for user, urls in pages_of(cast, draft, sent).items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code in (302, 405):  # not a page for this version (amend a draft), POST only
                continue
            assert response.status_code == 200, (user.email, url, response.status_code)
            assert_no_escaped_markup(response.content.decode(), url)
            opened += 1
    assert opened >= 18
