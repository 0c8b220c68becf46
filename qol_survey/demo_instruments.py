"""The two survey instruments as data, with DEMO wording written in our own words (ADR 0033).

The structure (how many items, their answer ranges, which items make each scale and what kind it is)
follows the published instruments so their scoring applies; the words are ours and are not the
licensed questionnaires'. A deploying organisation loads the licensed wording as a new version.

`ensure_loaded` is idempotent: migration 0002 calls it, and so can tests whose database was flushed."""

DEMO_VERSION = "demo-1"
DEMO_SOURCE = "Demo wording written for this portal; not the licensed questionnaire"

FOUR = ["Not at all", "A bit", "Fairly", "Very"]
FOUR_MUCH = ["Not at all", "A bit", "Fairly often or fairly much", "Very often or very much"]
SEVEN = ["1 (as bad as it gets)", "2", "3", "4", "5", "6", "7 (as good as it gets)"]

# (code, wording, labels). Items 1-5 ask now; 6-28 ask about the last seven days; 29-30 rate it 1-7.
CANCER_30_ITEMS = [
    ("q1", "Is heavy physical work, such as moving furniture or digging, hard for you?", FOUR),
    ("q2", "Is walking a long way, say a couple of miles, hard for you?", FOUR),
    ("q3", "Is a short walk outdoors, say to the end of the street, hard for you?", FOUR),
    ("q4", "Do you have to spend most of your day lying down or sitting?", FOUR),
    ("q5", "Do you need someone to help you wash, dress, eat or use the toilet?", FOUR),
    ("q6", "In the last seven days, has your health stopped you doing your job or jobs at home?", FOUR_MUCH),
    ("q7", "In the last seven days, has your health stopped you doing things you enjoy in your free time?", FOUR_MUCH),
    ("q8", "In the last seven days, have you been out of breath?", FOUR_MUCH),
    ("q9", "In the last seven days, have you been in pain?", FOUR_MUCH),
    ("q10", "In the last seven days, have you had to stop and rest?", FOUR_MUCH),
    ("q11", "In the last seven days, have you found it hard to get to sleep or stay asleep?", FOUR_MUCH),
    ("q12", "In the last seven days, have you felt your body lacked strength?", FOUR_MUCH),
    ("q13", "In the last seven days, have you not felt like eating?", FOUR_MUCH),
    ("q14", "In the last seven days, have you felt sick (queasy)?", FOUR_MUCH),
    ("q15", "In the last seven days, have you been sick (thrown up)?", FOUR_MUCH),
    ("q16", "In the last seven days, have you found it hard to open your bowels?", FOUR_MUCH),
    ("q17", "In the last seven days, have you had loose or watery poo?", FOUR_MUCH),
    ("q18", "In the last seven days, have you felt worn out?", FOUR_MUCH),
    ("q19", "In the last seven days, has pain got in the way of what you do each day?", FOUR_MUCH),
    (
        "q20",
        "In the last seven days, has it been hard to keep your mind on something, such as a TV programme?",
        FOUR_MUCH,
    ),
    ("q21", "In the last seven days, have you felt on edge?", FOUR_MUCH),
    ("q22", "In the last seven days, have you been worrying?", FOUR_MUCH),
    ("q23", "In the last seven days, have you felt short-tempered?", FOUR_MUCH),
    ("q24", "In the last seven days, have you felt low or down?", FOUR_MUCH),
    ("q25", "In the last seven days, have you found it hard to recall things?", FOUR_MUCH),
    ("q26", "In the last seven days, has your health or treatment got in the way of time with your family?", FOUR_MUCH),
    (
        "q27",
        "In the last seven days, has your health or treatment got in the way of seeing friends or going out?",
        FOUR_MUCH,
    ),
    ("q28", "In the last seven days, has your health or treatment caused you money worries?", FOUR_MUCH),
    ("q29", "Over the last seven days, how would you rate your health as a whole, from 1 to 7?", SEVEN),
    ("q30", "Over the last seven days, how would you rate your quality of life as a whole, from 1 to 7?", SEVEN),
]

# The scales of the published scoring method: code, name, kind, item numbers (ADR 0033 cites the source).
CANCER_30_SCALES = [
    ("QL", "Global health and quality of life", "global", [29, 30]),
    ("PF", "Physical functioning", "functional", [1, 2, 3, 4, 5]),
    ("RF", "Role functioning", "functional", [6, 7]),
    ("EF", "Emotional functioning", "functional", [21, 22, 23, 24]),
    ("CF", "Cognitive functioning", "functional", [20, 25]),
    ("SF", "Social functioning", "functional", [26, 27]),
    ("FA", "Fatigue", "symptom", [10, 12, 18]),
    ("NV", "Nausea and vomiting", "symptom", [14, 15]),
    ("PA", "Pain", "symptom", [9, 19]),
    ("DY", "Breathlessness", "symptom", [8]),
    ("SL", "Sleep problems", "symptom", [11]),
    ("AP", "Loss of appetite", "symptom", [13]),
    ("CO", "Constipation", "symptom", [16]),
    ("DI", "Diarrhoea", "symptom", [17]),
    ("FI", "Money worries", "symptom", [28]),
]


def _levels(activity: str) -> list[str]:
    return [
        f"No trouble {activity}",
        f"A little trouble {activity}",
        f"Some trouble {activity}",
        f"A lot of trouble {activity}",
        f"I cannot manage {activity} at all",
    ]


# The five dimensions in the order that spells a health state (11111 to 55555), then the 0-100 scale.
PROFILE_DIMENSIONS = [
    ("MO", "Getting about on foot, today", _levels("getting about")),
    ("SC", "Looking after yourself (washing, dressing), today", _levels("looking after myself")),
    ("UA", "Everyday things such as work, study, housework or free time, today", _levels("with everyday things")),
    ("PD", "Pain or discomfort, today", ["None", "A little", "Some", "A lot", "The worst there could be"]),
    ("AD", "Feeling anxious, worried or low, today", ["Not at all", "A little", "Somewhat", "Very", "Extremely"]),
]
HEALTH_TODAY = (
    "VAS",
    "Give your health today a number from 0 (as bad as health could be) to 100 (as good as it could be).",
    ["0: as bad as health could be", "100: as good as health could be"],
)


def ensure_loaded(apps=None) -> None:
    """Create the two demo instruments, published, unless they are there already."""
    if apps is None:
        from django.apps import apps
    Instrument = apps.get_model("qol_survey", "Instrument")
    Item = apps.get_model("qol_survey", "Item")
    Scale = apps.get_model("qol_survey", "Scale")

    def instrument(code, name):
        made, created = Instrument.objects.get_or_create(
            code=code,
            version=DEMO_VERSION,
            defaults={"name": name, "status": "published", "wording_source": DEMO_SOURCE},
        )
        return made if created else None

    cancer = instrument("cancer-30", "Cancer-specific quality of life (30 questions)")
    if cancer is not None:
        items = {}
        for number, (code, wording, labels) in enumerate(CANCER_30_ITEMS, start=1):
            highest = 7 if number >= 29 else 4
            items[number] = Item.objects.create(
                instrument=cancer, code=code, position=number, wording=wording, lowest=1, highest=highest,
                answer_labels=labels,
            )  # fmt: skip
        for position, (code, name, kind, numbers) in enumerate(CANCER_30_SCALES, start=1):
            scale = Scale.objects.create(instrument=cancer, code=code, name=name, kind=kind, position=position)
            scale.items.set([items[n] for n in numbers])

    profile = instrument("health-profile-5d", "Health profile (five dimensions and health today)")
    if profile is not None:
        for position, (code, wording, labels) in enumerate(PROFILE_DIMENSIONS, start=1):
            Item.objects.create(
                instrument=profile, code=code, position=position, part="dimension", wording=wording,
                lowest=1, highest=5, answer_labels=labels,
            )  # fmt: skip
        code, wording, labels = HEALTH_TODAY
        Item.objects.create(
            instrument=profile, code=code, position=6, part="health_today", wording=wording,
            lowest=0, highest=100, answer_labels=labels,
        )  # fmt: skip
