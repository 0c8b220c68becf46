"""Loading the dashboard's data files (ADR 0039): deprivation deciles by postcode, and reference
values. A file with any problem is refused whole, each bad or duplicate row named by its line, and
nothing is loaded: half a table would put some people in the wrong group without anyone knowing."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.db import transaction

from portal.people.validators import POSTCODE
from qol_survey.models import AGE_BANDS, Instrument, PostcodeDeprivation, ReferenceSet, ReferenceValue, postcode_key

SHOWN = 10  # problems named in a message before "and N more"
PROFILE_MEASURES = {"index": (Decimal(-1), Decimal(1)), "health_today": (Decimal(0), Decimal(100))}
SCALE_RANGE = (Decimal(0), Decimal(100))
BANDS = {label for label, *_ in AGE_BANDS}
SEXES = {"", "1", "2"}  # everyone in the band, or PERSON STATED GENDER CODE male / female


class DataFileError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        more = [f"and {len(problems) - SHOWN} more problems"] if len(problems) > SHOWN else []
        super().__init__("; ".join(problems[:SHOWN] + more))


def _rows(text: str, columns: list[str]):
    """(line number, cells) for each non-blank row, after checking the header names `columns`."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header] != columns:
        raise DataFileError([f"the first line must be the header: {','.join(columns)}"])
    for line, cells in enumerate(reader, start=2):
        if cells and any(cell.strip() for cell in cells):
            yield line, cells


def _duplicates(lines: dict) -> list[str]:
    return [f"{key} is on lines {', '.join(map(str, at))}" for key, at in lines.items() if len(at) > 1]


def parse_deprivation(text: str) -> dict[str, int]:
    """postcode key -> decile, or DataFileError naming every bad line and duplicate postcode."""
    problems, rows, lines = [], {}, {}
    for line, cells in _rows(text, ["postcode", "decile"]):
        if len(cells) != 2:
            problems.append(f"line {line}: expected 2 cells (postcode,decile), found {len(cells)}")
            continue
        raw, decile = cells[0].strip().upper(), cells[1].strip()
        if not POSTCODE.match(raw):
            problems.append(f"line {line}: postcode {raw!r} is not a UK postcode, like LS1 4AP")
            continue
        if not decile.isdigit() or not 1 <= int(decile) <= 10:
            problems.append(f"line {line}: decile {decile!r} for {raw} is not a whole number from 1 to 10")
            continue
        key = postcode_key(raw)
        lines.setdefault(key, []).append(line)
        rows[key] = int(decile)
    problems += [f"duplicate postcode: {d}" for d in _duplicates(lines)]
    if problems:
        raise DataFileError(problems)
    if not rows:
        raise DataFileError(["the file has no postcodes"])
    return rows


@transaction.atomic
def load_deprivation(text: str) -> int:
    """Replace the whole table (a published table covers every postcode; the demo one goes)."""
    rows = parse_deprivation(text)
    PostcodeDeprivation.objects.all().delete()
    PostcodeDeprivation.objects.bulk_create(PostcodeDeprivation(postcode=p, decile=d) for p, d in rows.items())
    return len(rows)


def _measures() -> dict[str, dict]:
    """instrument code -> {measure: (lowest, highest)}: the profile's two, the cancer-30's scales."""
    known = {"health-profile-5d": PROFILE_MEASURES}
    for instrument in Instrument.objects.filter(code="cancer-30").prefetch_related("scales"):
        known.setdefault(instrument.code, {}).update({s.code: SCALE_RANGE for s in instrument.scales.all()})
    return known


def _mean(raw: str, low: Decimal, high: Decimal) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or not low <= value <= high or -value.as_tuple().exponent > 4:
        return None
    return value


def parse_reference(text: str) -> list[tuple]:
    """(instrument, measure, age band, sex, mean) rows, or DataFileError naming every problem."""
    columns = ["instrument", "measure", "age_band", "sex", "mean"]
    known, problems, rows, lines = _measures(), [], [], {}
    for line, cells in _rows(text, columns):
        if len(cells) != len(columns):
            problems.append(f"line {line}: expected 5 cells ({','.join(columns)}), found {len(cells)}")
            continue
        instrument, measure, band, sex, raw = (cell.strip() for cell in cells)
        if instrument not in known:
            problems.append(f"line {line}: instrument {instrument!r} is not {' or '.join(sorted(known))}")
        elif measure not in known[instrument]:
            problems.append(f"line {line}: measure {measure!r} is not a measure of {instrument}")
        elif band not in BANDS:
            problems.append(
                f"line {line}: age_band {band!r} is not one of {', '.join(label for label, *_ in AGE_BANDS)}"
            )
        elif sex not in SEXES:
            problems.append(f"line {line}: sex {sex!r} is not 1 (male), 2 (female) or empty (everyone)")
        elif (mean := _mean(raw, *known[instrument][measure])) is None:
            low, high = known[instrument][measure]
            problems.append(f"line {line}: mean {raw!r} for {measure} is not a number from {low} to {high}")
        else:
            key = (instrument, measure, band, sex)
            lines.setdefault(" ".join(k or "everyone" for k in key), []).append(line)
            rows.append((*key, mean))
    problems += [f"duplicate: {d}" for d in _duplicates(lines)]
    if problems:
        raise DataFileError(problems)
    if not rows:
        raise DataFileError(["the file has no reference values"])
    return rows


@transaction.atomic
def load_reference(text: str, name: str, source: str) -> ReferenceSet:
    """Store the file as a new reference set, which becomes the current one (a name used before is
    refused: a set reports were compared with is not rewritten)."""
    rows = parse_reference(text)
    if ReferenceSet.objects.filter(name=name).exists():
        raise DataFileError([f"a reference set named {name!r} is already loaded; give the new one its own name"])
    reference_set = ReferenceSet.objects.create(name=name, source=source[:300])
    ReferenceValue.objects.bulk_create(
        ReferenceValue(reference_set=reference_set, instrument=i, measure=m, age_band=b, sex=s, mean=v)
        for i, m, b, s, v in rows
    )
    return reference_set
