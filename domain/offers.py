"""Offers (tilbud): the list an administrator keeps, and the offers each young person receives,
with a start day and, once it ended, an end day (Copenhagen calendar days).

The default list (Mentor, FGU, Praktik, STU, Behandling) is added on first use: when the list is
read and has never held an offer. Offers are never deleted, only retired, so the report and a
young person's history keep the name; a retired offer cannot be given to anyone new.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.errors import OfferError
from storage.models import Offer, PersonOffer, YoungPerson

DEFAULT_OFFERS = ("Mentor", "FGU", "Praktik", "STU", "Behandling")
NAME_MAX = 80


def ensure_default_offers(session: Session, *, now: datetime) -> bool:
    """Add the default offers if the list has never held one. True if it added them."""
    if session.scalar(select(func.count()).select_from(Offer)):
        return False
    session.add_all(Offer(name=name, active=True, created_at=now) for name in DEFAULT_OFFERS)
    session.flush()
    return True


def list_offers(session: Session, *, now: datetime, retired: bool = False) -> list[Offer]:
    """The offers by name (retired ones too with `retired`), the defaults added on first use."""
    ensure_default_offers(session, now=now)
    query = select(Offer).order_by(func.lower(Offer.name), Offer.id)
    if not retired:
        query = query.where(Offer.active.is_(True))
    return list(session.scalars(query))


def add_offer(session: Session, name: str, *, now: datetime) -> Offer:
    ensure_default_offers(session, now=now)
    offer = Offer(name=_checked_name(session, name, keep=None), active=True, created_at=now)
    session.add(offer)
    session.flush()
    return offer


def rename_offer(session: Session, offer_id: int, name: str) -> Offer:
    offer = _offer(session, offer_id)
    offer.name = _checked_name(session, name, keep=offer.id)
    session.flush()
    return offer


def set_offer_active(session: Session, offer_id: int, *, active: bool) -> Offer:
    """Retire an offer (no one new gets it; history keeps it), or take it into use again."""
    offer = _offer(session, offer_id)
    offer.active = active
    return offer


def give_offer(
    session: Session,
    person_id: int,
    offer_id: int,
    *,
    starts_on: date,
    ends_on: date | None = None,
    staff_id: int | None,
    now: datetime,
) -> PersonOffer:
    """Record that the young person receives an offer from `starts_on` (to `ends_on`)."""
    if session.get(YoungPerson, person_id) is None:
        raise OfferError(f"no young person {person_id}")
    if not _offer(session, offer_id).active:
        raise OfferError("the offer is retired")
    _check_days(starts_on, ends_on)
    received = PersonOffer(
        young_person_id=person_id,
        offer_id=offer_id,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now,
        created_by=staff_id,
    )
    session.add(received)
    session.flush()
    return received


def change_person_offer(
    session: Session, person_offer_id: int, *, starts_on: date, ends_on: date | None
) -> PersonOffer:
    """Correct the days of an offer received, or end it (an end day)."""
    received = _person_offer(session, person_offer_id)
    _check_days(starts_on, ends_on)
    received.starts_on = starts_on
    received.ends_on = ends_on
    return received


def remove_person_offer(session: Session, person_offer_id: int) -> None:
    """An offer recorded by mistake: gone, as if never recorded."""
    session.delete(_person_offer(session, person_offer_id))
    session.flush()


def offers_of(session: Session, person_id: int) -> list[tuple[PersonOffer, Offer]]:
    """A young person's offers with their names, latest start first."""
    rows = session.execute(
        select(PersonOffer, Offer)
        .join(Offer, Offer.id == PersonOffer.offer_id)
        .where(PersonOffer.young_person_id == person_id)
        .order_by(PersonOffer.starts_on.desc(), PersonOffer.id.desc())
    ).all()
    return [(received, offer) for received, offer in rows]


def _check_days(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise OfferError("an offer cannot end before it starts")


def _checked_name(session: Session, name: str, *, keep: int | None) -> str:
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise OfferError(f"a name of 1 to {NAME_MAX} characters is needed")
    same = select(Offer.id).where(func.lower(Offer.name) == name.lower())
    if keep is not None:
        same = same.where(Offer.id != keep)
    if session.scalar(same) is not None:
        raise OfferError("an offer with that name exists")
    return name


def _offer(session: Session, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise OfferError(f"no offer {offer_id}")
    return offer


def _person_offer(session: Session, person_offer_id: int) -> PersonOffer:
    received = session.get(PersonOffer, person_offer_id)
    if received is None:
        raise OfferError(f"no offer received {person_offer_id}")
    return received
