from __future__ import annotations

import itertools

from scheduler.ratelimit import RateLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_slots_are_spaced_to_the_overall_limit():
    clock = FakeTime()
    limiter = RateLimiter(overall=30, per_chat=1, monotonic=clock)
    waits = [limiter.reserve(chat) for chat in range(60)]
    assert waits[0] == 0.0
    assert all(w is not None for w in waits)
    starts = [clock.now + w for w in waits if w is not None]
    gaps = {round(b - a, 6) for a, b in itertools.pairwise(starts)}
    assert gaps == {round(1 / 30, 6)}  # 60 sends take two seconds: 30 a second


def test_one_chat_gets_at_most_one_message_a_second():
    clock = FakeTime()
    limiter = RateLimiter(overall=30, per_chat=1, monotonic=clock)
    assert limiter.reserve(7) == 0.0
    assert limiter.reserve(7) is None
    clock.now += 0.99
    assert limiter.reserve(7) is None
    clock.now += 0.02
    assert limiter.reserve(7) == 0.0
