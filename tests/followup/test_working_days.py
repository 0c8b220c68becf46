import datetime

from followup.working_days import add_working_days, working_days_between

D = datetime.date


def test_a_weekday_plus_working_days_skips_the_weekend():
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday -> Monday
    assert add_working_days(D(2026, 11, 25), 2) == D(2026, 11, 27)  # Wednesday -> Friday


def test_bank_holidays_are_not_working_days():
    # Christmas 2026: Friday 25 and the substitute Monday 28 (Boxing Day falls on a Saturday).
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    assert add_working_days(D(2027, 3, 25), 1) == D(2027, 3, 30)


def test_zero_working_days_is_the_same_day():
    assert add_working_days(D(2026, 12, 5), 0) == D(2026, 12, 5)


def test_working_days_between_counts_after_a_up_to_b():
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 30)) == 1
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 31)) == 3  # 29, 30, 31
    assert working_days_between(D(2026, 12, 31), D(2026, 12, 24)) == 0


def test_the_two_agree():
    start = D(2026, 12, 21)
    for n in range(0, 15):
        assert working_days_between(start, add_working_days(start, n)) == n
