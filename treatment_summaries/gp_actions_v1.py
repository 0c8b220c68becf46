"""Starting prompts for the actions a summary asks of the GP, in our own words, from the ones
DOMAIN.md lists. Loaded by migration 0007; a trust edits them as data in the admin. A code, once
used, stays: the API and FHIR export name a prompt by it."""

# (code, text, needs details)
GP_ACTIONS_V1 = [
    ("psa-tumour-marker", "PSA or tumour-marker monitoring", False),
    ("bone-health", "Bone health", False),
    ("medication", "Medication", False),
    ("supportive-care-register", "Palliative or supportive care register", False),
    ("benefits", "Benefits", False),
    ("vaccinations", "Vaccinations", False),
    ("other", "Other", True),
]


def load(model) -> None:
    """Add the v1 prompts that are missing (by code); never change or remove one a trust has edited.
    One query when they are all there (tests call it before each test)."""
    existing = set(model.objects.values_list("code", flat=True))
    model.objects.bulk_create(
        model(code=code, text=text, needs_details=needs_details, position=position * 10)
        for position, (code, text, needs_details) in enumerate(GP_ACTIONS_V1)
        if code not in existing
    )


def ensure_loaded() -> None:
    from treatment_summaries.models import GPActionOption

    load(GPActionOption)
