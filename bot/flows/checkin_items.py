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
from core.content import Content, Questionnaire
from core.text import clean, normalize

DIGITS = re.compile(r"\d{1,3}")


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
    return Reply("\n\n".join(lines), (*rows, tuple(controls)))


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
    value = match_answer(questionnaire, text)
    option = questionnaire.option(value) if value is not None else None
    if option is not None:
        # Say what a typed answer was taken to mean ("nej" is 1 in BIP), as buttons do.
        confirmed = Reply(texts.chosen.format(label=option.label))
        return answer(state, questionnaire, option.value, ports, content, chosen=confirmed)
    if state.paused:
        if means(text, content.texts.words.resume):
            return resume_items(state, questionnaire, content)
        return Outcome(state, (Reply(texts.still_paused.format(number=state.index + 1)),))
    hint = texts.not_understood.format(low=questionnaire.low, high=questionnaire.high)
    return Outcome(state, (Reply(hint), prompt(questionnaire, state, content)))


def match_answer(questionnaire: Questionnaire, text: str) -> int | None:
    """The scale value a typed answer means, or None when it is not certain.

    Accepted: the value as digits ("4", "4."), an option's label or one of its synonyms, ignoring
    case, punctuation, emoji and æ/ø/å spelled ae/oe/aa. Anything else is never guessed.
    """
    digits = clean(text).rstrip(".!").strip()
    if DIGITS.fullmatch(digits):
        value = int(digits)
        return value if questionnaire.option(value) is not None else None
    for option in questionnaire.scale:
        if means(text, [option.label, *option.synonyms]):
            return option.value
    return None


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
