"""Quality of life survey (issue 12): instruments, their items and scales, and value sets, as data."""

from qol_survey.models.areas import PostcodeDeprivation, postcode_key
from qol_survey.models.instruments import Instrument, InstrumentStatus, Item, ItemPart, Scale, ScaleKind
from qol_survey.models.letters import InvitationSend, Purpose, QolLetter
from qol_survey.models.reference import AGE_BANDS, ReferenceSet, ReferenceValue, age_band
from qol_survey.models.survey import Channel, Invitation, InvitationStatus, Response, Source
from qol_survey.models.thresholds import Direction, HnaOffer, Threshold
from qol_survey.models.value_sets import ValueSet, ValueSetRow

__all__ = [
    "Direction",
    "HnaOffer",
    "PostcodeDeprivation",
    "postcode_key",
    "Threshold",
    "AGE_BANDS",
    "ReferenceSet",
    "ReferenceValue",
    "age_band",
    "Channel",
    "Invitation",
    "InvitationStatus",
    "Response",
    "Source",
    "Instrument",
    "InvitationSend",
    "Purpose",
    "QolLetter",
    "InstrumentStatus",
    "Item",
    "ItemPart",
    "Scale",
    "ScaleKind",
    "ValueSet",
    "ValueSetRow",
]
