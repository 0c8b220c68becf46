"""Results from a CSV file (a lab or GP system export): each good row is recorded as if typed in;
a bad row is named with its line number and reason, and the good rows around it are kept."""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from followup.models import Result
from followup.services.results import DuplicateResult, receiving_team, record_result

COLUMNS = ("nhs_number", "test_code", "sample_date", "value", "units", "abnormal", "report_text")
REQUIRED = ("nhs_number", "test_code", "sample_date")
YES, NO = {"yes", "y", "true", "1", "abnormal"}, {"no", "n", "false", "0", "normal"}


@dataclass
class Upload:
    saved: list = field(default_factory=list)  # Result
    errors: list = field(default_factory=list)  # (line number, reason)

    @property
    def unmatched(self) -> list:
        return [result for result in self.saved if result.test_id is None]


class BadRow(ValueError):
    pass


def parse_date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise BadRow(f"sample_date {text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def parse_abnormal(text: str) -> bool | None:
    text = text.strip().lower()
    if not text:
        return None
    if text in YES | NO:
        return text in YES
    raise BadRow(f"abnormal {text!r} is not yes or no")


def parse_value(text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise BadRow(f"value {text!r} is not a number") from None
    if not value.is_finite() or abs(value) >= Decimal("1e9"):
        raise BadRow(f"value {text!r} is not a number a result can have")
    return value


def row_fields(row: dict) -> dict:
    # PostgreSQL cannot store a NUL character in text: without this the row was a server error.
    if None in row:  # csv.DictReader puts cells beyond the header under None
        raise BadRow(f"more cells than the {len(row) - 1} columns the first line names")
    named = [name for name, text in row.items() if name and "\x00" in (text or "")]
    if named:
        raise BadRow(f"{', '.join(named)} has a NUL character; save the file again as CSV UTF-8")
    missing = [name for name in REQUIRED if not (row.get(name) or "").strip()]
    if missing:
        raise BadRow(f"{', '.join(missing)} missing")
    return {
        "nhs_number": row["nhs_number"].strip(),
        "test_code": row["test_code"].strip(),
        "sample_date": parse_date(row["sample_date"].strip()),
        "value": parse_value(row.get("value") or ""),
        "units": (row.get("units") or "").strip(),  # too long: record_result names it
        "abnormal": parse_abnormal(row.get("abnormal") or ""),
        "report_text": (row.get("report_text") or "").strip(),
    }


def _reason(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


def upload(actor, content: bytes | str) -> Upload:
    """Record every row of a results CSV; returns what was saved and each bad row's line and reason.
    The header line must name the columns; a file that cannot be read at all is a ValidationError."""
    receiving_team(actor)  # refused before any row is read
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "The file is not UTF-8 text; save it as CSV UTF-8"}) from None
    reader = csv.DictReader(io.StringIO(content))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError({"file": f"The first line must name the columns; missing: {', '.join(missing)}"})
    reader.fieldnames = header
    report = Upload()
    for row in reader:
        line = reader.line_num
        try:
            fields = row_fields(row)
            report.saved.append(record_result(actor=actor, source=Result.Source.CSV, **fields))
        except BadRow as error:
            report.errors.append((line, str(error)))
        except DuplicateResult as error:
            report.errors.append((line, str(error)))
        except ValidationError as error:
            report.errors.append((line, _reason(error)))
    return report
