"""The process's own measurements, for /metrics (ungeguide/health.py) in Prometheus' format.

Only counts and durations: no label ever holds a person, a chat, a name or a text, so nothing
personal can reach a monitoring system. The instruments live in their own registry (with the
process's CPU and memory), not prometheus_client's global one, so tests and tools that import
the project do not share state with another library's metrics.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)

UPDATE_SECONDS = Histogram(
    "ungeguide_update_handling_seconds",
    "Time from receiving a Telegram update to having stored and answered it.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
UPDATES_SKIPPED = Counter(
    "ungeguide_updates_skipped",
    "Telegram updates that could not be read and were skipped (only their update_id is kept).",
    registry=REGISTRY,
)
UPDATE_LAG_SECONDS = Gauge(
    "ungeguide_update_lag_seconds",
    "How far behind Telegram the last handled update was: now minus the time Telegram gave it.",
    registry=REGISTRY,
)
