"""/ide: anonymous workshop ideas, as transcripts through the pure engine (no database)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.engine import Checkin, IdeaDraft, Idle, Press, SaveIdea, WorkshopView, dump_state
from bot.flows import ideas
from core.content import Content
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies, toasts, verify_dialog

ANONYMOUS = "uden dit navn og uden at kunne kobles til dig"
YOUTH = WorkshopView(
    7, "Ungeværksted om fritid", "Hvad skal der til i din fritid?", ("Fællesskab", "Bolig")
)
HEALTH = WorkshopView(9, "Værksted om trivsel", "Hvad hjælper, når det er svært?", ("Trivsel",))
IDEA = "Et sted at mødes om aftenen, hvor man kan spille musik"


@pytest.fixture
def ports() -> FakePorts:
    return FakePorts(workshops=[YOUTH])


@pytest.fixture
def harness(content: Content, ports: FakePorts) -> EngineHarness:
    return EngineHarness(content, ports)


@pytest.fixture
def talk(harness: EngineHarness) -> Conversation:
    return Conversation(harness)


def write_idea(talk: Conversation, text: str = IDEA) -> None:
    verify_dialog(
        talk,
        [
            ("/ide", [ANONYMOUS, "Hvad skal der til i din fritid?", "Hvad handler din idé om?"]),
            ("[Bolig]", ["Skriv din idé her", "højst 1000 tegn", "Skriv ikke navne"]),
            (text, ["Sådan ser din idé ud", text, "Tema: Bolig"]),
        ],
    )


def test_the_whole_way_with_one_open_workshop(talk, harness, ports):
    write_idea(talk)
    assert IDEA not in str(dump_state(harness.state))  # the draft is kept sealed
    verify_dialog(
        talk,
        [
            (
                "[Send]",
                [
                    "Tak for din idé",
                    "uden dit navn",
                    "heller ikke din kontaktperson",
                    "skriver jeg til dig, hvad der skete",
                ],
            )
        ],
    )
    assert ports.ideas == [(7, "Bolig", IDEA)]
    assert [type(e) for e in harness.effects] == [SaveIdea]
    assert harness.state == Idle()
    assert toasts(talk.press("Send")) == ["Den knap virker ikke længere."]  # never twice
    assert ports.ideas == [(7, "Bolig", IDEA)]


def test_several_workshops_are_offered_as_buttons(talk, ports):
    ports.workshops = [HEALTH, YOUTH]
    verify_dialog(
        talk,
        [
            ("/ide", [ANONYMOUS, "Hvilket værksted skal have din idé?"]),
            ("[Værksted om trivsel]", ["Hvad hjælper, når det er svært?", "Vælg det"]),
            ("[Trivsel]", ["Skriv din idé her"]),
            ("Gratis psykolog på skolen", ["Gratis psykolog på skolen", "Tema: Trivsel"]),
            ("[Send]", ["Tak for din idé"]),
        ],
    )
    assert ports.ideas == [(9, "Trivsel", "Gratis psykolog på skolen")]


def test_no_open_workshop_is_said_first_and_only(talk, harness, ports):
    ports.workshops = []
    [reply] = talk.send("/ide")
    assert reply.text.startswith("Lige nu er der ikke et ungeværksted, der tager imod idéer.")
    assert ANONYMOUS not in reply.text
    assert harness.state == Idle()
    assert harness.effects == []


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("   ", "Jeg kunne ikke se noget i din besked"),
        ("🙂🎉🙂", "Jeg kan kun sende idéer med ord"),
        ("!!! ... ???", "Jeg kan kun sende idéer med ord"),
        ("x" * 1001, "Din idé fylder 1001 tegn, og der er plads til 1000"),
        ("x" * 5000, "Din idé fylder 5000 tegn"),
    ],
)
def test_bad_ideas_are_refused_kindly_and_the_draft_waits(talk, harness, ports, sent, expected):
    verify_dialog(talk, [("/ide", []), ("[Fællesskab]", ["Skriv din idé her"])])
    answer = replies(talk.send(sent))
    assert len(answer) == 1
    assert expected in answer[0]
    assert isinstance(harness.state, IdeaDraft)
    assert harness.state.step == "text"
    verify_dialog(talk, [("Flere bænke i parken 🙂", ["Flere bænke i parken 🙂"]), ("[Send]", [])])
    assert ports.ideas == [(7, "Fællesskab", "Flere bænke i parken 🙂")]


def test_links_and_script_tags_are_just_text(talk, ports):
    text = "Se https://example.org <script>alert(1)</script> & mere"
    write_idea(talk, text)
    talk.press("Send")
    assert ports.ideas == [(7, "Bolig", text)]


def test_edit_and_drop(talk, harness, ports):
    write_idea(talk)
    verify_dialog(
        talk,
        [
            ("[Ret]", ["Skriv din idé igen"]),
            ("Et musiklokale", ["Et musiklokale", "Tema: Bolig"]),
            ("Et musiklokale med trommer", ["Et musiklokale med trommer"]),  # typed again
            ("[Drop det]", ["din idé er ikke sendt", "/ide"]),
        ],
    )
    assert ports.ideas == []
    assert harness.state == Idle()


def test_a_short_text_while_choosing_gets_a_hint_and_the_themes(talk, harness):
    verify_dialog(talk, [("/ide", []), ("musik", ["Vælg et tema med knapperne, eller skriv det."])])
    assert [b.label for b in talk.keyboard] == ["Fællesskab", "Bolig"]
    assert isinstance(harness.state, IdeaDraft)
    assert harness.state.step == "theme"


def test_the_idea_typed_before_the_theme_is_kept_and_the_theme_asked_after(talk, harness, ports):
    # Transcript 07: the idea typed at the theme step got "Tryk på en af knapperne ovenfor."
    idea = "noget med musik og at lave beats sammen 🎧"
    verify_dialog(
        talk,
        [
            ("/ide", ["Hvad handler din idé om?"]),
            (idea, ["Tak! Hvad handler din idé om?"]),
            ("[Fællesskab]", ["Tema: Fællesskab", "Skal jeg sende din idé?"]),
            ("ja", ["Tak for din idé!"]),
        ],
    )
    assert ports.ideas == [(7, "Fællesskab", idea)]
    assert harness.state == Idle()


def test_a_theme_can_be_typed(talk, harness):
    verify_dialog(talk, [("/ide", []), ("bolig", ["Skriv din idé her"])])
    assert harness.state.step == "text"


@pytest.mark.parametrize("step", ["theme", "text", "confirm"])
def test_who_sees_it_at_any_step_gets_the_truth_then_the_step(talk, harness, step):
    talk.send("/ide")
    again = "Hvad handler din idé om?"
    if step in ("text", "confirm"):
        talk.press("Bolig")
        again = "Skriv din idé her"
    if step == "confirm":
        talk.send(IDEA)
        again = "Skal jeg sende din idé?"
    texts = replies(talk.send("hvem ser det?"))
    assert ANONYMOUS in texts[0]
    assert again in texts[-1]
    assert harness.state.step == step
    assert harness.effects == [] or all(not isinstance(e, SaveIdea) for e in harness.effects)


def test_a_workshop_that_closed_meanwhile_stores_nothing(talk, harness, ports):
    write_idea(talk)
    ports.workshops = []
    verify_dialog(talk, [("[Send]", ["tager desværre ikke imod idéer længere", "/ide"])])
    assert ports.ideas == []
    assert harness.effects == []
    assert harness.state == Idle()


def test_stale_unknown_and_forged_buttons_change_nothing(talk, harness, ports):
    ports.workshops = [HEALTH, YOUTH]
    talk.send("/ide")
    draft = harness.state
    assert isinstance(draft, IdeaDraft)
    for data in (
        f"i|send|{draft.draft_id}",  # not at this step
        f"i|t|{draft.draft_id}|0",  # not at this step either
        "i|w|00000000000000000000000000000000|7",  # another draft's button
        "i|",
    ):
        assert toasts(talk.send(Press(data))) == ["Den knap virker ikke længere."]
        assert harness.state == draft
    unknown = replies(talk.send(Press(f"i|w|{draft.draft_id}|999")))
    assert "tager desværre ikke imod idéer længere" in unknown[0]
    assert harness.state == Idle()
    assert harness.effects == []
    talk.send("/ide")
    # The workshop closes between the question and the theme.
    talk.press("Ungeværksted om fritid")
    ports.workshops = [HEALTH]
    assert "ikke imod idéer længere" in replies(talk.press("Bolig"))[0]
    assert ports.ideas == []


def test_an_old_preview_cannot_send_a_newer_draft(talk, ports):
    write_idea(talk, "Den første idé")
    old_send = talk.button("Send").data
    talk.send("/ide")
    talk.press("Bolig")
    talk.send("Den anden idé")
    assert toasts(talk.send(Press(old_send))) == ["Den knap virker ikke længere."]
    talk.press("Send")
    assert ports.ideas == [(7, "Bolig", "Den anden idé")]


def test_ide_mid_check_in_holds_it_and_it_resumes_after(talk, harness, ports):
    verify_dialog(talk, [("/tjek who5", []), ("ja", ["Spørgsmål 1 af 5"]), ("3", [])])
    write_idea(talk)
    verify_dialog(
        talk,
        [
            ("[Send]", ["Tak for din idé", "Dit tjek holder pause", "spørgsmål 2"]),
            ("/tjek", ["Vi fortsætter ved spørgsmål 2 af 5"]),
        ],
    )
    assert ports.ideas == [(7, "Bolig", IDEA)]
    assert isinstance(harness.state, Checkin)
    assert harness.state.index == 1


def test_other_commands_still_work_during_a_draft(talk, harness, ports):
    verify_dialog(talk, [("/tjek who5", []), ("ja", []), ("/ide", []), ("[Bolig]", [])])
    verify_dialog(talk, [("/moeder", ["ingen møder"])])
    assert isinstance(harness.state, IdeaDraft)  # showing something keeps the draft
    verify_dialog(talk, [("/tjek", ["Vi fortsætter ved spørgsmål 1 af 5"])])
    assert isinstance(harness.state, Checkin)  # the check-in is back, the draft is gone
    assert ports.ideas == []


def test_a_crisis_text_as_an_idea_gets_help_first_and_is_not_sent(talk, harness, ports):
    verify_dialog(talk, [("/ide", []), ("[Bolig]", [])])
    messages = replies(talk.send("jeg vil ikke leve mere"))
    assert "70 201 201" in messages[0]
    assert ports.ideas == []
    assert harness.state.leave() == Idle()  # the draft is dropped, with nothing of it sent


def test_a_draft_left_alone_is_dropped(talk, harness, ports):
    write_idea(talk)
    ports.moment += ideas.DRAFT_WAITS + timedelta(minutes=1)
    assert toasts(talk.press("Send")) == ["Den knap virker ikke længere."]
    assert ports.ideas == []
    assert harness.state == Idle()


def test_flooding_is_limited_kindly(talk, harness, ports):
    for number in range(ideas.LIMIT):
        write_idea(talk, f"Idé nummer {number}")
        talk.press("Send")
    assert len(ports.ideas) == ideas.LIMIT
    verify_dialog(talk, [("/ide", ["Tak for alle dine idéer", "Prøv igen om 9 minutter"])])
    assert harness.state == Idle()
    ports.moment += ideas.WINDOW
    write_idea(talk, "Endnu en idé")
    talk.press("Send")
    assert ports.ideas[-1] == (7, "Bolig", "Endnu en idé")


def test_a_draft_made_before_the_limit_waits_at_send(talk, harness, ports):
    write_idea(talk)
    ports.idea_times = [ports.moment] * ideas.LIMIT
    verify_dialog(talk, [("[Send]", ["Tak for alle dine idéer"])])
    assert harness.state.step == "confirm"
    ports.moment += ideas.WINDOW
    verify_dialog(talk, [("[Send]", ["Tak for din idé"])])
    assert ports.ideas == [(7, "Bolig", IDEA)]


def test_an_idea_typed_with_no_workshop_open_is_not_a_loop(content):
    # Transcript 05/07: "Skriv /ide, så kan du sende den" to someone whose /ide had just said
    # no workshop is open. Now: kindly, that it cannot be sent and is not kept.
    harness = EngineHarness(content, FakePorts(workshops=[]))
    talk = Conversation(harness)
    answer = "\n".join(replies(talk.send("jeg har en ide til workshoppen")))
    assert "Lige nu er der ikke et ungeværksted, der tager imod idéer." in answer
    assert "Derfor kan jeg ikke sende den, og jeg gemmer den heller ikke." in answer
    assert not answer.startswith("Hvor fedt")
    assert harness.effects == []


def test_an_idea_typed_with_a_workshop_open_points_to_ide(talk):
    answer = "\n".join(replies(talk.send("jeg har en ide til workshoppen")))
    assert "Skriv /ide, så kan du sende den" in answer
