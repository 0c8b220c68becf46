"""Holistic Needs Assessments and personalised care and support plans."""

from hna.models.assessment import (
    Assessment,
    AssessmentQuerySet,
    AssessmentStatusChange,
    CommunicationNeed,
    ConcernAnswer,
    EntryMode,
    OfferStatus,
    PathwayPoint,
    StaffRole,
    Trigger,
    WantsCompany,
)
from hna.models.care_plan import CarePlan, CarePlanItem, CarePlanQuerySet, ItemOwner, ItemStatus
from hna.models.checklist import ChecklistVersion, ConcernCategory, ConcernItem
from hna.models.passcode import PASSCODE_ALPHABET, Passcode

__all__ = [
    "PASSCODE_ALPHABET",
    "Assessment",
    "AssessmentQuerySet",
    "AssessmentStatusChange",
    "CarePlan",
    "CarePlanItem",
    "CarePlanQuerySet",
    "ChecklistVersion",
    "CommunicationNeed",
    "ConcernAnswer",
    "ConcernCategory",
    "ConcernItem",
    "EntryMode",
    "ItemOwner",
    "ItemStatus",
    "OfferStatus",
    "Passcode",
    "PathwayPoint",
    "StaffRole",
    "Trigger",
    "WantsCompany",
]
