"""How much the public idea page takes, and from whom: its limits, in memory only.

A whole class often shares one wi-fi, and so one address. So the tight limits are per browser
(a random token in the signed session cookie), and the address only has a ceiling a class fits
under with room to spare: two classes of 30 sending 5 ideas each, or voting at the pace a person
can. A workshop also has a ceiling of its own, so a flood from many addresses or many tokens
stops at a sane total.

Clearing the cookie makes a new browser token, and so a new voter. What bounds that is a ceiling
per idea and network: at most VOTES_PER_IDEA_PER_NETWORK votes on one idea from one network until
the workshop closes (or this process restarts, since nothing here is written down). A class of
30 each voting for the same idea stays under it; one person clearing cookies can push an idea
that far from one network, and further only from another network.

The browser token is the one the vote hash is made from; it is never stored with an idea.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from dashboard.ratelimit import RateLimiter, Tally

WINDOW = timedelta(minutes=10)
IDEAS_PER_DEVICE = 5
IDEAS_PER_NETWORK = 300  # per workshop: two classes of 30 sending 5 ideas each
IDEAS_PER_WORKSHOP = 600
VOTES_PER_DEVICE = 30  # each idea takes one vote per browser anyway; this bounds the pace
VOTES_PER_NETWORK = 1800  # per workshop: 60 browsers at full pace
VOTES_PER_WORKSHOP = 6000
VOTES_PER_IDEA_PER_NETWORK = 40  # a class of 30 and its adults, with some cleared cookies


class Refusal(StrEnum):
    """Why a request was not taken; each has its own true message."""

    DEVICE = "device"  # this browser's own pace
    BUSY = "busy"  # a ceiling shared with others: the network's or the workshop's
    IDEA_FULL = "idea_full"  # votes only: this idea's ceiling for this network


@dataclass(frozen=True)
class Visitor:
    """Who the limits count: the browser's random token, its network, and the workshop."""

    device: str
    network: str
    workshop_id: int

    @property
    def network_in_workshop(self) -> str:
        return f"{self.workshop_id} {self.network}"


def _limiter(limit: int) -> RateLimiter:
    return RateLimiter(limit=limit, window=WINDOW)


@dataclass(frozen=True)
class Limits:
    """One action's limits: per browser, per network in a workshop, per workshop."""

    device: RateLimiter
    network: RateLimiter
    workshop: RateLimiter

    def refusal(self, visitor: Visitor, *, now: datetime) -> Refusal | None:
        """Which limit is full, if any (counts nothing). The browser's own limit is named
        first, so a browser that has sent much is told so, and one that has not never is."""
        if not self.device.has_room(visitor.device, now=now):
            return Refusal.DEVICE
        if not self.network.has_room(visitor.network_in_workshop, now=now) or not (
            self.workshop.has_room(str(visitor.workshop_id), now=now)
        ):
            return Refusal.BUSY
        return None

    def count(self, visitor: Visitor, *, now: datetime) -> None:
        self.device.count(visitor.device, now=now)
        self.network.count(visitor.network_in_workshop, now=now)
        self.workshop.count(str(visitor.workshop_id), now=now)


def idea_limits(
    *,
    device: int = IDEAS_PER_DEVICE,
    network: int = IDEAS_PER_NETWORK,
    workshop: int = IDEAS_PER_WORKSHOP,
) -> Limits:
    return Limits(_limiter(device), _limiter(network), _limiter(workshop))


def vote_limits(
    *,
    device: int = VOTES_PER_DEVICE,
    network: int = VOTES_PER_NETWORK,
    workshop: int = VOTES_PER_WORKSHOP,
) -> Limits:
    return Limits(_limiter(device), _limiter(network), _limiter(workshop))


@dataclass(frozen=True)
class PublicLimits:
    """The public pages' limits, one set per app."""

    ideas: Limits = field(default_factory=idea_limits)
    votes: Limits = field(default_factory=vote_limits)
    votes_per_idea: Tally = field(default_factory=lambda: Tally(limit=VOTES_PER_IDEA_PER_NETWORK))

    def idea_full(self, visitor: Visitor, idea_id: int, *, now: datetime) -> bool:
        """Whether the idea has all the votes it can take from the visitor's network."""
        return not self.votes_per_idea.has_room(_idea_key(visitor, idea_id), now=now)

    def count_vote(
        self, visitor: Visitor, idea_id: int, *, closes_at: datetime, now: datetime
    ) -> None:
        """Count a stored vote; the idea's tally is kept until the workshop closes."""
        self.votes.count(visitor, now=now)
        self.votes_per_idea.count(_idea_key(visitor, idea_id), until=closes_at, now=now)


def _idea_key(visitor: Visitor, idea_id: int) -> str:
    return f"{idea_id} {visitor.network}"
