"""`manage.py qol_dispatch [--date YYYY-MM-DD]`: the survey's daily dispatch now, as the beat task
runs it (a date to catch up a missed day, or to try a day ahead on a copy of the data)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from qol_survey.services import dispatch

LABELS = {
    "invited": "invited",
    "email": "by email",
    "sms": "by text message",
    "post": "by letter",
    "reminded": "reminded",
    "expired": "expired",
}


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, such as 2026-12-01, not {value!r}") from None


class Command(BaseCommand):
    help = "Run the quality of life survey's dispatch: invitations due, sends, reminders and expiry."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default: today)")
        parser.add_argument("--chunk", type=int, default=dispatch.CHUNK, help="rows per transaction")

    def handle(self, *args, date=None, chunk=dispatch.CHUNK, **options):
        if chunk < 1:
            raise CommandError("--chunk must be at least 1")
        done = dispatch.run(_date(date) if date is not None else None, chunk=chunk)
        self.stdout.write(", ".join(f"{LABELS[name]} {count}" for name, count in done.items()))
