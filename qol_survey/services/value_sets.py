"""Loading a value set for the health profile's index from a CSV file (`state,index`, one row per
health state 11111 to 55555). A file with any problem is refused whole, every problem named, and
nothing is loaded: a half-loaded value set would give some respondents no index, or a wrong one."""

import csv
import io
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from qol_survey.demo_value_set import all_states
from qol_survey.models import ValueSet, ValueSetRow

STATE = re.compile(r"^[1-5]{5}$")
SHOWN = 10  # states named in a message before "and N more"


class ValueSetFileError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _named(states: list[str]) -> str:
    more = f", and {len(states) - SHOWN} more" if len(states) > SHOWN else ""
    return ", ".join(states[:SHOWN]) + more


def _index(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    # An index is at most 1 (full health); six places is what the table keeps.
    if not value.is_finite() or value > 1 or value < -10 or -value.as_tuple().exponent > 6:
        return None
    return value


def parse(text: str) -> dict[str, Decimal]:
    """The file's rows as state -> index, or ValueSetFileError naming every bad line, missing state
    and duplicate."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header] != ["state", "index"]:
        raise ValueSetFileError(["the first line must be the header: state,index"])
    problems, rows, lines = [], {}, {}
    for line, cells in enumerate(reader, start=2):
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(cells) != 2:
            problems.append(f"line {line}: expected 2 cells (state,index), found {len(cells)}")
            continue
        state, raw = cells[0].strip(), cells[1]
        if not STATE.match(state):
            problems.append(f"line {line}: state {state!r} is not five digits each 1 to 5")
            continue
        index = _index(raw)
        if index is None:
            problems.append(f"line {line}: index {raw.strip()!r} for {state} is not a number up to 1 with 6 places")
            continue
        lines.setdefault(state, []).append(line)
        rows[state] = index
    missing = [state for state in all_states() if state not in lines]
    if missing:
        problems.append(f"missing {len(missing)} state{'s' if len(missing) != 1 else ''}: {_named(missing)}")
    duplicates = [f"{state} on lines {', '.join(map(str, at))}" for state, at in lines.items() if len(at) > 1]
    if duplicates:
        problems.append(
            f"duplicate: {'; '.join(duplicates[:SHOWN])}"
            + (f"; and {len(duplicates) - SHOWN} more" if len(duplicates) > SHOWN else "")
        )
    if problems:
        raise ValueSetFileError(problems)
    return rows


@transaction.atomic
def load(text: str, name: str, source: str) -> ValueSet:
    """Check the whole file, then store it as a new value set named `name` (a name already used is
    refused: a value set responses were scored with is not rewritten)."""
    rows = parse(text)
    if ValueSet.objects.filter(name=name).exists():
        raise ValueSetFileError([f"a value set named {name!r} is already loaded; give the new one its own name"])
    value_set = ValueSet.objects.create(name=name, source=source[:300])
    ValueSetRow.objects.bulk_create(ValueSetRow(value_set=value_set, state=s, index=i) for s, i in rows.items())
    return value_set
