"""End of treatment summaries: versions, sign-off, sending, the GP inbox."""

from treatment_summaries.models.delivery import GPAction, GPActionResponse, PatientCopy, PracticeDelivery
from treatment_summaries.models.summary import (
    FollowUpPathway,
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
    "FollowUpPathway",
    "GPAction",
    "GPActionResponse",
    "PatientCopy",
    "PracticeDelivery",
    "SideEffectOption",
    "SummaryVersion",
    "Treatment",
    "TreatmentAim",
    "TreatmentSummary",
    "TreatmentSummaryQuerySet",
    "TreatmentType",
    "VersionQuerySet",
]
