"""The first checklist (version 1), in our own words, from the concern list in DOMAIN.md.
Loaded once by migration 0002; later versions are published by a service admin as data."""

CHECKLIST_V1 = [
    (
        "physical",
        "Physical",
        [
            ("breathing", "Breathing difficulties"),
            ("passing-urine", "Passing urine"),
            ("constipation", "Constipation"),
            ("diarrhoea", "Diarrhoea"),
            ("eating", "Eating or appetite"),
            ("indigestion", "Indigestion"),
            ("mouth", "Sore or dry mouth"),
            ("nausea", "Nausea or vomiting"),
            ("sleep", "Sleep problems or nightmares"),
            ("fatigue", "Tired, exhausted or fatigued"),
            ("swelling", "Swollen tummy or limb"),
            ("fever", "High temperature or fever"),
            ("getting-around", "Getting around (walking)"),
            ("tingling", "Tingling in hands or feet"),
            ("pain", "Pain"),
            ("hot-flushes", "Hot flushes or sweating"),
            ("skin", "Dry, itchy or sore skin"),
            ("wound-care", "Wound care after surgery"),
            ("weight", "Changes in weight"),
            ("memory", "Memory or concentration"),
            ("senses", "Taste, sight or hearing"),
            ("speech", "Speech problems"),
            ("appearance", "My appearance"),
            ("sexuality", "Sexuality"),
        ],
    ),
    (
        "practical",
        "Practical",
        [
            ("caring", "Caring responsibilities"),
            ("work", "Work and education"),
            ("money", "Money or housing"),
            ("insurance", "Insurance and travel"),
            ("transport", "Transport or parking"),
            ("nhs-contact", "Contact or communication with NHS staff"),
            ("housework", "Housework or shopping"),
            ("washing", "Washing and dressing"),
            ("meals", "Preparing meals or drinks"),
        ],
    ),
    (
        "family",
        "Family and relationships",
        [
            ("partner", "Partner"),
            ("children", "Children"),
            ("relatives", "Other relatives or friends"),
        ],
    ),
    (
        "emotional",
        "Emotional",
        [
            ("plans", "Difficulty making plans"),
            ("interest", "Loss of interest or activities"),
            ("feelings", "Unable to express feelings"),
            ("anger", "Anger or frustration"),
            ("guilt", "Guilt"),
            ("hopelessness", "Hopelessness"),
            ("loneliness", "Loneliness or isolation"),
            ("sadness", "Sadness or depression"),
            ("worry", "Worry, fear or anxiety"),
        ],
    ),
    (
        "spiritual",
        "Spiritual or religious",
        [
            ("faith", "Loss of faith or other spiritual concerns"),
            ("meaning", "Loss of meaning or purpose of life"),
            ("past", "Not being at peace with, or regret about, the past"),
        ],
    ),
    (
        "lifestyle",
        "Lifestyle and information",
        [
            ("diet", "Diet and nutrition"),
            ("activity", "Physical activity"),
            ("smoking", "Smoking"),
            ("alcohol", "Alcohol"),
            ("information", "Information about my diagnosis or treatment"),
            ("complementary", "Complementary therapies"),
            ("support-groups", "Support groups"),
        ],
    ),
]


def load(version_model, category_model, item_model, now) -> bool:
    """Create version 1, published, unless it exists. Models are passed in so the migration can
    use its historical models and tests their real ones. True if it loaded anything."""
    if version_model.objects.filter(number=1).exists():
        return False
    version = version_model.objects.create(number=1, name="Concerns checklist", status="published", published_at=now)
    for c_pos, (c_code, c_name, items) in enumerate(CHECKLIST_V1):
        category = category_model.objects.create(version=version, code=c_code, name=c_name, position=c_pos)
        item_model.objects.bulk_create(
            item_model(category=category, code=f"{c_code}-{code}", text=text, position=pos)
            for pos, (code, text) in enumerate(items)
        )
    return True


def ensure_loaded() -> bool:
    """For tests: a transactional test's teardown truncates every table, data migrations' rows too."""
    from django.utils import timezone

    from hna.models import ChecklistVersion, ConcernCategory, ConcernItem

    return load(ChecklistVersion, ConcernCategory, ConcernItem, timezone.now())
