"""`manage.py qol_load_deprivation FILE.csv`: load deprivation deciles by postcode (`postcode,decile`,
decile 1 most deprived to 10 least), replacing the table the dashboard groups by. A file with a bad
or duplicate row is refused with the rows named, and nothing is loaded."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qol_survey.services.dashboard_loaders import DataFileError, load_deprivation


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # a spreadsheet's byte-order mark is not a cell
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None


class Command(BaseCommand):
    help = "Load deprivation deciles from a CSV file of postcode,decile (replaces the table)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            count = load_deprivation(read(path))
        except DataFileError as exc:
            raise CommandError(f"{path} refused, nothing loaded: {exc}") from None
        self.stdout.write(f"Loaded deprivation deciles for {count} postcodes from {path}")
