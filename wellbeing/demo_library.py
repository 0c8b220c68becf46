"""Demo resource library and services directory for seed_demo (ADR 0043), in our own words: twelve
resources across the topics (links, text of our own, one for breast cancer only, one retired) and
eight directory services. Contact details are invented (0300 000 0000 numbers, example.nhs.uk).
Made through services.library as the demo service admin; skipped when made, so a second run makes
nothing."""

from wellbeing.models import Format, Referral, Resource, ServiceCategory, Topic
from wellbeing.services import library
from wellbeing.topics_v1 import ensure_loaded

MARKER = "Coping with cancer-related fatigue"  # the first resource: made means all were made
WEB, PDF, EASY, LANGS, AUDIO = Format.WEB, Format.PDF, Format.EASY_READ, Format.OTHER_LANGUAGES, Format.AUDIO

RESOURCES = [
    (MARKER, "What fatigue is, why treatment causes it, and how to plan your day to save energy.",
     ["fatigue", "sleep"], [], [WEB, PDF, AUDIO], "https://www.example.nhs.uk/info/fatigue", "", "Macmillan"),
    ("Worry and anxiety after a diagnosis", "Why worry is common, what can help, and when to ask for more support.",
     ["worry", "emotional-support"], [], [WEB, EASY], "https://www.example.nhs.uk/info/worry", "", "Mind"),
    ("Looking after your mouth during treatment",
     "Keeping your mouth clean and comfortable during chemotherapy and radiotherapy.", ["side-effects"], [],
     [WEB, LANGS], "https://www.example.nhs.uk/info/mouth-care", "", "Riverside Hospital"),
    ("Tingling hands and feet (peripheral neuropathy)",
     "What to look out for, what to tell your team, and keeping safe at home.", ["neuropathy", "side-effects"], [],
     [WEB, PDF], "https://www.example.nhs.uk/info/neuropathy", "", "Riverside chemotherapy nurses"),
    ("Getting active after treatment", "Starting gently, building up, and finding an activity you enjoy.",
     ["physical-activity", "fatigue"], [], [WEB, EASY], "https://www.example.nhs.uk/info/get-active", "",
     "Move More Riverside"),
    ("Arm and shoulder exercises after breast surgery",
     "Exercises to get back movement in your arm and shoulder, with pictures.", ["physical-activity"], ["breast"],
     [PDF, EASY], "https://www.example.nhs.uk/info/breast-surgery-exercises", "", "Riverside physiotherapy"),
    ("Eating well when your appetite is poor", "Small meals, snacks and drinks that give you energy and protein.",
     ["eating-well", "side-effects"], [], [WEB, PDF, LANGS], "", (
         "Eat little and often: six small meals or snacks a day are easier than three large ones.\n\n"
         "Keep snacks to hand, such as yoghurt, cheese and crackers, or a milky drink.\n\n"
         "If you are losing weight without trying, tell your nurse: a dietitian can help."
     ), "Riverside dietetics"),
    ("Money and benefits when you have cancer",
     "The benefits you may be able to claim, help with travel and prescription costs, and where to get advice.",
     ["money"], [], [WEB, EASY, LANGS], "https://www.example.nhs.uk/info/money", "", "Citizens Advice"),
    ("Work and cancer: your rights", "Talking to your employer, time off, and going back to work.", ["work"], [],
     [WEB, PDF], "https://www.example.nhs.uk/info/work", "", "Macmillan"),
    ("Talking with children about cancer", "Finding the words for children of different ages, and what may help.",
     ["children", "relationships"], [], [WEB, AUDIO], "https://www.example.nhs.uk/info/children", "",
     "Riverside psychology service"),
    ("Sleeping better", "Simple changes that help with sleep during and after treatment.", ["sleep", "fatigue"], [],
     [WEB, AUDIO], "https://www.example.nhs.uk/info/sleep", "", "Riverside therapies team"),
    ("Chemotherapy side effects (2019 leaflet)", "Replaced by the newer side effects pages.", ["side-effects"], [],
     [PDF], "https://www.example.nhs.uk/info/old-chemo-leaflet", "", "Riverside Hospital"),
]  # fmt: skip
RETIRED = "Chemotherapy side effects (2019 leaflet)"

SERVICES = [
    ("Cancer support line", ServiceCategory.EMOTIONAL,
     "Someone to talk to about anything to do with cancer, from specialist nurses and advisers.",
     "Anywhere in the UK, by phone and online", "0300 000 0000", "", "https://www.example.nhs.uk/support-line",
     Referral.SELF, "Call 8am to 8pm, 7 days a week.", ["emotional-support", "worry", "money"]),
    ("Riverside benefits advice", ServiceCategory.FINANCIAL,
     "A benefits adviser checks what you can claim and helps you fill in the forms.", "Riverside and district",
     "0300 000 0001", "benefits@example.nhs.uk", "", Referral.EITHER,
     "Call or email to book an appointment, or ask your nurse to refer you.", ["money", "work"]),
    ("Move More Riverside", ServiceCategory.ACTIVITY,
     "Free, friendly exercise classes and walks for people with cancer, at any fitness level.",
     "Riverside leisure centres", "0300 000 0002", "", "https://www.example.nhs.uk/move-more", Referral.EITHER,
     "Ask your nurse for a referral, or call to book a first chat.", ["physical-activity", "fatigue"]),
    ("Oncology dietitians", ServiceCategory.DIET,
     "Advice from a dietitian if you are losing weight, have a poor appetite or problems eating.",
     "Riverside Hospital", "0300 000 0003", "", "", Referral.PROFESSIONAL,
     "Your nurse, doctor or GP refers you.", ["eating-well", "side-effects"]),
    ("Macmillan Information Centre", ServiceCategory.INFORMATION,
     "Drop in for information, a chat, benefits advice, wig fitting and details of local support.",
     "Riverside Hospital, main entrance", "0300 000 0004", "infocentre@example.nhs.uk", "", Referral.SELF,
     "Open Monday to Friday, 9am to 5pm. No appointment needed.", ["emotional-support", "money", "side-effects"]),
    ("Carers' support service", ServiceCategory.CARERS,
     "Support, breaks and advice for the people who look after someone with cancer.", "Riverside and district",
     "0300 000 0005", "carers@example.nhs.uk", "", Referral.SELF, "", ["relationships", "help-at-home"]),
    ("Home help and equipment", ServiceCategory.PRACTICAL,
     "An occupational therapist visits to see what would make daily life at home easier.", "Riverside and district",
     "0300 000 0006", "", "", Referral.PROFESSIONAL, "Your nurse or GP refers you.", ["help-at-home"]),
    ("Stop smoking service", ServiceCategory.OTHER,
     "Free support and medicines to help you stop smoking.", "Riverside and district", "0300 000 0007", "",
     "https://www.example.nhs.uk/stop-smoking", Referral.SELF, "", ["smoking-alcohol"]),
]  # fmt: skip


def make(admin) -> bool:
    """Make the demo library and directory, unless made. True if it made them."""
    ensure_loaded()  # a transactional test's teardown may have emptied the topics
    if Resource.objects.filter(title=MARKER).exists():
        return False
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for title, summary, slugs, sites, formats, url, body, publisher in RESOURCES:
        resource = library.add_resource(
            actor=admin, title=title, summary=summary, topics=[topics[s] for s in slugs], tumour_sites=sites,
            formats=formats, url=url, body=body, publisher=publisher,
        )  # fmt: skip
        if title == RETIRED:
            library.retire_resource(resource, actor=admin)
    for name, category, offers, area, phone, email, website, how, detail, slugs in SERVICES:
        library.add_service(
            actor=admin, name=name, category=category, offers=offers, area=area, phone=phone, email=email,
            website=website, how_referred=how, referral_detail=detail, topics=[topics[s] for s in slugs],
        )  # fmt: skip
    return True


def topics(*slugs) -> list[Topic]:
    """The demo sessions' topics, by slug."""
    ensure_loaded()
    return list(Topic.objects.filter(slug__in=slugs))
