"""The public page's counters, pure: what counts as one network, and what is forgotten when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.ratelimit import RateLimiter, Tally, network

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4 as an IPv6 socket shows it
        ("2001:db8:5:7::1", "2001:db8:5:7::/64"),
        ("2001:db8:5:7:ffff:ffff:ffff:ffff", "2001:db8:5:7::/64"),
        ("2001:db8:5:8::1", "2001:db8:5:8::/64"),
        ("testclient", "testclient"),
        ("", ""),
    ],
)
def test_a_network_is_an_ipv4_address_or_an_ipv6_64(address, expected):
    assert network(address) == expected


def test_a_limiter_counts_only_what_the_caller_counts():
    limiter = RateLimiter(limit=2, window=timedelta(minutes=10))
    assert limiter.has_room("a", now=NOW) and limiter.has_room("a", now=NOW)  # a look is free
    limiter.count("a", now=NOW)
    limiter.count("a", now=NOW)
    assert not limiter.has_room("a", now=NOW)
    assert limiter.has_room("b", now=NOW)
    assert limiter.has_room("a", now=NOW + timedelta(minutes=10))


def test_a_tally_lasts_until_the_time_given_and_no_longer():
    tally = Tally(limit=2)
    closes = NOW + timedelta(hours=2)
    tally.count("idea", until=closes, now=NOW)
    tally.count("idea", until=closes, now=NOW + timedelta(minutes=1))
    assert not tally.has_room("idea", now=NOW + timedelta(hours=1, minutes=59))
    assert tally.has_room("idea", now=closes)
    tally.count("idea", until=closes + timedelta(hours=1), now=closes)
    assert tally.has_room("idea", now=closes)  # a fresh count after the old one ended
