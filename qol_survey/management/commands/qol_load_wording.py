"""`manage.py qol_load_wording FILE.json [--draft]`: load the licensed wording of an instrument as a new
version (qol_survey.services.wording says what the file holds). Refused files name every problem."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qol_survey.services.wording import WordingFileError, load


class Command(BaseCommand):
    help = "Load licensed wording for a survey instrument as a new version (structure and scoring unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a JSON file: instrument, version, source, items {code: wording, labels}")
        parser.add_argument("--draft", action="store_true", help="load it as a draft, not the version in use")

    def handle(self, *args, file, draft=False, **options):
        path = Path(file)
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            made = load(data, publish=not draft)
        except WordingFileError as exc:
            raise CommandError(f"{path} refused, nothing loaded: {exc}") from None
        self.stdout.write(f"Loaded {made}: {made.items.count()} items, {made.scales.count()} scales")
