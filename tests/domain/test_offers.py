"""Offers: the administrator's list (defaults on first use, never deleted, only retired), and
the offers a young person receives, from a start day to an optional end day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from domain import offers
from domain.errors import OfferError
from storage.models import Offer


def names(found) -> list[str]:
    return [offer.name for offer in found]


def test_the_defaults_come_on_first_use_and_only_once(database, clock):
    with database.session() as session:
        assert names(offers.list_offers(session, now=clock())) == [
            "Behandling",
            "FGU",
            "Mentor",
            "Praktik",
            "STU",
        ]
        assert not offers.ensure_default_offers(session, now=clock())
        fgu = next(o for o in offers.list_offers(session, now=clock()) if o.name == "FGU")
        offers.set_offer_active(session, fgu.id, active=False)
        offers.add_offer(session, "  Netværks-\tgruppe ", now=clock())
        assert "FGU" not in names(offers.list_offers(session, now=clock()))
        assert "FGU" in names(offers.list_offers(session, now=clock(), retired=True))
        assert "Netværks- gruppe" in names(offers.list_offers(session, now=clock()))


def test_names_are_checked(database, clock):
    with database.session() as session:
        for name, reason in (("", "1 to 80"), ("x" * 81, "1 to 80"), ("mentor", "exists")):
            with pytest.raises(OfferError, match=reason):
                offers.add_offer(session, name, now=clock())
        stu = next(o for o in offers.list_offers(session, now=clock()) if o.name == "STU")
        with pytest.raises(OfferError, match="exists"):
            offers.rename_offer(session, stu.id, "praktik")
        assert offers.rename_offer(session, stu.id, "STU-forløb").name == "STU-forløb"


def test_a_young_person_receives_offers_with_days(database, person_id, clock):
    with database.session() as session:
        listed = {o.name: o.id for o in offers.list_offers(session, now=clock())}
        mentor = offers.give_offer(
            session,
            person_id,
            listed["Mentor"],
            starts_on=date(2026, 9, 1),
            staff_id=None,
            now=clock(),
        )
        offers.give_offer(
            session,
            person_id,
            listed["FGU"],
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 31),
            staff_id=None,
            now=clock(),
        )
        with pytest.raises(OfferError, match="before it starts"):
            offers.change_person_offer(
                session, mentor.id, starts_on=date(2026, 9, 1), ends_on=date(2026, 8, 1)
            )
        offers.change_person_offer(
            session, mentor.id, starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 20)
        )
        assert [
            (o.name, r.starts_on, r.ends_on) for r, o in offers.offers_of(session, person_id)
        ] == [
            ("FGU", date(2026, 10, 1), date(2026, 10, 31)),
            ("Mentor", date(2026, 9, 1), date(2026, 11, 20)),
        ]
        offers.set_offer_active(session, listed["STU"], active=False)
        with pytest.raises(OfferError, match="retired"):
            offers.give_offer(
                session,
                person_id,
                listed["STU"],
                starts_on=date(2026, 11, 1),
                staff_id=None,
                now=clock(),
            )
        with pytest.raises(OfferError, match="no young person"):
            offers.give_offer(
                session,
                999_999,
                listed["FGU"],
                starts_on=date(2026, 11, 1),
                staff_id=None,
                now=clock(),
            )
        offers.remove_person_offer(session, mentor.id)
        assert len(offers.offers_of(session, person_id)) == 1


def test_an_offer_in_use_cannot_be_deleted_in_the_database(database, person_id, clock):
    with database.session() as session:
        fgu = next(o for o in offers.list_offers(session, now=clock()) if o.name == "FGU")
        offers.give_offer(
            session, person_id, fgu.id, starts_on=date(2026, 11, 1), staff_id=None, now=clock()
        )
        fgu_id = fgu.id
    with database.session() as session:
        session.delete(session.get(Offer, fgu_id))
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
