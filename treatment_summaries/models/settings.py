"""Per-trust choices for treatment summaries. A trust with no row keeps the defaults, which are
what the portal did before the setting existed (ADR 0051)."""

import pghistory
from django.core.exceptions import ValidationError
from django.db import models

from portal.db import BaseModel
from portal.people.models import Organisation, Role


class SignOffBy(models.TextChoices):
    CLINICIAN = "clinician", "Clinician only"
    CLINICIAN_OR_CNS = "clinician_or_cns", "Clinician or clinical nurse specialist"


# The roles each setting lets sign off. Whether the actor may change the summary at all (their team,
# their role's column in the policy table) is still decided by the policy table, before this.
SIGNERS = {
    SignOffBy.CLINICIAN: frozenset({Role.CLINICIAN}),
    SignOffBy.CLINICIAN_OR_CNS: frozenset({Role.CLINICIAN, Role.CNS}),
}


@pghistory.track()  # who changed who may sign off, and when, is part of the clinical safety record
class TrustSummarySettings(BaseModel):
    trust = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="summary_settings",
    )  # a trust, not a practice: clean() says so in words (limit_choices_to would say "not a valid choice")
    sign_off_by = models.CharField(
        "who may sign off treatment summaries",
        max_length=20,
        choices=SignOffBy.choices,
        default=SignOffBy.CLINICIAN,
    )

    class Meta:
        verbose_name = "trust treatment summary settings"
        verbose_name_plural = "trust treatment summary settings"

    def __str__(self):
        return f"Treatment summary settings for {self.trust.name}"

    def clean(self):
        if self.trust_id and self.trust.kind != Organisation.Kind.TRUST:
            raise ValidationError({"trust": "Treatment summary settings belong to an NHS trust, not a GP practice"})


def sign_off_setting(trust_id) -> SignOffBy:
    """The trust's setting, or the default (clinician only) for a trust that has not chosen."""
    value = TrustSummarySettings.objects.filter(trust_id=trust_id).values_list("sign_off_by", flat=True).first()
    return SignOffBy(value or SignOffBy.CLINICIAN)
