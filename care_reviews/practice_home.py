"""What the care reviews app puts on the GP practice's home (ADR 0049): early contacts and reviews
overdue and due now, and patients' open requests, each linking to the due list filtered to them.

Counts only (the due list names the patients), from due_list (its three queries) and one count of
open requests: a patient may ask at any time, so that count is not limited to the 24-month window."""

from care_reviews.models import ReviewRequest
from care_reviews.services.due import State, due_list
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people import hub

DUE_LIST = "/care-reviews/"
POSITION = 20


def practice_home_sections(user) -> list[hub.HomeSection]:
    if policy.practice_of(user, RecordKind.CARE_REVIEW, "read") is None:
        return []
    found = due_list(user)
    asked = ReviewRequest.objects.visible_to(user).filter(closed_at__isnull=True).count()
    return [
        hub.HomeSection(
            title="Cancer care reviews",
            counts=[
                hub.Count(
                    "early contacts or reviews overdue", found.count(State.OVERDUE), f"{DUE_LIST}?show={State.OVERDUE}"
                ),
                hub.Count("early contacts or reviews due now", found.count(State.DUE), f"{DUE_LIST}?show={State.DUE}"),
                hub.Count("asked for by patients", asked, f"{DUE_LIST}?show=requested"),
            ],
            link=("Your practice's cancer care reviews and indicator", DUE_LIST),
            position=POSITION,
        )
    ]
