"""Retry and backoff helpers for background jobs."""

from .backoff import RetryError, backoff_delays, retry

__all__ = ["RetryError", "backoff_delays", "retry"]
