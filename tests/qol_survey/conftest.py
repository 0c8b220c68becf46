import pytest

from qol_survey import demo_instruments, demo_reference, demo_value_set


@pytest.fixture(autouse=True)
def instruments(db):
    """The migrations load these; a flushed database (after a transaction=True test) needs them again."""
    demo_instruments.ensure_loaded()
    demo_value_set.ensure_loaded()
    demo_reference.ensure_loaded()
