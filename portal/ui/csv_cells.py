"""CSV cells a spreadsheet opens safely: every export of ours (HNA reports, the survey dashboard, the
mailing house's letters) writes its cells through `safe_cell`."""

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula: a leading = + - @ gets a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
