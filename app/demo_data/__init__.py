"""Demo data: a deterministic generator of fictitious customers, policies, claims and callbacks.

``python -m app.demo_data --db URL --customers N [--seed S]``. Names, numbers and ID numbers depend
only on the seed and the customer's index; dates are relative to the day of the run, so that
cooling-off callbacks are due whenever the demo runs. ID numbers pass the GB 11643 checksum but are
drawn at random, not taken from anyone. It writes in batches (COPY on PostgreSQL), so 1M customers
and about 3M policies take minutes."""

from __future__ import annotations

from app.demo_data.generate import (
    DEFAULT_SEED,
    GenerateReport,
    demo_caller_numbers,
    demo_policy_numbers,
    generate,
)

__all__ = ["DEFAULT_SEED", "GenerateReport", "demo_caller_numbers", "demo_policy_numbers", "generate"]
