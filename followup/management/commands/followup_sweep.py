"""`manage.py followup_sweep [--date YYYY-MM-DD]`: the daily follow-up sweep now, as the beat task
runs it (a date to catch up a missed day, or to try a day ahead on a copy of the data)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from followup.services import sweep


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Run the daily follow-up sweep: reminders, check-ins, worklist items, discharges."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default: today)")
        parser.add_argument("--chunk", type=int, default=sweep.CHUNK, help="rows per transaction")

    def handle(self, *args, date=None, chunk=sweep.CHUNK, **options):
        if chunk < 1:
            raise CommandError("--chunk must be at least 1")
        done = sweep.run(_date(date) if date else None, chunk=chunk)
        self.stdout.write(", ".join(f"{name} {count}" for name, count in done.items() if count) or "nothing to do")
