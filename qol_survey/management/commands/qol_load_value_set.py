"""`manage.py qol_load_value_set FILE.csv --name NAME`: load a value set for the health profile's index
(`state,index`, one row per health state 11111 to 55555). A file with missing, duplicate or bad rows is
refused with them named, and nothing is loaded. `--write-demo FILE` writes the made-up demo set."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qol_survey.demo_value_set import demo_csv
from qol_survey.services.value_sets import ValueSetFileError, load


class Command(BaseCommand):
    help = "Load a health-profile value set from a CSV file of state,index (all 3,125 states, once each)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (or, with --write-demo, where to write the demo one)")
        parser.add_argument("--name", help="what to call this value set (default: the file's name)")
        parser.add_argument("--write-demo", action="store_true", help="write the DEMO value set to FILE; load nothing")

    def handle(self, *args, file, name=None, write_demo=False, **options):
        path = Path(file)
        if write_demo:
            path.write_text(demo_csv())
            self.stdout.write(f"Wrote the DEMO value set (made up, not for reporting) to {path}")
            return
        try:
            text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's byte-order mark is not a cell
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            value_set = load(text, name or path.stem, str(path))
        except ValueSetFileError as exc:
            raise CommandError(f"{path} refused, nothing loaded: {exc}") from None
        self.stdout.write(f"Loaded value set {value_set.name!r}: {value_set.rows.count()} states")
