"""COSD code lists for HNA and care plan events, version 1 (ADR 0050).

From the NDRS COSD user guide v10 as far as it could be read, and DOMAIN.md where the guide's
personalised care page could not be; every code since corroborated by NDRS's own analysis of the
submitted records (the NCRAS-Macmillan HNA and PCSP coverage project, named in the ADR). Still to be
checked against the published guide before a trust submits. A new COSD release is a new module (cosd_v2.py) and a
migration that maps any stored code that changes; these lists are never edited in place.

Each entry is (name, code, label): the name is for code that means one point (the demo, tests),
the code is what COSD receives, the label is what staff read."""

VERSION = 1
SOURCE = "COSD user guide v10 (personalised care items), corroborated by NCRAS analysis; check the guide"

POINT_OF_PATHWAY = [
    ("INITIAL_DIAGNOSIS", "01", "Initial diagnosis"),
    ("START_OF_TREATMENT", "02", "Start of treatment"),
    ("DURING_TREATMENT", "03", "During treatment"),
    ("END_OF_TREATMENT", "04", "End of treatment"),
    ("RECURRENCE", "05", "Recurrence"),
    ("PALLIATIVE", "06", "Transition to palliative or end of life care"),
    ("PREHABILITATION", "07", "Prehabilitation"),
    ("OTHER", "97", "Other"),
    ("NOT_KNOWN", "99", "Not known"),
]

# The professional who carried out the event. 07 is not in the list we found: it is not guessed.
STAFF_ROLE = [
    ("CNS", "01", "Clinical nurse specialist"),
    ("OTHER_NURSE", "02", "Other nurse"),
    ("AHP", "03", "Allied health professional"),
    ("SUPPORT_WORKER", "04", "Support worker"),
    ("PSYCHOLOGIST", "05", "Psychologist or other mental health professional"),
    ("MEDICAL", "06", "Consultant or other member of the medical team"),
    ("OTHER", "08", "Other"),
]

# The staff role a portal role gives when the professional does not choose one (the set-up form
# lets them: a nurse or therapist may hold the CNS or clinician role in the portal).
ROLE_DEFAULTS = {"cns": "01", "support_worker": "04", "clinician": "06"}
DEFAULT_STAFF_ROLE = "08"
