"""`manage.py qol_load_reference FILE.csv --name NAME`: load reference values (published norms:
`instrument,measure,age_band,sex,mean`) as a new reference set, which the report and dashboard then
compare with. A file with a bad or duplicate row is refused with the rows named, and nothing is loaded."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qol_survey.management.commands.qol_load_deprivation import read
from qol_survey.services.dashboard_loaders import DataFileError, load_reference


class Command(BaseCommand):
    help = "Load reference values from a CSV file of instrument,measure,age_band,sex,mean as a new set."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--name", help="what to call this reference set (default: the file's name)")
        parser.add_argument("--source", help="where the values come from (default: the file's path)")

    def handle(self, *args, file, name=None, source=None, **options):
        path = Path(file)
        try:
            reference_set = load_reference(read(path), name or path.stem, source or str(path))
        except DataFileError as exc:
            raise CommandError(f"{path} refused, nothing loaded: {exc}") from None
        count = reference_set.values.count()
        self.stdout.write(f"Loaded reference set {reference_set.name!r}: {count} values, now the current set")
