"""Time for the sender: the clock it waits on, and the per-minute cap.

Every wait of a sending (retry, rate-limit pause, cap) goes through one ``Clock``, so
the tests inject a clock that records the waits instead of waiting, and can raise
KeyboardInterrupt from a wait as Ctrl-C would.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Protocol

WINDOW = 60.0  # seconds: the « minute » of INNOVA_SMTP_MAX_PER_MINUTE


class Clock(Protocol):
    def now(self) -> float: ...  # seconds, monotonic

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real time: ``time.monotonic`` and ``time.sleep`` (Ctrl-C interrupts it)."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Pacer:
    """At most ``per_minute`` transactions start in any window of 60 seconds.

    A sliding window rather than even spacing: a batch smaller than the cap is not
    slowed at all, a larger one waits only when the cap would be crossed. ``None``
    means no cap.
    """

    def __init__(self, per_minute: int | None, clock: Clock) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._starts: deque[float] = deque()

    def delay(self) -> float:
        """Seconds to wait before the next transaction may start (0: go now)."""
        if self.per_minute is None:
            return 0.0
        now = self.clock.now()
        while self._starts and self._starts[0] <= now - WINDOW:
            self._starts.popleft()
        if len(self._starts) < self.per_minute:
            return 0.0
        return self._starts[0] + WINDOW - now

    def started(self) -> None:
        """Count one transaction, started now."""
        if self.per_minute is not None:
            self._starts.append(self.clock.now())
