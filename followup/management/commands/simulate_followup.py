"""`manage.py simulate_followup --patients 300 --years 3 --seed N`: years of follow-up with injected
misses, in the configured database inside a transaction that is rolled back (nothing is kept).
The last line of output is one JSON object (followup/services/simulation.py says what it counts)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class _RolledBack(Exception):
    pass


class Command(BaseCommand):
    help = "Simulate follow-up with missed tests, late and unreviewed results, unanswered check-ins; nothing is kept."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=300, help="patients across the three protocols")
        parser.add_argument("--years", type=int, default=3, help="years of days to move through")
        parser.add_argument("--seed", type=int, default=1, help="draws every miss; the same seed, the same run")

    def handle(self, *args, patients, years, seed, **options):
        if patients < 1:
            raise CommandError("--patients must be at least 1")
        if not 1 <= years <= 10:
            raise CommandError("--years must be from 1 to 10")
        from followup.services.simulation import simulate  # time_machine: imported only when used

        report = None
        try:
            with transaction.atomic():
                report = simulate(patients, years, seed)
                raise _RolledBack
        except _RolledBack:
            pass
        self.stdout.write(json.dumps(report, sort_keys=True))
