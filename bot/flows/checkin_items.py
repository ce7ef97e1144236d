"""The items of a check-in: asking each question and taking its answer, pressed or typed."""

from __future__ import annotations

import re

from bot.engine.effects import SaveAnswer, StartResponse, StopResponse
from bot.engine.messages import Button, MarkChosen, Reply
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Checkin, Idle
from bot.flows.checkin_after import finish
from bot.flows.checkin_data import button_data
from bot.flows.words import means
from bot.nlu.answer_words import DONT_KNOW
from bot.nlu.typed_answer import Chosen, DontKnow, OutOfRange, Reading, Unsure, read_answer
from core.content import Content, Questionnaire
from core.text import normalize

DIGITS = re.compile(r"\d{1,3}")
Keyboard = tuple[tuple[Button, ...], ...]


def start_items(
    state: Checkin, questionnaire: Questionnaire, ports: Ports, content: Content
) -> Outcome:
    started = state.model_copy(update={"phase": "items", "index": 0})
    effect = StartResponse(
        response_id=state.response_id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        at=ports.now(),
    )
    return Outcome(started, (prompt(questionnaire, started, content),), (effect,))


def resume_items(state: Checkin, questionnaire: Questionnaire, content: Content) -> Outcome:
    """Back to the question the young person paused or left at."""
    texts = content.texts.checkin
    resumed = state.model_copy(update={"paused": False})
    total = len(questionnaire.items)
    return Outcome(
        resumed,
        (
            Reply(texts.resumed.format(number=state.index + 1, total=total)),
            prompt(questionnaire, resumed, content),
        ),
    )


def prompt(questionnaire: Questionnaire, state: Checkin, content: Content) -> Reply:
    texts = content.texts.checkin
    item = questionnaire.items[state.index]
    lines = [question_text(questionnaire, state, content)]
    if item.id in state.answers:
        option = questionnaire.option(state.answers[item.id])
        if option is not None:
            lines.append(texts.previous_answer.format(label=option.label))
    return Reply("\n\n".join(lines), keyboard(questionnaire, state, content))


def keyboard(questionnaire: Questionnaire, state: Checkin, content: Content) -> Keyboard:
    """The answer buttons of the current question, one a row, then the control buttons."""
    texts = content.texts.checkin
    item = questionnaire.items[state.index]
    rows = [
        (
            Button(
                option.label,
                button_data("a", state, item.id, str(option.value)),
                key=str(option.value),
            ),
        )
        for option in questionnaire.scale
    ]
    controls = [
        Button(texts.pause_label, button_data("c", state, item.id, "pause")),
        Button(texts.stop_label, button_data("c", state, item.id, "stop")),
    ]
    if state.index > 0:
        controls.insert(0, Button(texts.back_label, button_data("c", state, item.id, "back")))
    return (*rows, tuple(controls))


def question_text(questionnaire: Questionnaire, state: Checkin, content: Content) -> str:
    header = content.texts.checkin.question_header.format(
        number=state.index + 1, total=len(questionnaire.items)
    )
    item = questionnaire.items[state.index]
    return f"{header}\n\n{questionnaire.stem}\n{item.text}"


def typed_item(
    state: Checkin, questionnaire: Questionnaire, text: str, ports: Ports, content: Content
) -> Outcome:
    texts = content.texts.checkin
    key = normalize(text)
    action = content.texts.words.control_words().get(key)
    if action is not None:
        return control(state, questionnaire, action, ports, content)
    reading = read_answer(questionnaire, text)
    option = questionnaire.option(reading.value) if isinstance(reading, Chosen) else None
    if option is not None:
        # Say what a typed answer was taken to mean ("nej" is 1 in BIP), as buttons do.
        confirmed = Reply(texts.chosen.format(label=option.label))
        return answer(state, questionnaire, option.value, ports, content, chosen=confirmed)
    if state.paused:
        if means(text, content.texts.words.resume):
            return resume_items(state, questionnaire, content)
        return Outcome(state, (Reply(texts.still_paused.format(number=state.index + 1)),))
    if hesitates(text):
        reading = DontKnow()  # "hmm", "øh", "måske": unsure, the kind "ved ikke" line
    return Outcome(state, (ask_again(questionnaire, state, reading, content),))


def ask_again(
    questionnaire: Questionnaire, state: Checkin, reading: Reading, content: Content
) -> Reply:
    """A short answer to a typed text that is not a certain answer, with the answer buttons:
    the question itself is still on the screen just above."""
    texts = content.texts.checkin
    low, high = questionnaire.low, questionnaire.high
    labels = {option.value: option.label for option in questionnaire.scale}
    if isinstance(reading, DontKnow):
        text = texts.dont_know
    elif isinstance(reading, Unsure) and len(reading.values) == 2:
        first, second = (labels[value] for value in reading.values)
        text = texts.unsure.format(first=first, second=second)
    elif isinstance(reading, OutOfRange):
        text = texts.out_of_range.format(number=reading.number, low=low, high=high)
    else:
        text = texts.not_understood.format(low=low, high=high)
    return Reply(text, keyboard(questionnaire, state, content))


# "hmm", "øh", "måske", "ved ikke": unsure, not a no and not an answer.
_HESITATIONS = frozenset(
    {"hmm", "hm", "hmmm", "mm", "mmm", "oeh", "oehm", "oehh", "ehm", "tja", "maaske", "nja"}
)


def hesitates(text: str) -> bool:
    key = normalize(text)
    return key in _HESITATIONS or key in DONT_KNOW


def match_answer(questionnaire: Questionnaire, text: str) -> int | None:
    """The scale value a typed answer means, or None when it is not certain.

    Tolerant (bot/nlu/typed_answer.py): digits and number words, labels and synonyms and
    meaningful parts of them, typos by edit distance; ambiguous text is never guessed.
    """
    reading = read_answer(questionnaire, text)
    return reading.value if isinstance(reading, Chosen) else None


def answer(
    state: Checkin,
    questionnaire: Questionnaire,
    value: int,
    ports: Ports,
    content: Content,
    *,
    chosen: MarkChosen | Reply | None,
) -> Outcome:
    item = questionnaire.items[state.index]
    answers = {**state.answers, item.id: value}
    saved = SaveAnswer(response_id=state.response_id, item_id=item.id, value=value, at=ports.now())
    before = (chosen,) if chosen else ()
    if state.index + 1 < len(questionnaire.items):
        following = state.model_copy(
            update={"index": state.index + 1, "answers": answers, "paused": False}
        )
        return Outcome(following, (*before, prompt(questionnaire, following, content)), (saved,))
    return finish(state, questionnaire, answers, ports, content, before=before, saved=saved)


def control(
    state: Checkin, questionnaire: Questionnaire, action: str, ports: Ports, content: Content
) -> Outcome:
    texts = content.texts.checkin
    if action == "back":
        if state.index == 0:
            return Outcome(
                state, (Reply(texts.back_at_first), prompt(questionnaire, state, content))
            )
        previous = state.model_copy(update={"index": state.index - 1, "paused": False})
        return Outcome(previous, (prompt(questionnaire, previous, content),))
    if action == "pause":
        paused = state.model_copy(update={"paused": True})
        return Outcome(paused, (Reply(texts.paused.format(number=state.index + 1)),))
    stop = StopResponse(response_id=state.response_id, at=ports.now())
    return Outcome(Idle(), (Reply(texts.stopped),), (stop,))
