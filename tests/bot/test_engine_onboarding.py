"""The information text names exactly who can see the answers, and tells the truth about what
happens on a cry for help."""

from __future__ import annotations

import pytest

from bot.engine import Command, Onboarding, Reply
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import INFORMATION_VERSION, FakePorts


def information(content, admins: list[str]) -> str:
    harness = EngineHarness(content, FakePorts(accepted=None, admins=admins), Onboarding())
    [reply] = [m for m in harness(Command("start")) if isinstance(m, Reply)]
    return reply.text


@pytest.mark.parametrize(
    ("admins", "named"),
    [
        (["Anne Admin"], "Anne Admin"),
        (["Anne Admin", "Bo Berg"], "Anne Admin og Bo Berg"),
        (["Anne Admin", "Bo Berg", "Cem Çakır"], "Anne Admin, Bo Berg og Cem Çakır"),
    ],
)
def test_the_administrators_are_named(content, admins, named):
    text = information(content, admins)
    assert (
        "Dine svar kan ses af dig og din kontaktperson. Er din kontaktperson væk, kan en kollega,"
        " der tager over, også se dem. Kommunens administratorer kan se alles svar, fordi de"
        f" passer systemet: {named}. Vi gemmer ikke dit rigtige navn" in text
    )
    assert "kun dig og din kontaktperson" not in text


def test_with_no_administrators_the_role_is_still_named_up_front(content):
    # An admin account made later sees every answer too: the information says so up front,
    # not only the check-in's introduction after the yes (the tester's "promise doubted").
    text = information(content, [])
    assert (
        "Dine svar kan ses af dig og din kontaktperson. Er din kontaktperson væk, kan en kollega,"
        " der tager over, også se dem. Kommunens administratorer kan se alles svar, fordi de"
        " passer systemet. Vi gemmer ikke" in text
    )


def test_a_cry_for_help_is_described_as_it_happens(content):
    text = information(content, ["Anne Admin"])
    assert (
        "Skriver du noget, der lyder som om du er i fare, giver jeg din kontaktperson besked og"
        " sender dig numre, du kan ringe til. Er jeg i tvivl, spørger jeg dig først." in text
    )
    assert "kontaktperson med det samme" not in text  # a "no" is told, but not urgently
    assert "Er kontoret lukket, siger jeg, hvornår beskeden bliver læst." in text


def test_livslinien_comes_with_its_hours_and_112_first(content):
    text = information(content, [])
    assert "ring 112 ved fare, eller til Livslinien på 70 201 201 (hver dag kl. 11-05)." in text


def test_the_version_was_raised_for_the_new_text(content):
    assert content.onboarding.version == INFORMATION_VERSION == 4
