"""Before the information is answered, a text gets a short, kind answer and the two buttons
again, never the whole text (the tester's transcript 01: "hej" and "hvem kan se det her?")."""

from __future__ import annotations

from bot.engine import Onboarding, Reply, Text
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies

WHOLE_TEXT = "Hej og velkommen til Ungeguide"


def start(content, admins: list[str] | None = None) -> tuple[Conversation, EngineHarness]:
    harness = EngineHarness(content, FakePorts(accepted=None, admins=admins or []), Onboarding())
    talk = Conversation(harness)
    talk.send("/start")
    return talk, harness


def labels(reply: Reply) -> list[str]:
    return [button.label for row in reply.buttons for button in row]


def test_hej_gets_a_short_friendly_re_ask_with_the_buttons(content):
    talk, harness = start(content)
    [reply] = talk.send("hej")
    assert isinstance(reply, Reply)
    assert reply.text == content.onboarding.greet_again
    assert WHOLE_TEXT not in reply.text
    assert labels(reply) == ["Ja, det er okay", "Nej tak"]
    assert harness.state == Onboarding()


def test_a_privacy_question_gets_the_truthful_answer_then_one_line(content):
    talk, _ = start(content, ["Anne Admin"])
    messages = talk.send("hvem kan se det her?")
    texts = replies(messages)
    assert len(texts) == 2
    assert texts[0].startswith(
        "Dine svar kan ses af dig og din kontaktperson. Er din kontaktperson væk, kan en kollega,"
        " der tager over, også se dem. Kommunens administratorer kan se alles svar, fordi de"
        " passer systemet: Anne Admin."
    )
    assert "Siger du nej tak, gemmer vi ingen svar fra dig." in texts[0]
    assert all(WHOLE_TEXT not in text for text in texts)
    last = messages[-1]
    assert isinstance(last, Reply)
    assert last.text == "Er det okay for dig?"
    assert labels(last) == ["Ja, det er okay", "Nej tak"]


def test_who_gets_to_know_names_the_administrators_too(content):
    talk, _ = start(content)
    [privacy, _again] = replies(talk.send("hvem får det at vide??"))
    assert "Kommunens administratorer kan se alles svar" in privacy


def test_anything_else_gets_one_line_and_the_buttons(content):
    talk, _ = start(content)
    [reply] = talk.send("bla bla 123")
    assert isinstance(reply, Reply)
    assert reply.text.startswith("Før vi går videre, skal du lige sige, om det er okay for dig.")
    assert "Skriv /start, hvis du vil se den igen." in reply.text
    assert labels(reply) == ["Ja, det er okay", "Nej tak"]
    # /start shows the whole text again, as promised.
    assert WHOLE_TEXT in "\n".join(replies(talk.send("/start")))


def test_the_buttons_of_the_re_ask_work(content):
    talk, harness = start(content)
    talk.send("hej")
    messages = talk.press("Ja, det er okay")
    assert "Tak! Nu er du med." in "\n".join(replies(messages))
    assert harness.state == Onboarding(step="offer_checkin")


def test_typing_is_kept_out_of_the_text_shown_before_consent(content):
    harness = EngineHarness(content, FakePorts(accepted=None), Onboarding())
    assert WHOLE_TEXT not in "\n".join(replies(harness(Text("hej"))))
