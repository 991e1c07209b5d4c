"""Exponential backoff with optional jitter, and a retry loop built on it."""

import random
import time


class RetryError(Exception):
    """Raised when every attempt failed; keeps the last error as __cause__."""

    def __init__(self, attempts, last_error):
        super().__init__(f"gave up after {attempts} attempts: {last_error!r}")
        self.attempts = attempts
        self.last_error = last_error


def backoff_delays(attempts, base=0.5, factor=2.0, cap=30.0, jitter=None):
    """Delays (seconds) to wait before each retry after the first attempt.

    ``jitter`` is None for exact delays, "full" for uniform(0, delay) or
    "equal" for delay/2 + uniform(0, delay/2).
    """
    if attempts < 1:
        raise ValueError("attempts must be >= 1")
    if base <= 0 or factor < 1:
        raise ValueError("base must be > 0 and factor >= 1")
    delays = []
    for i in range(attempts - 1):
        delay = min(cap, base * factor**i)
        if jitter == "full":
            delay = random.uniform(0, delay)
        elif jitter == "equal":
            delay = delay / 2 + random.uniform(0, delay / 2)
        elif jitter is not None:
            raise ValueError(f"unknown jitter mode: {jitter}")
        delays.append(delay)
    return delays


def retry(fn, attempts=3, retry_on=(Exception,), sleep=time.sleep, **backoff):
    """Calls ``fn()`` until it succeeds, sleeping between attempts.

    Only exceptions in ``retry_on`` are retried; anything else propagates at once.
    """
    delays = backoff_delays(attempts, **backoff)
    last_error = None
    for attempt in range(attempts):
        try:
            return fn()
        except retry_on as err:  # noqa: PERF203 - retry loop
            last_error = err
            if attempt < len(delays):
                sleep(delays[attempt])
    raise RetryError(attempts, last_error) from last_error


def is_retryable_status(status):
    """HTTP statuses worth retrying: 429 and 5xx except 501."""
    if status == 429:
        return True
    if 500 <= status <= 599 and status != 501:
        return True
    return False
