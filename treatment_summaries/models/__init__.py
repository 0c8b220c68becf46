"""End of treatment summaries: versions, sign-off, sending, the GP inbox."""

from treatment_summaries.models.delivery import (
    GPAction,
    GPActionOption,
    GPActionResponse,
    PatientCopy,
    PracticeDelivery,
)
from treatment_summaries.models.settings import SIGNERS, SignOffBy, TrustSummarySettings, sign_off_setting
from treatment_summaries.models.summary import (
    BenefitsForm,
    FollowUpPathway,
    PrescriptionExemption,
    SideEffectOption,
    SummaryVersion,
    Treatment,
    TreatmentAim,
    TreatmentSummary,
    TreatmentSummaryQuerySet,
    TreatmentType,
    VersionQuerySet,
)

__all__ = [
    "SIGNERS",
    "BenefitsForm",
    "FollowUpPathway",
    "GPAction",
    "GPActionOption",
    "GPActionResponse",
    "PatientCopy",
    "PracticeDelivery",
    "PrescriptionExemption",
    "SideEffectOption",
    "SignOffBy",
    "SummaryVersion",
    "Treatment",
    "TreatmentAim",
    "TreatmentSummary",
    "TreatmentSummaryQuerySet",
    "TreatmentType",
    "TrustSummarySettings",
    "VersionQuerySet",
    "sign_off_setting",
]
