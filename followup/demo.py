"""Demo patients at every stage of follow-up, for seed_demo (ADR 0023): pathways, results and
concerns each make their own stages."""

from followup import demo_concerns, demo_pathways, demo_results


def demo_stages(world) -> list:
    return [*demo_pathways.stages(world), *demo_results.stages(world), *demo_concerns.stages(world)]
