"""Starting tick lists of possible side effects and late effects per treatment type, in our own
words. Loaded by migration 0002; a trust edits them as data in the admin."""

SIDE_EFFECTS_V1 = {
    "surgery": [
        ("side_effect", "wound-problems", "Wound infection or slow healing"),
        ("side_effect", "pain", "Pain at the operation site"),
        ("late_effect", "lymphoedema", "Lymphoedema (swelling of an arm or leg)"),
        ("late_effect", "bowel-changes", "Changes in bowel habit"),
        ("late_effect", "hernia", "Hernia at the scar"),
    ],
    "chemotherapy": [
        ("side_effect", "fatigue", "Tiredness"),
        ("side_effect", "infection-risk", "Higher risk of infection (neutropenic sepsis)"),
        ("side_effect", "nausea", "Nausea or vomiting"),
        ("late_effect", "neuropathy", "Numbness or tingling in hands or feet (peripheral neuropathy)"),
        ("late_effect", "heart", "Effects on the heart"),
        ("late_effect", "fertility", "Effects on fertility"),
    ],
    "radiotherapy": [
        ("side_effect", "skin", "Skin soreness in the treated area"),
        ("side_effect", "fatigue", "Tiredness"),
        ("late_effect", "bowel-bladder", "Bowel or bladder changes"),
        ("late_effect", "fibrosis", "Hardening of tissue in the treated area"),
    ],
    "hormone": [
        ("side_effect", "hot-flushes", "Hot flushes and sweats"),
        ("late_effect", "bone-health", "Thinning of the bones (osteoporosis)"),
        ("late_effect", "joint-pain", "Joint pain"),
        ("late_effect", "mood", "Low mood"),
    ],
    "immunotherapy": [
        ("side_effect", "rash", "Skin rash or itching"),
        ("late_effect", "thyroid", "Thyroid problems"),
        ("late_effect", "colitis", "Inflamed bowel (colitis)"),
    ],
    "targeted": [
        ("side_effect", "diarrhoea", "Diarrhoea"),
        ("late_effect", "blood-pressure", "High blood pressure"),
    ],
}


def load(option_model) -> int:
    created = 0
    for treatment_type, entries in SIDE_EFFECTS_V1.items():
        for position, (kind, code, text) in enumerate(entries):
            _, made = option_model.objects.get_or_create(
                code=f"{treatment_type}-{code}",
                defaults={"treatment_type": treatment_type, "kind": kind, "text": text, "position": position},
            )
            created += made
    return created


def ensure_loaded() -> int:
    from treatment_summaries.models import SideEffectOption

    return load(SideEffectOption)
