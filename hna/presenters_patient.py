"""The patient's question pages as an ordered list of steps, and "Check your answers".

A step is a short string ("concerns/physical", "scores/physical", "distress", ... "check"); it is
what `Assessment.last_page` holds, so "come back later" resumes at the same page. The steps
follow the checklist version's category order; a category's scores page exists only when
something in it is ticked."""

from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse

from hna.models import Assessment, CommunicationNeed, ConcernAnswer, ConcernCategory, WantsCompany

# The need that the patient's own words describe first: the language, or the "something else".
DESCRIBED_BY_DETAIL = (CommunicationNeed.LANGUAGE, CommunicationNeed.INTERPRETER, CommunicationNeed.OTHER)


def communication_lines(needs, detail) -> list[str]:
    """One line per need ticked, with what the patient wrote after the need it most likely
    describes ("Language other than English: Polish"); staff and patient pages read the same."""
    lines = [CommunicationNeed(need).label for need in needs]
    if detail and lines:
        described = next((needs.index(n) for n in DESCRIBED_BY_DETAIL if n in needs), len(needs) - 1)
        lines[described] = f"{lines[described]}: {detail}"
    return lines


CHECK = "check"
AFTER_CONCERNS = ["distress", "anything-else", "someone-with-you", "communication", CHECK]
URL_NAMES = {
    "concerns": "hna:patient_concerns",
    "scores": "hna:patient_scores",
    "distress": "hna:patient_distress",
    "anything-else": "hna:patient_anything_else",
    "someone-with-you": "hna:patient_company",
    "communication": "hna:patient_communication",
    CHECK: "hna:patient_check",
}
# The only pages a "Change" link may come back to (?return=...): never a URL from the request.
RETURN_TO = {CHECK}


def categories(assessment: Assessment) -> list[ConcernCategory]:
    return list(assessment.checklist_version.categories.order_by("position", "name"))


def category_or_404(assessment: Assessment, code: str) -> ConcernCategory:
    category = assessment.checklist_version.categories.filter(code=code).first()
    if category is None:
        raise Http404("No such category in this checklist")
    return category


def ticked_answers(assessment: Assessment, category: ConcernCategory) -> list[ConcernAnswer]:
    return list(
        assessment.answers.filter(ticked=True, item__category=category)
        .select_related("item")
        .order_by("item__position", "item__text")
    )


def steps(assessment: Assessment) -> list[str]:
    ticked = set(assessment.answers.filter(ticked=True).values_list("item__category__code", flat=True))
    result = []
    for category in categories(assessment):
        result.append(f"concerns/{category.code}")
        if category.code in ticked:
            result.append(f"scores/{category.code}")
    return result + AFTER_CONCERNS


def step_url(step: str, return_to: str | None = None) -> str:
    page, _, code = step.partition("/")
    url = reverse(URL_NAMES[page], kwargs={"category_code": code} if code else None)
    return f"{url}?return={return_to}" if return_to in RETURN_TO else url


def next_step(assessment: Assessment, step: str, return_to: str | None = None) -> str:
    """Where to go after saving `step`. A change made from "Check your answers" goes back there,
    unless it ticked a concern that still needs a score."""
    if return_to in RETURN_TO:
        page, _, code = step.partition("/")
        if (
            page == "concerns"
            and assessment.answers.filter(ticked=True, score__isnull=True, item__category__code=code).exists()
        ):
            return f"scores/{code}"
        return return_to
    order = steps(assessment)
    return order[order.index(step) + 1] if step in order and step != CHECK else CHECK


def previous_url(assessment: Assessment, step: str, return_to: str | None = None) -> str | None:
    if return_to in RETURN_TO:
        return step_url(return_to)
    order = steps(assessment)
    index = order.index(step) if step in order else 0
    return step_url(order[index - 1]) if index > 0 else None


def resume_step(assessment: Assessment) -> str:
    """The page they were on when they left, or the first page."""
    order = steps(assessment)
    return assessment.last_page if assessment.last_page in order else order[0]


def has_passed(assessment: Assessment, step: str) -> bool:
    """They have saved `step` and moved on (so an empty answer there means "none")."""
    order = steps(assessment)
    return assessment.last_page in order and step in order and order.index(assessment.last_page) > order.index(step)


@dataclass
class Row:
    key: str
    values: list[str]
    actions: list[dict] = field(default_factory=list)


def _change(step: str, what: str, text: str = "Change") -> dict:
    return {"href": step_url(step, CHECK), "text": text, "visuallyHiddenText": what}


class CheckAnswers:
    """Every answer, each with a "Change" link that comes back here after saving."""

    def __init__(self, assessment: Assessment):
        self.assessment = assessment
        answers = assessment.answers.filter(ticked=True).select_related("item__category")
        by_category: dict[str, list[ConcernAnswer]] = {}
        for answer in sorted(answers, key=lambda a: (a.item.position, a.item.text)):
            by_category.setdefault(answer.item.category.code, []).append(answer)
        self.concern_rows = []
        self.unscored_step = None
        for category in categories(assessment):
            ticked = by_category.get(category.code, [])
            actions = [_change(f"concerns/{category.code}", f"{category.name.lower()} concerns")]
            if ticked:
                actions.append(_change(f"scores/{category.code}", f"for {category.name.lower()}", "Change scores"))
            values = [self._scored(a) for a in ticked] or ["None ticked"]
            self.concern_rows.append(Row(category.name, values, actions))
            if self.unscored_step is None and any(a.score is None for a in ticked):
                self.unscored_step = f"scores/{category.code}"
        self.about_rows = [
            Row("Distress over the past week", [self._distress()], [_change("distress", "distress score")]),
            Row("Anything else", [assessment.anything_else or "Nothing"], [_change("anything-else", "anything else")]),
            Row("Someone with you", [self._company()], [_change("someone-with-you", "someone with you")]),
            Row("Communication needs", self._communication(), [_change("communication", "communication needs")]),
        ]

    @staticmethod
    def _scored(answer: ConcernAnswer) -> str:
        score = "no score yet" if answer.score is None else f"{answer.score} out of 10"
        return f"{answer.item.text}: {score}"

    def _distress(self) -> str:
        score = self.assessment.distress_score
        return "Not answered" if score is None else f"{score} out of 10"

    def _company(self) -> str:
        value = self.assessment.wants_company
        return WantsCompany(value).label if value else "Not answered"

    def _communication(self) -> list[str]:
        needs = communication_lines(self.assessment.communication_needs, self.assessment.communication_detail)
        if needs:
            return needs
        return ["None"] if has_passed(self.assessment, "communication") else ["Not answered"]

    @property
    def unscored_url(self) -> str | None:
        return step_url(self.unscored_step, CHECK) if self.unscored_step else None
