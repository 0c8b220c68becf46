"""A fixed-window attempt limit kept in Django's cache, for forms that guess at a secret (ADR 0019).

The window opens at the first counted attempt and lasts `window` seconds whatever happens after;
the `limit`-th attempt in it is still judged, later ones are refused until it ends. So a caller's
"wait N minutes" is always true, and a refused client cannot lengthen its own block.

Two ways to use it: `hit` on every attempt (counts it and says whether it is over the limit), or
`blocked` before judging and `hit` only after a failure, so that only failures count (ADR 0022:
many patients sign in from one clinic tablet; only wrong guesses should use up its limit).

Correct on every cache backend the portal runs on (LocMem in tests, DatabaseCache in the embedded
default, Redis in CI and production): the window's end is the expiry of one key written once with
an explicit timeout, and the counter's timeout is set explicitly after each increment, because
`BaseCache.incr` (DatabaseCache has no native incr) re-sets the key with the default timeout of
300 seconds. Counting is atomic on Redis and LocMem; on DatabaseCache two simultaneous attempts may
count once (its incr is a read then a write)."""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Throttle:
    name: str  # keeps one form's counts apart from another's
    limit: int  # attempts judged per window
    window: int  # seconds, from the first attempt

    def __post_init__(self):
        # Whole seconds: Redis expiry takes whole seconds, and a limit of 0 would refuse everyone.
        if type(self.limit) is not int or self.limit < 1:
            raise ValueError(f"Throttle {self.name!r}: limit must be a whole number of at least 1, not {self.limit!r}")
        if type(self.window) is not int or self.window < 1:
            raise ValueError(f"Throttle {self.name!r}: window must be whole seconds, at least 1, not {self.window!r}")

    def _window_key(self, key: str) -> str:
        return f"throttle:{self.name}:{hashlib.sha256(key.encode()).hexdigest()}"

    @staticmethod
    def _counter_key(window_key: str, opened_at: float) -> str:
        # One counter per window, so a counter left over from the last window never carries on.
        return f"{window_key}:{opened_at!r}"

    def blocked(self, key: str) -> bool:
        """True while `key` has used up the limit of its current window. Counts nothing and opens no
        window: `limit` counted attempts are judged, the next is refused until the window ends."""
        window_key = self._window_key(key)
        opened_at = cache.get(window_key)
        if opened_at is None:
            return False
        return (cache.get(self._counter_key(window_key, opened_at)) or 0) >= self.limit

    def hit(self, key: str) -> bool:
        """Counts this attempt for `key` (say, a client IP); True when it is over the limit, so the
        caller refuses it without looking at what was typed."""
        window_key = self._window_key(key)
        # The first attempt opens the window; no later call changes this key's expiry.
        opened_at = cache.get_or_set(window_key, time.time, self.window)
        counter_key = self._counter_key(window_key, opened_at)
        if cache.add(counter_key, 1, self.window):  # atomic: of two first attempts, one adds
            attempts = 1
        else:
            try:
                attempts = cache.incr(counter_key)
            except ValueError:  # gone since the add saw it (a full LocMem or DatabaseCache culls keys)
                attempts = 1
                cache.set(counter_key, attempts, self.window)
            else:
                # At least until the window ends: DatabaseCache's incr re-set the default timeout.
                cache.touch(counter_key, self.window)
        return attempts > self.limit
