"""What the respondent's pages show: the survey as numbered steps (one item per page, the health
profile first, then the cancer-30), their answers in words, and "Check your answers"."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from qol_survey.models import Instrument, Item, ItemPart
from qol_survey.services.responses import INSTRUMENTS

PART_NAMES = {"health-profile-5d": "Your health today", "cancer-30": "Your health over the last week"}
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Step:
    number: int
    instrument: str
    item: Item

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def is_number(self) -> bool:
        return self.item.part == ItemPart.HEALTH_TODAY


def steps() -> list[Step]:
    """Every item of the current published versions, in the order the survey asks them."""
    found = []
    for code in INSTRUMENTS:
        instrument = Instrument.current(code)
        if instrument is None:
            continue
        for item in instrument.items.order_by("position"):
            found.append(Step(len(found) + 1, code, item))
    return found


def step_keys(all_steps) -> list[tuple[str, str]]:
    return [(s.instrument, s.code) for s in all_steps]


def step_or_404(all_steps, number: int) -> Step:
    if not 1 <= number <= len(all_steps):
        raise Http404("No such question")
    return all_steps[number - 1]


def step_url(number: int, return_to: str | None = None) -> str:
    url = reverse("qol_survey:answer_step", args=[number])
    return f"{url}?return=check" if return_to == "check" else url


def answer_words(item: Item, answer) -> str:
    if answer is None:
        return NOT_ANSWERED
    if item.part == ItemPart.HEALTH_TODAY:
        return f"{answer} out of {item.highest}"
    labels = item.answer_labels or []
    index = answer - item.lowest
    return labels[index] if 0 <= index < len(labels) else str(answer)


def draft_answer(invitation, step: Step):
    return ((invitation.draft or {}).get(step.instrument) or {}).get(step.code)


def check_rows(invitation, all_steps) -> dict:
    """{part name: [summary list rows]} and how many were left unanswered."""
    parts: dict[str, list] = {}
    unanswered = 0
    for step in all_steps:
        answer = draft_answer(invitation, step)
        unanswered += answer is None
        parts.setdefault(PART_NAMES.get(step.instrument, step.instrument), []).append(
            {
                "key": {"text": f"{step.number}. {step.item.wording}"},
                "value": {"text": answer_words(step.item, answer)},
                "actions": {
                    "items": [
                        {
                            "href": step_url(step.number, "check"),
                            "text": "Change",
                            "visuallyHiddenText": f"your answer to question {step.number}",
                        }
                    ]
                },
            }
        )
    return {"parts": parts, "unanswered": unanswered}


def draft_answers(invitation) -> dict:
    """The draft as responses.submit takes it: skipped (None) items left out."""
    return {
        code: {item: value for item, value in (answers or {}).items() if value is not None}
        for code, answers in (invitation.draft or {}).items()
    }
