"""Free text through the pure engine: the safety net first, then the intents (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.engine import (
    AgreementView,
    AnswerMeeting,
    Checkin,
    Idle,
    MeetingView,
    Onboarding,
    PastResult,
    PostponeCheckin,
    RaiseAlert,
    SaveAnswer,
    SetAgreementStatus,
    Text,
)
from bot.engine.messages import LineChart, Press, Reply
from bot.engine.state import AfterCrisis, MeetingReason
from core.locale import TIMEZONE
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies
from tests.bot.test_engine_checkin import start_who5

# Tuesday 24 November 2026, 14.00 in Copenhagen.
NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


@pytest.fixture
def harness(content) -> EngineHarness:
    return EngineHarness(content, FakePorts(moment=NOW))


@pytest.fixture
def talk(harness) -> Conversation:
    return Conversation(harness)


def alerts(harness: EngineHarness, kind: str) -> list[RaiseAlert]:
    return [e for e in harness.effects if isinstance(e, RaiseAlert) and e.kind == kind]


def said(talk: Conversation, text: str) -> str:
    return "\n".join(replies(talk.send(text)))


# --- the safety net -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "jeg vil ikke leve mere",
        "jeg har lyst til at slå mig selv ihjel",
        "jeg skærer i mig selv",
        "han slår mig når han er fuld",
        "jeg har taget alle mine piller",
        "undskyld for alt, det er ikke jeres skyld",
    ],
)
def test_a_cry_for_help_gets_support_lines_and_an_urgent_alert(talk, harness, text):
    answer = said(talk, text)
    for number in ("112", "70 201 201", "116 111"):
        assert number in answer
    assert "kontaktperson" in answer
    [alert] = alerts(harness, "crisis")
    assert alert.urgent is True
    assert alert.details["text"] == text


@pytest.mark.parametrize(
    "text",
    [
        "jeg kan ikke mere",
        "hvad er pointen med at leve",
        "ingen ville savne mig hvis jeg var væk",
        "jeg hader mit liv",
        "tak for alt, pas på jer selv",
    ],
)
def test_venting_is_asked_directly_with_an_alert_held(talk, harness, text):
    answer = said(talk, text)
    assert "Tænker du på at gøre dig selv noget?" in answer
    assert "70 201 201" not in answer  # the full list of lines comes with the answer
    assert alerts(harness, "crisis") == []
    [held] = alerts(harness, "crisis_possible")
    assert held.urgent is True
    assert held.hold_until is not None
    assert held.details["text"] == text


@pytest.mark.parametrize(
    "text",
    [
        "jeg er død træt",
        "min telefon er død",
        "jeg dør af grin 😂",
        "batteriet er dødt igen",
        "min mor slår mig ihjel hvis jeg kommer for sent lol",
        "sikke en lortedag",
    ],
)
def test_hyperbole_is_not_a_crisis(talk, harness, text):
    answer = said(talk, text)
    assert "112" not in answer
    assert alerts(harness, "crisis") == []


def test_a_crisis_mid_questionnaire_pauses_it_and_keeps_the_answers(talk, harness):
    start_who5(talk)
    talk.send("4")
    answer = said(talk, "jeg orker ikke at leve mere")
    assert "70 201 201" in answer
    assert "Dit tjek holder pause" in answer
    after = harness.state
    assert isinstance(after, AfterCrisis)  # "hvad sker der nu?" gets a true answer a while
    state = after.leave()
    assert isinstance(state, Checkin)
    assert state.paused
    assert state.index == 1
    assert len(alerts(harness, "crisis")) == 1
    # Going on later continues at the same question; the first answer is still there.
    talk.send("3")
    saved = [e for e in harness.effects if isinstance(e, SaveAnswer)]
    assert [(s.item_id, s.value) for s in saved] == [("glad", 4), ("rolig", 3)]


def test_a_crisis_before_consent_is_passed_on_without_the_words(content):
    harness = EngineHarness(content, FakePorts(moment=NOW, accepted=None), Onboarding())
    answer = "\n".join(replies(harness(Text("jeg vil dø"))))
    assert "112" in answer
    [alert] = alerts(harness, "crisis")
    assert "text" not in alert.details
    after = harness.state
    assert isinstance(after, AfterCrisis)
    assert after.leave() == Onboarding()  # the information still waits for an answer


def test_no_answer_option_of_any_questionnaire_counts_as_a_crisis(content):
    for questionnaire in content.questionnaires.values():
        for option in questionnaire.scale:
            for typed in (option.label, *option.synonyms):
                state = Checkin(
                    questionnaire_id=questionnaire.id, response_id="r" * 32, phase="items"
                )
                harness = EngineHarness(content, FakePorts(moment=NOW), state)
                harness(Text(typed))
                assert alerts(harness, "crisis") == [], (questionnaire.id, typed)


# --- intents outside a questionnaire --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hejsa", "Hej!"),
        ("tusind tak", "Selv tak"),
        ("hvad kan du egentlig", "/tjek"),
        ("farvel", "Vi ses"),
        ("hvem vandt fodboldkampen i går", "Jeg er kun en robot."),
        ("jeg har en ide til workshoppen", "/ide"),
        ("hvornår er mit næste møde", "Du har ingen møder lige nu"),
        ("hvad var det nu vi aftalte", "ingen åbne aftaler"),
    ],
)
def test_every_intent_gets_a_useful_answer(talk, text, expected):
    assert expected in said(talk, text)


def test_wanting_the_check_in_starts_it(talk):
    assert "Hvilket tjek vil du tage?" in said(talk, "kan jeg tage tjekket nu")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jeg vil gerne snakke med min kontaktperson", "contact_request"),
    ],
)
def test_wishes_the_bot_cannot_fulfil_go_to_the_coordinator(talk, harness, text, kind):
    answer = said(talk, text)
    assert "kontaktperson" in answer
    assert [a.urgent for a in alerts(harness, kind)] == [False]


def test_putting_off_an_open_invitation_reminds_again_at_that_time(talk, harness):
    harness.ports.invitation = "who5"
    answer = said(talk, "ka vi ikk ta det i morgen")
    assert answer == "Helt i orden. Jeg minder dig om det onsdag den 25. november kl. 16.00."
    [postponed] = [e for e in harness.effects if isinstance(e, PostponeCheckin)]
    assert postponed.questionnaire_id == "who5"
    assert postponed.until == datetime(2026, 11, 25, 16, 0, tzinfo=TIMEZONE)


def test_putting_off_late_in_the_evening_waits_for_the_end_of_quiet_hours(content):
    late = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)  # 22.30 in Copenhagen
    harness = EngineHarness(content, FakePorts(moment=late, invitation="who5"))
    harness(Text("kan vi tage det om en time"))
    [postponed] = [e for e in harness.effects if isinstance(e, PostponeCheckin)]
    assert postponed.until == datetime(2026, 11, 25, 8, 0, tzinfo=TIMEZONE)


def test_putting_off_with_nothing_open_changes_nothing(talk, harness):
    assert "Der er ikke noget, du skal nå lige nu" in said(talk, "kan vi tage det senere")
    assert harness.effects == []


def test_cannot_attend_the_one_meeting_tells_the_coordinator_and_asks_why(talk, harness):
    meeting = MeetingView(7, "individual", NOW + timedelta(days=1), "Jobcentret")
    harness.ports.meetings = {7: meeting}
    answer = said(talk, "jeg kan ikke komme i morgen")
    assert "ikke kan komme onsdag den 25. november kl. 14.00" in answer
    assert any(isinstance(e, AnswerMeeting) and e.answer == "cannot_come" for e in harness.effects)
    assert [a.details for a in alerts(harness, "cannot_come")] == [{"meeting_id": 7}]
    assert isinstance(harness.state, MeetingReason)


def test_cannot_attend_with_two_meetings_asks_which(talk, harness):
    harness.ports.meetings = {
        7: MeetingView(7, "individual", NOW + timedelta(days=1), "Jobcentret"),
        8: MeetingView(8, "group", NOW + timedelta(days=8), "Ungehuset"),
    }
    messages = talk.send("jeg når ikke mødet")
    assert "Hvilket møde kan du ikke komme til?" in replies(messages)
    assert harness.effects == []
    talk.press("onsdag den 2. december kl. 14.00")
    assert [e.meeting_id for e in harness.effects if isinstance(e, AnswerMeeting)] == [8]


def test_cannot_attend_without_a_meeting_still_reaches_the_coordinator(talk, harness):
    assert "Jeg kan ikke se et møde i din kalender" in said(talk, "jeg kan ikke komme på torsdag")
    assert len(alerts(harness, "cannot_come")) == 1


def test_a_finished_agreement_is_confirmed_with_a_button(talk, harness):
    harness.ports.agreements = {
        3: AgreementView(
            3, "Komme i gang med uddannelse", "Ring til UU-vejlederen", date(2026, 11, 30)
        )
    }
    assert "Hvilken aftale har du klaret?" in said(talk, "jeg har gjort det vi aftalte")
    talk.press("Ring til UU-vejlederen")
    [done] = [e for e in harness.effects if isinstance(e, SetAgreementStatus)]
    assert (done.agreement_id, done.status) == (3, "done")


def test_progress_shows_the_development_as_a_chart(talk, harness):
    harness.ports.past = {
        "who5": [
            PastResult(NOW - timedelta(days=60), 48, {}),
            PastResult(NOW - timedelta(days=30), 56, {}),
            PastResult(NOW - timedelta(days=1), 64, {}),
        ]
    }
    messages = talk.send("hvordan er det gået med mig")
    charts = [m for m in messages if isinstance(m, LineChart)]
    assert len(charts) == 1
    assert [p[1] for p in charts[0].points] == [48, 56, 64]


def test_progress_before_any_check_in_says_how_to_start(talk):
    assert "Du har ikke svaret på et tjek endnu" in said(talk, "vis min udvikling")


# --- inside a questionnaire -----------------------------------------------------------------


def test_global_intents_work_mid_questionnaire_and_keep_the_place(talk, harness):
    start_who5(talk)
    talk.send("4")
    assert "Det kan jeg hjælpe med" in said(talk, "hvordan virker det her")
    assert isinstance(harness.state, Checkin)
    assert harness.state.index == 1
    harness.ports.invitation = None
    answer = said(talk, "kan vi ikke tage resten i aften")
    assert "Jeg minder dig om det tirsdag den 24. november kl. 19.00" in answer
    assert isinstance(harness.state, Checkin)
    assert harness.state.paused


def test_an_answer_is_never_taken_for_an_intent(talk, harness):
    start_who5(talk)
    for typed in ("måske", "ikke altid", "4 eller 5"):
        # The short re-ask of the check-in ("Mener du ... eller ...?" for "4 eller 5").
        assert "Tryk på" in said(talk, typed)
    assert harness.effects[-1:]
    assert not any(isinstance(e, PostponeCheckin | RaiseAlert) for e in harness.effects)


def test_yes_in_words_starts_the_questions(talk, harness):
    talk.send("/tjek")
    talk.press("Hvordan har du haft det?")
    assert "Spørgsmål 1 af 5" in said(talk, "ja lad os køre")
    assert isinstance(harness.state, Checkin)
    assert harness.state.phase == "items"


def test_talk_next_time_keeps_any_text_as_a_topic(talk, harness):
    harness.state = Checkin(questionnaire_id="who5", response_id="r" * 32, phase="talk_next_time")
    assert "Det kommer med på listen" in said(talk, "hvornår er mit møde")
    assert harness.state == Idle()


def test_replies_stay_short_enough_for_telegram(talk):
    for text in ("jeg kan ikke mere", "hej", "hjælp"):
        for message in talk.send(text):
            if isinstance(message, Reply):
                assert len(message.text) <= 4096


# --- pausing --------------------------------------------------------------------------------


def test_pause_and_start_again_by_command(talk, harness):
    assert "Nu holder jeg pause med påmindelser og tjek" in said(talk, "/pause")
    assert harness.ports.is_paused
    assert "Du holder allerede pause" in said(talk, "/pause")
    assert "Nu får du påmindelser og tjek igen" in said(talk, "/start_igen")
    assert not harness.ports.is_paused
    assert "Du holder ikke pause" in said(talk, "/start_igen")


def test_asking_for_a_pause_in_words_asks_first(talk, harness):
    answer = said(talk, "stop med at sende mig påmindelser i en uge")
    assert "Skal jeg holde pause med påmindelser og tjek?" in answer
    assert not harness.ports.is_paused
    talk.press("Ja, hold pause")
    assert harness.ports.is_paused
    said(talk, "/start_igen")
    said(talk, "gider ikke flere beskeder et stykke tid")
    assert "så fortsætter vi som før" in "\n".join(replies(talk.press("Nej tak")))
    assert not harness.ports.is_paused


def test_pausing_mid_questionnaire_keeps_its_place(talk, harness):
    start_who5(talk)
    talk.send("4")
    said(talk, "/pause")
    state = harness.state
    assert isinstance(state, Checkin)
    assert state.paused
    assert state.index == 1
    assert harness.ports.is_paused


# --- a new information text -----------------------------------------------------------------


def test_a_new_information_text_is_asked_again_and_the_check_in_waits(content):
    from bot.engine import AcceptInformation

    old = content.onboarding.version - 1
    state = Checkin(questionnaire_id="who5", response_id="r" * 32, phase="items", index=2)
    harness = EngineHarness(content, FakePorts(moment=NOW, accepted=old), state)
    talk = Conversation(harness)
    answer = said(talk, "3")
    assert "Vi har opdateret informationen" in answer
    assert "Er det okay for dig?" in answer
    assert not any(isinstance(e, SaveAnswer) for e in harness.effects)
    answer = "\n".join(replies(talk.press("Ja, det er okay")))
    assert "Tak! Så fortsætter vi." in answer
    assert "spørgsmål 3" in answer
    assert [e.version for e in harness.effects if isinstance(e, AcceptInformation)] == [
        content.onboarding.version
    ]
    assert harness.state == state


def test_saying_no_to_a_new_information_text_stops_everything(content):
    from bot.engine import DeclineInformation, StopResponse

    old = content.onboarding.version - 1
    state = Checkin(questionnaire_id="who5", response_id="r" * 32, phase="items", index=2)
    harness = EngineHarness(content, FakePorts(moment=NOW, accepted=old), state)
    talk = Conversation(harness)
    talk.send("hej")
    assert "gemmer vi ikke flere svar" in "\n".join(replies(talk.press("Nej tak")))
    kinds = [type(e) for e in harness.effects]
    assert kinds == [StopResponse, DeclineInformation]
    assert harness.state == Onboarding(step="declined")


# --- deleting one's data --------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["immediate", "request"])
def test_deletion_is_confirmed_twice(content, mode):
    from bot.engine import EraseMe, RequestErasure

    harness = EngineHarness(content, FakePorts(moment=NOW, erasure=mode))
    talk = Conversation(harness)
    first = said(talk, "/slet")
    assert "Vil du have slettet alt" in first
    assert ("med det samme" in first) == (mode == "immediate")
    talk.press("Ja, slet mine data")
    assert harness.effects == []
    answer = "\n".join(replies(talk.press("Ja, slet det hele")))
    expected = EraseMe if mode == "immediate" else RequestErasure
    assert [type(e) for e in harness.effects] == [expected]
    assert ("slettet" if mode == "immediate" else "sletter dine data") in answer


def test_a_no_or_a_late_second_yes_deletes_nothing(content):
    harness = EngineHarness(content, FakePorts(moment=NOW, erasure="immediate"))
    talk = Conversation(harness)
    said(talk, "slet alle mine data")
    talk.press("Ja, slet mine data")
    assert "beholder vi det hele" in "\n".join(replies(talk.press("Nej, behold dem")))
    said(talk, "/slet")
    talk.press("Ja, slet mine data")
    second = talk.button("Ja, slet det hele")
    harness.ports.moment += timedelta(hours=1)
    talk.send(Press(second.data))
    said(talk, "hej")
    talk.send(Press(second.data))  # an old button after the questions were left
    assert harness.effects == []


def test_saying_no_to_deletion_mid_check_in_goes_on_where_it_was(talk, harness):
    start_who5(talk)
    talk.send("4")
    said(talk, "/slet")
    talk.press("Ja, slet mine data")
    talk.press("Nej, behold dem")
    state = harness.state
    assert isinstance(state, Checkin)
    assert state.index == 1
    assert "Spørgsmål 3 af 5" in said(talk, "3")
