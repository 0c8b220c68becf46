"""Demo patients at every stage of follow-up, for seed_demo (ADR 0023): pathways, results and
concerns each make their own stages; then this morning's sweep runs, as the beat would at 07:15,
so the reminders, letters to print and safety-net items a newcomer opens are there too."""

from followup import demo_concerns, demo_pathways, demo_results
from followup.models import FollowupLetter
from followup.services import sweep
from portal.people.demo import Stage


def demo_stages(world) -> list:
    made = [*demo_pathways.stages(world), *demo_results.stages(world), *demo_concerns.stages(world)]
    sweep.run()  # idempotent: a second seed_demo sends and raises nothing more
    letter = FollowupLetter.objects.filter(printed_at=None).select_related("patient").first()
    if letter is not None:
        made.append(Stage("Follow-up: a letter waiting to be printed (/follow-up/letters/)", letter.patient))
    return made
