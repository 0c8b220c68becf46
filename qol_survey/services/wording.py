"""Licensed wording loaded as a new version of an instrument (ADR 0033): the deploying organisation's
file gives every item's words and answer labels; the structure (items, answer ranges, scales) is
copied from the current published version, so scoring cannot change with the words. A file that
misses an item, names one the instrument lacks, or gives the wrong number of answer labels is
refused with each named, and nothing is loaded."""

from django.db import transaction

from qol_survey.models import Instrument, InstrumentStatus


class WordingFileError(ValueError):
    pass


def _problems(base, items) -> list[str]:
    known = {item.code: item for item in base.items.all()}
    given = items if isinstance(items, dict) else {}
    problems = []
    if missing := [code for code in known if code not in given]:
        problems.append(f"missing items: {', '.join(missing)}")
    if unknown := [code for code in given if code not in known]:
        problems.append(f"items {base.code} does not have: {', '.join(unknown)}")
    for code, words in given.items():
        if code not in known:
            continue
        if not isinstance(words, dict) or not str(words.get("wording") or "").strip():
            problems.append(f"{code}: no wording")
            continue
        item_labels = known[code].answer_labels
        labels = words.get("answer_labels", item_labels)  # none given: the demo's labels stay
        if not isinstance(labels, list) or len(labels) != len(item_labels):
            problems.append(f"{code}: {len(item_labels)} answer labels wanted, not {len(labels or [])}")
    return problems


@transaction.atomic
def load(data: dict, *, publish: bool = True) -> Instrument:
    """`data`: {"instrument": code, "version": name, "source": licence, "items": {code: {"wording",
    "answer_labels"}}}. Returns the new version, published (the one new responses use) unless told."""
    if not isinstance(data, dict):
        raise WordingFileError("the file must be one JSON object")
    code, version = str(data.get("instrument") or ""), str(data.get("version") or "").strip()
    base = Instrument.current(code)
    if base is None:
        raise WordingFileError(f"no published instrument {code!r} to give wording to")
    problems = [] if version else ["no version named"]
    if not str(data.get("source") or "").strip():
        problems.append("no source (the licence the wording is used under)")
    if Instrument.objects.filter(code=code, version=version).exists():
        problems.append(f"version {version!r} of {code} is loaded already")
    problems += _problems(base, data.get("items"))
    if problems:
        raise WordingFileError("; ".join(problems))
    status = InstrumentStatus.PUBLISHED if publish else InstrumentStatus.DRAFT
    made = Instrument.objects.create(
        code=code, version=version, name=base.name, status=status, wording_source=data["source"].strip()
    )
    copies = {}
    for item in base.items.all():
        words = data["items"][item.code]
        copies[item.pk] = made.items.create(
            code=item.code, position=item.position, part=item.part, lowest=item.lowest, highest=item.highest,
            wording=words["wording"].strip(), answer_labels=words.get("answer_labels", item.answer_labels),
        )  # fmt: skip
    for scale in base.scales.prefetch_related("items"):
        copy = made.scales.create(code=scale.code, name=scale.name, kind=scale.kind, position=scale.position)
        copy.items.set([copies[item.pk] for item in scale.items.all()])
    return made
