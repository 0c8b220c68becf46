"""The throttle helper on every cache backend the portal runs on: LocMem (tests), DatabaseCache
(the embedded default) and Redis (CI, production). Time moves with time-machine where the backend
reads the clock in Python (LocMem, DatabaseCache); Redis expires keys on its own clock, so there
the window is short and the test really waits (about 3 seconds)."""

import datetime as dt
import re
import time

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from portal.access.throttle import Throttle
from tests.caches import redis_cache, use_database_cache

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
IP = "192.0.2.10"


class FrozenClock:
    """Time-machine's clock, from START, with a 15-minute window as the passcode forms use."""

    window, margin = 15 * 60, 1

    def __init__(self, traveller):
        self.traveller = traveller

    def at(self, seconds: float) -> None:
        self.traveller.move_to(START + dt.timedelta(seconds=seconds))


class RealClock:
    """The real clock: Redis's expiry cannot be moved, so a short window and real waits."""

    window, margin = 2, 0.5

    def __init__(self):
        self.started = time.monotonic()

    def at(self, seconds: float) -> None:
        time.sleep(max(0.0, self.started + seconds - time.monotonic()))


@pytest.fixture(params=["locmem", "database", "redis"])
def clock(request, settings):
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")  # skips without REDIS_URL, which fails in CI
        with redis_cache(settings, url):
            yield RealClock()
        return
    if request.param == "database":
        use_database_cache(settings)
    else:
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    with time_machine.travel(START, tick=False) as traveller:
        yield FrozenClock(traveller)


def hits(throttle, count, key=IP):
    return [throttle.hit(key) for _ in range(count)]


def test_the_limit_th_attempt_passes_the_next_is_refused_until_the_window_ends(clock):
    throttle = Throttle("test", limit=3, window=clock.window)
    assert hits(throttle, 2) == [False, False]  # limit - 1
    assert throttle.hit(IP) is False  # the limit-th is still judged
    assert throttle.hit(IP) is True  # limit + 1

    clock.at(clock.window - clock.margin)
    assert throttle.hit(IP) is True  # still refused just before the window ends

    clock.at(clock.window + clock.margin)
    # A new window, with the whole limit again: refused attempts did not lengthen the block.
    assert hits(throttle, 4) == [False, False, False, True]


def test_blocked_counts_nothing_and_says_so_once_the_limit_is_used_up(clock):
    """For forms that count only failures: `blocked` is read before judging, `hit` after a failure."""
    throttle = Throttle("test", limit=3, window=clock.window)
    assert [throttle.blocked(IP) for _ in range(10)] == [False] * 10  # asking opens no window, counts nothing
    hits(throttle, 2)  # limit - 1 failures
    assert throttle.blocked(IP) is False  # the next attempt is still judged
    throttle.hit(IP)  # the limit-th failure
    assert throttle.blocked(IP) is True
    assert throttle.blocked("192.0.2.99") is False  # another address

    clock.at(clock.window - clock.margin)
    assert throttle.blocked(IP) is True  # refused tries (read, never counted) do not move the window

    clock.at(clock.window + clock.margin)
    assert throttle.blocked(IP) is False  # the window ran from the first failure and has ended
    assert hits(throttle, 3) == [False, False, False] and throttle.blocked(IP) is True  # the whole limit again


@pytest.mark.parametrize("backend", ["locmem", "database"])
def test_the_window_opens_at_the_first_failure_and_later_failures_do_not_restart_it(settings, backend):
    if backend == "database":
        use_database_cache(settings)  # the embedded default
    throttle = Throttle("test", limit=3, window=15 * 60)
    with time_machine.travel(START, tick=False) as traveller:
        assert throttle.blocked(IP) is False  # a success at 8:00 asks, and opens nothing
        traveller.move_to(START + dt.timedelta(minutes=5))
        throttle.hit(IP)  # the first failure, 8:05: the window runs to 8:20
        traveller.move_to(START + dt.timedelta(minutes=12))
        throttle.hit(IP)
        traveller.move_to(START + dt.timedelta(minutes=19))
        throttle.hit(IP)
        assert throttle.blocked(IP) is True
        traveller.move_to(START + dt.timedelta(minutes=20, seconds=-1))
        assert throttle.blocked(IP) is True
        traveller.move_to(START + dt.timedelta(minutes=20, seconds=1))
        assert throttle.blocked(IP) is False  # 15 minutes from 8:05, not from the last failure at 8:19


@pytest.mark.parametrize("backend", ["locmem", "database"])
def test_attempts_spread_over_the_window_all_count(settings, backend):
    """DatabaseCache's incr re-sets the counter with the default 5-minute timeout; the counter
    must still be there 14 minutes later."""
    if backend == "database":
        use_database_cache(settings)
    throttle = Throttle("test", limit=2, window=15 * 60)
    with time_machine.travel(START, tick=False) as traveller:
        assert throttle.hit(IP) is False
        traveller.move_to(START + dt.timedelta(minutes=7))
        assert throttle.hit(IP) is False
        traveller.move_to(START + dt.timedelta(minutes=14))
        assert throttle.hit(IP) is True
        traveller.move_to(START + dt.timedelta(minutes=15, seconds=1))
        assert throttle.hit(IP) is False  # the window is 15 minutes from the first attempt


@pytest.mark.parametrize("backend", ["locmem", "database"])
def test_each_key_has_its_own_window(settings, backend):
    if backend == "database":
        use_database_cache(settings)
    throttle = Throttle("test", limit=1, window=15 * 60)
    with time_machine.travel(START, tick=False) as traveller:
        throttle.hit("192.0.2.99")  # another address opens its window first
        traveller.move_to(START + dt.timedelta(minutes=10))
        assert hits(throttle, 2) == [False, True]
        traveller.move_to(START + dt.timedelta(minutes=15, seconds=1))
        assert throttle.hit(IP) is True  # this address's window runs until 25 minutes
        traveller.move_to(START + dt.timedelta(minutes=25, seconds=1))
        assert throttle.hit(IP) is False


@pytest.fixture(params=["database", "redis"])
def expiries(request, settings):
    """A function giving, for every key in the cache, the seconds until it expires (None: never)."""
    if request.param == "database":
        use_database_cache(settings)

        def database_expiries():
            with connection.cursor() as cursor:
                cursor.execute("SELECT expires FROM test_portal_cache")
                return [None if e.year == 9999 else (e - timezone.now()).total_seconds() for (e,) in cursor]

        with time_machine.travel(START, tick=False):
            yield database_expiries
        return
    with redis_cache(settings, request.getfixturevalue("redis_url")) as (client, prefix):
        yield lambda: [None if ttl < 0 else ttl for ttl in map(client.ttl, client.scan_iter(f"{prefix}:*"))]


def test_every_key_it_writes_expires_within_the_window(expiries):
    """Nothing is left behind (Redis never evicts on its own): each address's keys go when its
    window has passed."""
    throttle = Throttle("test", limit=1, window=60)
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.2", "192.0.2.2"):
        throttle.hit(address)
    remaining = expiries()
    assert len(remaining) == 4  # a window and a counter for each address
    assert all(seconds is not None and 0 < seconds <= 60 for seconds in remaining), remaining


def test_a_counter_evicted_mid_count_counts_afresh(monkeypatch, expiries):
    """A full LocMem or DatabaseCache culls keys; the attempt still counts, as the first."""
    throttle = Throttle("test", limit=2, window=60)
    assert throttle.hit(IP) is False
    real_incr = cache.incr

    def evicting_incr(key, *args, **kwargs):
        cache.delete(key)
        return real_incr(key, *args, **kwargs)

    monkeypatch.setattr(cache, "incr", evicting_incr)
    assert throttle.hit(IP) is False  # the first attempt's count is lost: this one is 1
    monkeypatch.undo()
    assert all(seconds is not None and 0 < seconds <= 60 for seconds in expiries())
    assert hits(throttle, 2) == [False, True]  # it was stored as 1: these are the 2nd and 3rd


def test_each_key_and_each_name_counts_on_its_own():
    passcodes = Throttle("passcodes", limit=1, window=60)
    accounts = Throttle("accounts", limit=1, window=60)
    assert hits(passcodes, 2) == [False, True]
    assert passcodes.hit("192.0.2.99") is False  # another address
    assert accounts.hit(IP) is False  # another form, same address
    assert hits(Throttle("passcodes", limit=1, window=60), 1) == [True]  # same name: the same counts


def test_a_changed_limit_applies_at_once_to_the_counts_so_far():
    assert hits(Throttle("test", limit=1, window=60), 2) == [False, True]
    assert Throttle("test", limit=3, window=60).hit(IP) is False  # 3 attempts so far, limit 3


def test_the_key_is_stored_hashed():
    Throttle("test", limit=1, window=60).hit("203.0.113.5")
    stored = " ".join(str(key) for key in cache._cache)  # LocMem's own dict
    assert "203.0.113.5" not in stored and "throttle:test:" in stored


@pytest.mark.parametrize(
    "limit, window, message",
    [
        (0, 60, "limit must be a whole number of at least 1, not 0"),
        (2.5, 60, "limit must be a whole number of at least 1, not 2.5"),
        (True, 60, "limit must be a whole number of at least 1, not True"),
        (5, 0, "window must be whole seconds, at least 1, not 0"),
        (5, 1.5, "window must be whole seconds, at least 1, not 1.5"),
    ],
)
def test_a_bad_limit_or_window_is_refused_with_a_clear_message(limit, window, message):
    with pytest.raises(ValueError, match="^" + re.escape("Throttle 'bad': " + message) + "$"):
        Throttle("bad", limit=limit, window=window)


def test_the_smallest_limit_and_window_are_allowed():
    assert Throttle("small", limit=1, window=1).hit(IP) is False


def test_a_limit_of_one_judges_the_first_attempt_and_refuses_the_second():
    throttle = Throttle("one-try", limit=1, window=60)
    assert not throttle.blocked("k")  # never tried: nothing counted yet
    assert not throttle.hit("k")  # the first attempt is judged
    assert throttle.blocked("k") and throttle.hit("k")


def test_blocked_after_the_counter_was_evicted_counts_afresh():
    """The window's key outlived its counter (a cache may evict either): nothing is counted now."""
    throttle = Throttle("evicted", limit=1, window=60)
    throttle.hit("k")
    assert throttle.blocked("k")
    window_key = throttle._window_key("k")
    cache.delete(throttle._counter_key(window_key, cache.get(window_key)))
    assert not throttle.blocked("k")
