"""Free text in the middle of a check-in that is not an answer: answered for what it is.

A text that is no answer to the question on the screen is never met with "I did not
understand" when it means something: a feeling gets the kind answer and the check-in waits
for its question (bot/flows/feelings.py); "hvad skal jeg svare?" gets the scale in one
sentence; "nej vent jeg mente to" changes the last answer; "min kontaktperson skal ikke vide
det" gets the truth about what the contact person sees; "tak" gets a "selv tak". Each answer
ends with the short way back to the question and its buttons (not the whole question again).
Only a text with no meaning left gets the not-understood line, which blames the robot.

After the last question, a question about the score ("hvad betyder 32?") gets what the number
means, and the question what to talk about next time again: it is not a topic.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.engine.effects import SaveAnswer
from bot.engine.messages import Reply
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Checkin
from bot.flows import feelings, onboarding
from bot.flows.checkin_after import talk_prompt
from bot.flows.checkin_items import answer, keyboard
from bot.nlu import Understanding
from bot.nlu.typed_answer import Chosen, read_answer
from core.content import Content, Questionnaire
from core.text import normalize

# The bars of bot/flows/free_text.py: a feeling is answered from 0.6 (one word from 0.8).
FEELING_CONFIDENCE = 0.6
SURE = 0.8
# "hvad skal jeg svare?" is often read as help with less certainty: mid-question, an unsure
# help question is about the question; a sure one ("hvordan virker det her") gets /hjaelp.
HELP_CONFIDENCE = 0.5
# A privacy question ("hvem ser det?") and small talk ("okay tak") mid-question.
SMALL_TALK_CONFIDENCE = 0.6

# What comes after these is the answer meant instead ("nej vent jeg mente to", "ups 3").
_CORRECTION = re.compile(
    r"\b(?:mente|ment|mener|meningen var|skulle have vaeret|skulle vaere|rettelse|ret det til"
    r"|ret til|fortryd|ups|hov|vent|forkert|trykkede forkert|skrev forkert)\b"
)
# "hvad skal jeg svare", "jeg forstaar ikke spoergsmaalet": about the question itself.
_ABOUT_QUESTION = re.compile(
    r"\b(?:hvad skal jeg svare|hvad skal jeg skrive|hvordan svarer jeg|hvad betyder"
    r"|forstaar ikke|forstaar det ikke|hvad mener du|hvad menes)\b"
)
_NEGATION = re.compile(r"\b(?:ikke|ik|ikk|ike|aldrig|ingen)\b")
_CONTACT = re.compile(r"\bkontakt ?person")
# A question about the score just shown: a number with a question, or words about it.
_SCORE_WORDS = re.compile(r"\b(?:betyder|tallet|score|scoren|point|procent|ud af)\b")
_IS_IT = re.compile(
    r"^(?:er|er det|er det her|er det et)\b.*\b(?:daarligt|daarlig|godt|god|lavt"
    r"|lav|hoejt|hoej|slemt|normalt|ok|okay|fint)\b"
)


def first(
    state: Checkin,
    questionnaire: Questionnaire,
    text: str,
    understanding: Understanding,
    ports: Ports,
    content: Content,
) -> Outcome | None:
    """Before the global intents: what a text that is not an answer means to the check-in.
    None leaves it to them (a pause of reminders, "jeg kan ikke komme", putting it off)."""
    if state.phase == "talk_next_time":
        return score_question(state, questionnaire, text, content)
    if state.phase != "items":
        return None
    key = normalize(text)
    worried = _CONTACT.search(key) is not None and _NEGATION.search(key) is not None
    if state.paused:
        # A paused check-in (after a crisis reply, or "pause") still gets the truth about the
        # contact person; everything else is met by the paused line as before.
        if not worried:
            return None
        waiting = content.texts.checkin.still_paused.format(number=state.index + 1)
        return Outcome(state, (Reply(content.texts.checkin.contact_sees), Reply(waiting)))
    corrected = _correction(state, questionnaire, key, ports, content)
    if corrected is not None:
        return corrected
    if worried:
        return _aside(state, questionnaire, content.texts.checkin.contact_sees, content)
    parse = understanding.parse
    if _ABOUT_QUESTION.search(key) or (
        parse.intent == "help" and HELP_CONFIDENCE <= parse.confidence < SURE
    ):
        return _aside(state, questionnaire, how_to_answer(questionnaire, content), content)
    if _feeling(understanding, content):
        return feelings.answer(state, parse.intent, content, now=ports.now())
    if _distress(key, understanding):
        return feelings.answer(state, "feel_bad", content, now=ports.now())
    return None


def last(
    state: Checkin,
    questionnaire: Questionnaire,
    understanding: Understanding,
    ports: Ports,
    content: Content,
) -> Outcome | None:
    """After the global intents: a privacy question and small talk get a short answer, then
    the way back to the question. None: the not-understood line (checkin_items.ask_again)."""
    if state.phase != "items" or state.paused:
        return None
    parse = understanding.parse
    if parse.confidence < SMALL_TALK_CONFIDENCE:
        return None
    free = content.texts.free_text
    if parse.intent == "ask_privacy":
        said = free.privacy.format(who_sees=onboarding.who_sees(ports, content))
    elif parse.intent == "thanks":
        said = free.thanks
    elif parse.intent == "greet":
        said = "Hej! 😊"
    else:
        return None
    return _aside(state, questionnaire, said, content)


def score_question(
    state: Checkin, questionnaire: Questionnaire, text: str, content: Content
) -> Outcome | None:
    """At "what shall we talk about next time?", right after the result: a question about the
    score gets what it means, and the question again. None: the text is a topic (or a no)."""
    meaning = questionnaire.guide.score_meaning
    score = questionnaire.score(state.answers)
    if meaning is None or score is None:
        return None
    key = normalize(text)
    asks = text.rstrip().endswith("?") or key.startswith(("hvad", "hvorfor", "hvordan", "er "))
    numbered = any(char.isdigit() for char in key)
    if not ((asks and numbered) or _SCORE_WORDS.search(key) or (asks and _IS_IT.search(key))):
        return None
    said = Reply(meaning.format(score=score, max=questionnaire.scoring.max))
    return Outcome(state, (said, talk_prompt(questionnaire, state, content)))


def back_to_question(
    state: Checkin, questionnaire: Questionnaire, outcome: Outcome, content: Content
) -> Outcome:
    """An intent answered in the middle of the items ("hvem kan se det?"): the short way back
    to the question follows, unless the answer has buttons of its own or the check-in moved."""
    if state.phase != "items" or outcome.state != state:
        return outcome
    if any(isinstance(m, Reply) and m.buttons for m in outcome.messages):
        return outcome
    messages = (*outcome.messages, reask(questionnaire, state, content))
    return Outcome(outcome.state, messages, outcome.effects)


def not_a_request(text: str, understanding: Understanding) -> Understanding:
    """A text that says the contact person must NOT know is a privacy question, never a
    request to reach them (the model reads "min kontaktperson skal ikke vide det" so)."""
    key = normalize(text)
    if _CONTACT.search(key) is None or _NEGATION.search(key) is None:
        return understanding
    parse = replace(understanding.parse, intent="ask_privacy")
    return Understanding(parse, understanding.crisis)


def how_to_answer(questionnaire: Questionnaire, content: Content) -> str:
    high = questionnaire.option(questionnaire.high)
    low = questionnaire.option(questionnaire.low)
    assert high is not None  # noqa: S101 - the highest value is an option
    assert low is not None  # noqa: S101 - the lowest value is an option
    return content.texts.checkin.how_to_answer.format(
        high=high.value, high_label=high.label, low=low.value, low_label=low.label
    )


def reask(questionnaire: Questionnaire, state: Checkin, content: Content) -> Reply:
    """The short way back to the question, with its buttons."""
    text = content.texts.checkin.reask.format(
        number=state.index + 1, total=len(questionnaire.items)
    )
    return Reply(text, keyboard(questionnaire, state, content))


def _aside(state: Checkin, questionnaire: Questionnaire, said: str, content: Content) -> Outcome:
    return Outcome(state, (Reply(said), reask(questionnaire, state, content)))


def _correction(
    state: Checkin, questionnaire: Questionnaire, key: str, ports: Ports, content: Content
) -> Outcome | None:
    """ "nej vent jeg mente to": the answer after the last correction word replaces the last
    answer given. Nothing before it (the first question): it answers the question shown."""
    found = list(_CORRECTION.finditer(key))
    if not found:
        return None
    tail = key[found[-1].end() :].strip()
    reading = read_answer(questionnaire, tail) if tail else None
    if not isinstance(reading, Chosen):
        return None
    option = questionnaire.option(reading.value)
    if option is None:
        return None
    previous = state.index - 1
    if previous < 0 or questionnaire.items[previous].id not in state.answers:
        # Nothing to correct yet: the answer meant is the answer to the question shown.
        confirmed = Reply(content.texts.checkin.chosen.format(label=option.label))
        return answer(state, questionnaire, option.value, ports, content, chosen=confirmed)
    item = questionnaire.items[previous]
    answers = {**state.answers, item.id: option.value}
    changed = state.model_copy(update={"answers": answers})
    saved = SaveAnswer(
        response_id=state.response_id, item_id=item.id, value=option.value, at=ports.now()
    )
    said = content.texts.checkin.corrected.format(number=previous + 1, label=option.label)
    return Outcome(changed, (Reply(said), reask(questionnaire, changed, content)), (saved,))


# Everyday words of a bad time ("er så træt af alt", "fuck det her", "orker ikke"): when the
# interpreter makes nothing else of such a text, it gets the kind answer, not "not understood".
_DISTRESS = re.compile(
    r"\b(?:traet af|orker ikke|orker ik|gider ikke mere|gider ik mere|lort|lorte|skidt|hader"
    r"|fuck|fucking|for meget|trist|ked af|har det daarligt)\b"
)
# Below this, what the interpreter made of a text does not count against the words above.
_OTHER_INTENT = 0.6


def _distress(key: str, understanding: Understanding) -> bool:
    parse = understanding.parse
    elsewhere = parse.intent not in ("out_of_scope", "nlu_fallback", "deny", "affirm")
    if elsewhere and parse.confidence >= _OTHER_INTENT:
        return False
    return len(key.split()) >= 2 and _DISTRESS.search(key) is not None


def _feeling(understanding: Understanding, content: Content) -> bool:
    """The feelings bar of free_text: a single word only when sure; a text with a digit is a
    try at an answer."""
    parse = understanding.parse
    if not feelings.is_feeling(parse.intent, content):
        return False
    single_word = len(parse.text.split()) < 2
    if parse.confidence < (SURE if single_word else FEELING_CONFIDENCE):
        return False
    return not any(char.isdigit() for char in parse.text)
