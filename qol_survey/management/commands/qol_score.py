"""`manage.py qol_score --instrument cancer-30 < responses.json`: score responses given on standard
input, a JSON list of objects from item code (q1..q30) to answer number, as the portal scores them
(qol_survey.services.scoring). The last line printed is a JSON list of each response's scale scores,
null where too few items were answered. Analysts use it to re-score paper returns."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from qol_survey.services import scoring


class Command(BaseCommand):
    stealth_options = ("stdin",)  # call_command(..., stdin=...) in tests
    help = "Score survey responses read as JSON from standard input; the last line printed is the scores."

    def add_arguments(self, parser):
        parser.add_argument("--instrument", required=True, help="instrument code: cancer-30 or health-profile-5d")
        parser.add_argument("--instrument-version", help="instrument version (default: newest)")

    def handle(self, *args, instrument, instrument_version=None, **options):
        try:
            definition = scoring.definition(instrument, instrument_version)
        except scoring.NotLoaded as exc:
            raise CommandError(str(exc)) from None
        stdin = options.get("stdin") or sys.stdin
        try:
            responses = json.loads(stdin.read())
        except json.JSONDecodeError as exc:
            raise CommandError(f"standard input is not JSON: {exc}") from None
        if not isinstance(responses, list):
            raise CommandError("standard input must be a JSON list of responses, each an object of item: answer")
        results = []
        for number, response in enumerate(responses):
            if not isinstance(response, dict):
                raise CommandError(f"response {number}: must be an object of item code to answer number")
            try:
                results.append(scoring.score(response, definition))
            except scoring.AnswerError as exc:
                raise CommandError(f"response {number}, {exc}") from None
            except scoring.NotLoaded as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"{len(results)} responses scored on {definition.code} {definition.version}")
        self.stdout.write(json.dumps(results))
