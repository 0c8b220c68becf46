"""The dashboard pages (ADR 0039): for care teams, service admins and auditors only; aggregate, with
small groups hidden on the page, in the chart and in the CSV alike; the chart an SVG image with a
title and a description that says its numbers; bad dates named, with what was typed kept."""

import csv
import io

import pytest

from portal.audit.models import Action, AuditEvent
from tests.factories import CareTeamFactory, DiagnosisFactory, TrustFactory
from tests.qol_survey.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db
URL = "/quality-of-life/dashboard/"


def respond(site="breast", team=None):
    invitation = make_invitation(diagnosis=DiagnosisFactory(tumour_site=site), team=team)
    return make_response(invitation, may_contact=False)


@pytest.fixture
def results():
    breast = [respond("breast") for _ in range(11)]
    [respond("colorectal") for _ in range(10)]  # hidden too: beside lung, it would give lung away
    lung = [respond("lung") for _ in range(2)]
    return breast, lung


def page(client, user, query=""):
    client.force_login(user)
    return client.get(URL + query)


@pytest.mark.parametrize("who", ["cns_a", "admin", "auditor"])
def test_results_roles_see_the_dashboard_and_it_is_logged(client, cast, who):
    response = page(client, getattr(cast, who))
    assert response.status_code == 200
    assert "Quality of life survey results" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=getattr(cast, who), patient=None).exists()


@pytest.mark.parametrize("who", ["gp_a", "patient_user"])
def test_other_roles_are_refused(client, cast, who):
    assert page(client, getattr(cast, who)).status_code == 403
    client.force_login(getattr(cast, who))
    assert client.get(URL + "export.csv").status_code == 403


def test_small_groups_say_fewer_than_10_and_no_one_is_named(client, cast, results):
    breast, lung = results
    html = page(client, cast.cns_a).content.decode()
    assert "fewer than 10" in html
    # The page's own content, not the header (which names the signed-in nurse: a random factory name
    # can be a patient's family name too).
    main = html.split('id="maincontent"', 1)[1].split("</main>", 1)[0]
    for response in breast + lung:
        assert response.patient.full_name not in html and response.patient.nhs_number not in html
        assert response.patient.family_name not in main
    lung_row = html.split("</span>Lung</th>", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 10" in lung_row and "reference" not in lung_row  # no mean, no comparison
    breast_row = html.split("</span>Breast</th>", 1)[1].split("</tr>", 1)[0]
    assert ">11<" in breast_row
    colorectal_row = html.split("</span>Colorectal</th>", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 10" in colorectal_row


def test_the_chart_is_an_image_with_its_numbers_in_words(client, cast, results):
    html = page(client, cast.cns_a, "?by=tumour_site&measure=PF").content.decode()
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg" class="qol-chart"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and 'aria-labelledby="qol-chart-title qol-chart-desc"' in svg
    title = svg.split('<title id="qol-chart-title">', 1)[1].split("</title>", 1)[0]
    desc = svg.split('<desc id="qol-chart-desc">', 1)[1].split("</desc>", 1)[0]
    assert title == "Mean physical functioning by tumour site, with the reference"
    assert "Breast: 100.0 (reference" in desc and "Lung: fewer than 10" in desc
    assert "<script" not in html.split('id="maincontent"', 1)[1].split("</main>", 1)[0]


def test_grouping_by_trust(client, cast):
    north = CareTeamFactory(organisation=TrustFactory(name="North Trust"))
    [respond(team=north) for _ in range(10)]
    html = page(client, cast.admin, "?by=trust").content.decode()
    assert "Invitations and responses by trust" in html and "North Trust" in html


def test_a_bad_date_is_named_and_what_was_typed_is_kept(client, cast):
    response = page(client, cast.cns_a, "?by=sex&since_day=31&since_month=2&since_year=2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Invited on or after must be a real date" in html
    assert 'value="31"' in html and 'value="2026"' in html


def test_the_csv_holds_the_same_tables_hidden_the_same_way(client, cast, results):
    north = CareTeamFactory(organisation=TrustFactory(name="=HYPERLINK(1)"))
    [respond(team=north) for _ in range(10)]
    client.force_login(cast.auditor)
    response = client.get(URL + "export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    assert header[:5] == ["grouping", "group", "invitations", "responses", "response_rate_percent"]
    by = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by[("Tumour site", "Lung")]["responses"] == "fewer than 10"
    assert by[("Tumour site", "Lung")]["mean_QL"] == "fewer than 10"
    assert by[("Tumour site", "Breast")]["responses"] == "21"  # 11 from the fixture, 10 at North
    assert by[("Tumour site", "All")]["responses"] == "33"
    assert float(by[("Tumour site", "Breast")]["mean_PF"]) == 100.0
    assert ("Trust", "'=HYPERLINK(1)") in by  # a typed name cannot run as a formula
    assert {g for g, _ in by} == {
        "Tumour site",
        "Trust",
        "Age band",
        "Sex (stated gender)",
        "Ethnic category",
        "Deprivation decile",
    }
    text = "\n".join(",".join(r) for r in rows)
    for invitation_patient in {r.patient for r in results[0]}:
        assert invitation_patient.nhs_number not in text
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=cast.auditor).exists()
