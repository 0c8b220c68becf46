"""The default follow-up protocols (DOMAIN.md, "Personalised Stratified Follow-Up"), as data. Teams
vary them locally by publishing their own versions; these are the starting point for everyone.

`ensure_loaded` is idempotent: migration 0002 calls it, and so do tests whose database was flushed
(browser tests with transaction=True wipe rows that migrations made)."""

TEST_TYPES = [
    # code, name, kind, units, has_value, where_taken
    ("CEA", "CEA blood test", "blood", "ug/L", True, "gp"),
    ("PSA", "PSA blood test", "blood", "ug/L", True, "gp"),
    ("MAMMOGRAM", "Mammogram", "imaging", "", False, "hospital"),
    ("CT_CAP", "CT scan of chest, abdomen and pelvis", "imaging", "", False, "hospital"),
    ("COLONOSCOPY", "Colonoscopy", "endoscopy", "", False, "hospital"),
]

# Steps: (test code, start_months, every_months, until_months, with_checkin). Months from the anchor.
PROTOCOLS = [
    {
        "slug": "breast-default",
        "name": "Breast cancer follow-up",
        "tumour_site": "breast",
        "anchor": "end_of_treatment",
        # Open access to the breast team for 5 years.
        "pifu_months": 60,
        "steps": [("MAMMOGRAM", 12, 12, 60, False)],  # yearly for 5 years
    },
    {
        "slug": "colorectal-default",
        "name": "Colorectal cancer follow-up",
        "tumour_site": "colorectal",
        "anchor": "surgery",
        "pifu_months": 60,
        "steps": [
            ("CEA", 6, 6, 36, False),  # every 6 months for 3 years
            ("CEA", 48, 12, 60, False),  # then yearly for 2
            ("CT_CAP", 12, 18, 30, False),  # at 12 and 30 months
            ("COLONOSCOPY", 12, 36, 48, False),  # at 1 year, then 3 years later
        ],
    },
    {
        "slug": "prostate-default",
        "name": "Prostate cancer follow-up",
        "tumour_site": "prostate",
        "anchor": "end_of_treatment",
        "pifu_months": 60,
        # From 6 weeks after radical treatment: steps count whole months, so the first PSA is at 2
        # months (not before 6 weeks); then 6-monthly for 2 years, then yearly to 5 years (ADR 0026).
        # A short symptom questionnaire goes with each PSA.
        "steps": [
            ("PSA", 2, 1, 2, True),
            ("PSA", 6, 6, 24, True),
            ("PSA", 36, 12, 60, True),
        ],
    },
]


def ensure_loaded(apps=None):
    """Create the test types and each default protocol with a published version 1, unless there."""
    if apps is None:
        from django.apps import apps
    TestType = apps.get_model("followup", "TestType")
    Protocol = apps.get_model("followup", "Protocol")
    ProtocolVersion = apps.get_model("followup", "ProtocolVersion")
    ProtocolStep = apps.get_model("followup", "ProtocolStep")
    types = {}
    for code, name, kind, units, has_value, where in TEST_TYPES:
        types[code], _ = TestType.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "units": units, "has_value": has_value, "where_taken": where},
        )
    for spec in PROTOCOLS:
        protocol, _ = Protocol.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "tumour_site": spec["tumour_site"]}
        )
        if ProtocolVersion.objects.filter(protocol=protocol).exists():
            continue  # already loaded (or since changed by the team): never overwrite
        version = ProtocolVersion.objects.create(
            protocol=protocol, number=1, status="published", anchor=spec["anchor"], pifu_months=spec["pifu_months"]
        )
        for code, start, every, until, checkin in spec["steps"]:
            ProtocolStep.objects.create(
                version=version,
                test_type=types[code],
                start_months=start,
                every_months=every,
                until_months=until,
                with_checkin=checkin,
            )
