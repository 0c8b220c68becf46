"""The first topics of the resource library, services directory and sessions (ADR 0043), in our own
words. Loaded once by migration 0003; after that they are data a service admin edits in Django admin.

Each names the HNA checklist items (hna/checklist_v1.py: f"{category}-{item}") it answers, so a
patient's concerns can suggest resources, services and sessions (a topic's `concern_codes`)."""

EMOTIONAL = [
    f"emotional-{item}"
    for item in ("plans", "interest", "feelings", "anger", "guilt", "hopelessness", "loneliness", "sadness", "worry")
]
SIDE_EFFECTS = [
    f"physical-{item}"
    for item in (
        "nausea", "mouth", "skin", "tingling", "constipation", "diarrhoea", "indigestion", "hot-flushes",
        "senses", "fever", "swelling",
    )
]  # fmt: skip

# (slug, name, concern codes), in the order pages list them.
TOPICS_V1 = [
    ("fatigue", "Managing fatigue", ["physical-fatigue", "physical-sleep"]),
    ("worry", "Coping with worry and anxiety", ["emotional-worry", "emotional-plans", "emotional-anger"]),
    ("emotional-support", "Emotional support", [*EMOTIONAL, "lifestyle-support-groups"]),
    ("side-effects", "Side effects of treatment", SIDE_EFFECTS),
    ("neuropathy", "Peripheral neuropathy", ["physical-tingling"]),
    ("physical-activity", "Physical activity", ["lifestyle-activity", "physical-getting-around"]),
    ("eating-well", "Eating well", ["physical-eating", "physical-weight", "lifestyle-diet"]),
    ("sleep", "Sleep", ["physical-sleep"]),
    ("money", "Money and benefits", ["practical-money", "practical-insurance", "practical-transport"]),
    ("work", "Work and education", ["practical-work"]),
    (
        "relationships",
        "Relationships and family",
        ["family-partner", "family-children", "family-relatives", "physical-sexuality", "practical-caring"],
    ),
    ("children", "Talking with children", ["family-children"]),
    ("help-at-home", "Help at home", ["practical-housework", "practical-washing", "practical-meals"]),
    ("smoking-alcohol", "Stopping smoking and drinking less", ["lifestyle-smoking", "lifestyle-alcohol"]),
    ("spiritual", "Faith, meaning and spiritual support", ["spiritual-faith", "spiritual-meaning", "spiritual-past"]),
]


def load(topic_model) -> int:
    """Create the topics that are missing (by slug); an edited topic is left as it is. The model is
    passed in so the migration can use its historical model. How many it made."""
    have = set(topic_model.objects.values_list("slug", flat=True))
    missing = [
        topic_model(slug=slug, name=name, concern_codes=codes, position=position)
        for position, (slug, name, codes) in enumerate(TOPICS_V1)
        if slug not in have
    ]
    topic_model.objects.bulk_create(missing)
    return len(missing)


def ensure_loaded() -> int:
    """For tests and the demo: a transactional test's teardown truncates every table, these rows too."""
    from wellbeing.models import Topic

    return load(Topic)
