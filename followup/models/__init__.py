"""Personalised stratified follow-up (issue 11): protocols, pathways, tests, results, check-ins, concerns."""

from followup.models.concerns import CheckIn, Concern, ConcernChange, ConcernStatus, Rating
from followup.models.pathway import (
    OPEN_PATHWAY_STATUSES,
    TRANSITIONS,
    Pathway,
    PathwayChange,
    PathwayKind,
    PathwayStatus,
)
from followup.models.protocol import (
    Anchor,
    Protocol,
    ProtocolStep,
    ProtocolVersion,
    TestType,
    TumourSite,
    VersionStatus,
)
from followup.models.sweep import CheckInSend, FollowupLetter, TestReminder
from followup.models.tests import TEST_TRANSITIONS, Result, SurveillanceTest, TestChange, TestStatus

__all__ = [
    "Anchor",
    "CheckIn",
    "CheckInSend",
    "Concern",
    "FollowupLetter",
    "ConcernChange",
    "ConcernStatus",
    "OPEN_PATHWAY_STATUSES",
    "Pathway",
    "PathwayChange",
    "PathwayKind",
    "PathwayStatus",
    "Protocol",
    "ProtocolStep",
    "ProtocolVersion",
    "Rating",
    "Result",
    "SurveillanceTest",
    "TEST_TRANSITIONS",
    "TRANSITIONS",
    "TestChange",
    "TestReminder",
    "TestStatus",
    "TestType",
    "TumourSite",
    "VersionStatus",
]
