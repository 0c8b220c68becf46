"""Who signs off is the trust's setting (issue 15 item 5, ADR 0051): clinician only (the default, and
what a trust without a row gets) or clinician and CNS. The sign-off records the role it was made in;
a role the setting does not allow is refused with a message naming the role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from portal.people.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.treatment_summaries.factories import FAKE_PDF, clinician, complete_draft, fresh, sent
from tests.treatment_summaries.test_staff_pages import url
from treatment_summaries.models import SignOffBy, SummaryVersion, TrustSummarySettings
from treatment_summaries.presenters import SummaryPresenter
from treatment_summaries.services import summaries

pytestmark = pytest.mark.django_db


def cns_may_sign(cast):
    return TrustSummarySettings.objects.create(trust=cast.trust, sign_off_by=SignOffBy.CLINICIAN_OR_CNS)


def sign(actor, version):
    return summaries.sign_off(actor=actor, version=version, render_pdf=lambda v: FAKE_PDF)


# Clinician only (the default)


def test_with_no_setting_a_clinician_signs_and_the_role_is_recorded(cast):
    signed = sign(clinician(cast), complete_draft(cast))
    assert (fresh(signed).status, fresh(signed).signed_off_role) == ("signed_off", Role.CLINICIAN)
    assert SummaryPresenter(fresh(signed)).signed_off.endswith("by Asha Rao, clinician")


@pytest.mark.parametrize("explicit", [False, True])
def test_clinician_only_refuses_a_cns_naming_the_role(cast, explicit):
    if explicit:
        TrustSummarySettings.objects.create(trust=cast.trust, sign_off_by=SignOffBy.CLINICIAN)
    version = complete_draft(cast)
    with pytest.raises(PermissionDenied) as refused:
        sign(cast.cns_a, version)
    assert str(refused.value) == (
        "A clinical nurse specialist cannot sign off a treatment summary at Test Trust: only a clinician can. "
        "Ask the responsible clinician to sign it off."
    )
    assert fresh(version).status == "draft" and fresh(version).signed_off_role == ""


# Clinician and CNS


def test_clinician_and_cns_lets_the_cns_sign_and_records_the_role(cast):
    cns_may_sign(cast)
    signed = sign(cast.cns_a, complete_draft(cast))
    version = fresh(signed)
    assert (version.status, version.signed_off_by, version.signed_off_role) == ("signed_off", cast.cns_a, "cns")
    assert SummaryPresenter(version).signed_off.endswith(", clinical nurse specialist")


def test_clinician_and_cns_still_lets_a_clinician_sign(cast):
    cns_may_sign(cast)
    assert fresh(sign(clinician(cast), complete_draft(cast))).signed_off_role == Role.CLINICIAN


def test_the_setting_does_not_reach_past_the_policy_table(cast):
    """A support worker may not change summaries at all, and a CNS of another team may not change
    this team's: the setting only narrows who of those the table allows may sign."""
    cns_may_sign(cast)
    support = UserFactory(email="support.a@example.com")
    RoleAssignmentFactory(user=support, role=Role.SUPPORT_WORKER, organisation=cast.trust, team=cast.team_a)
    version = complete_draft(cast)
    for actor in (support, cast.cns_b, cast.gp_a):
        with pytest.raises(PermissionDenied):
            sign(actor, version)
    assert fresh(version).status == "draft"


def test_another_trusts_setting_does_not_apply(cast):
    from tests.factories import TrustFactory

    TrustSummarySettings.objects.create(trust=TrustFactory(ods_code="RXX"), sign_off_by=SignOffBy.CLINICIAN_OR_CNS)
    with pytest.raises(PermissionDenied):
        sign(cast.cns_a, complete_draft(cast))


def test_the_setting_belongs_to_a_trust_not_a_practice(cast):
    settings = TrustSummarySettings(trust=cast.practice_a, sign_off_by=SignOffBy.CLINICIAN_OR_CNS)
    with pytest.raises(ValidationError) as caught:
        settings.full_clean()
    assert caught.value.message_dict["trust"] == [
        "Treatment summary settings belong to an NHS trust, not a GP practice"
    ]


def test_the_recorded_role_is_frozen_with_the_version(cast):
    signed = sign(clinician(cast), complete_draft(cast))
    with pytest.raises(DatabaseError), transaction.atomic():
        SummaryVersion.objects.filter(pk=signed.pk).update(signed_off_role="cns")


def test_an_amendment_is_signed_under_the_setting_of_its_own_time(cast):
    first = sent(cast)
    cns_may_sign(cast)
    draft = summaries.amend(actor=cast.cns_a, version=first, reason="Staging corrected")
    assert fresh(sign(cast.cns_a, draft)).signed_off_role == "cns"
    assert fresh(first).signed_off_role == "clinician"


# The pages


def test_the_sign_off_page_follows_the_setting(client, cast):
    version = complete_draft(cast)
    client.force_login(cast.cns_a)
    page = client.get(url("sign_off", version)).content.decode()
    assert "A clinical nurse specialist cannot sign off" in page and "Sign off as" not in page
    refused = client.post(url("sign_off", version))
    assert refused.status_code == 403 and "only a clinician can" in refused.content.decode()

    cns_may_sign(cast)
    page = client.get(url("sign_off", version)).content.decode()
    assert "Sign off as" in page and "cannot sign off" not in page
    assert client.post(url("sign_off", version)).status_code == 302
    assert (fresh(version).status, fresh(version).signed_off_role) == ("signed_off", "cns")


def test_the_api_gives_the_role_signed_in(cast, api_as):
    cns_may_sign(cast)
    version = sent(cast, doctor=cast.cns_a)
    (summary,) = api_as(cast.gp_a).get("/api/v1/treatment-summaries/").json()["results"]
    (shown,) = summary["versions"]
    assert (shown["id"], shown["signed_off_role"]) == (str(version.pk), "cns")
