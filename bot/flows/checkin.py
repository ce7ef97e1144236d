"""A check-in as a guided conversation: before -> the items -> after.

This module chooses, begins, resumes and routes a check-in, and holds the 'before' step; the
items are in checkin_items, the 'after' in checkin_after.

Callback data is `<kind>|<response id>|<item id or ->|<argument>`, so a button only works for
the response and the item it was made for; anything else is stale or forged and changes nothing.
"""

from __future__ import annotations

from bot.engine.messages import Button, Event, MarkChosen, Message, Press, Reply, Text, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Checkin, Idle, State
from bot.flows.checkin_after import progress, talk_prompt, typed_talk
from bot.flows.checkin_data import NO_ITEM, button_data
from bot.flows.checkin_items import (
    DIGITS,
    answer,
    control,
    hesitates,
    match_answer,
    prompt,
    question_text,
    resume_items,
    start_items,
    typed_item,
)
from bot.flows.words import means
from bot.nlu.answer_words import ALONE_NUMBER_WORDS, NUMBER_WORDS
from core.content import Content, Questionnaire
from core.text import normalize

__all__ = [
    "NO_ITEM",
    "QUESTIONNAIRE_PREFIX",
    "again",
    "begin",
    "choose",
    "expects",
    "fits",
    "handle",
    "hold",
    "match_answer",
    "pressed",
    "progress",
    "resume",
    "start_items",
    "stop",
]

QUESTIONNAIRE_PREFIX = "q|"


def fits(state: Checkin, content: Content) -> bool:
    """Whether a stored check-in still matches its questionnaire in dialogues/."""
    questionnaire = content.questionnaire(state.questionnaire_id)
    if questionnaire is None:
        return False
    if state.phase != "items":
        return True
    ids = [item.id for item in questionnaire.items]
    return (
        state.index < len(ids)
        and set(state.answers) <= set(ids)
        and all(item_id in state.answers for item_id in ids[: state.index])
    )


def pressed(state: State, data: str, ports: Ports, content: Content) -> Outcome:
    """A questionnaire's button: `q|<id>` from the menu (the 'before' step asks to start), or
    `q|<id>|now` from a question that was already a yes (the offer of a first check-in, an
    invitation), which starts at once: one yes is enough."""
    questionnaire_id, _, now = data.removeprefix(QUESTIONNAIRE_PREFIX).partition("|")
    return choose(state, questionnaire_id, ports, content, agreed=now == "now")


def choose(
    state: State, questionnaire_id: str, ports: Ports, content: Content, *, agreed: bool = False
) -> Outcome:
    """Start the chosen questionnaire, go on with one under way, or show the menu."""
    if isinstance(state, Checkin):
        return _under_way(state, content)
    questionnaire = content.questionnaire(questionnaire_id) if questionnaire_id else None
    if questionnaire is not None:
        return begin(questionnaire, ports, content, agreed=agreed)
    menu = tuple(
        (Button(q.menu_label, f"{QUESTIONNAIRE_PREFIX}{q.id}"),)
        for q in content.questionnaires.values()
    )
    return Outcome(Idle(), (Reply(content.texts.checkin.choose, menu),))


def expects(state: Checkin, questionnaire: Questionnaire, text: str, content: Content) -> bool:
    """Whether `text` is an answer or a control word the current step understands as typed."""
    words = content.texts.words
    if state.phase == "before":
        return means(text, words.agree, words.resume, words.decline, words.stop)
    if state.phase == "items":
        return (
            normalize(text) in words.control_words()
            or match_answer(questionnaire, text) is not None
            or (state.paused and means(text, words.resume))
        )
    return means(text, words.skip, words.stop)


def hold(state: State) -> State:
    """A check-in whose questions are under way waits, paused at its question; other states
    are returned as they are."""
    if isinstance(state, Checkin) and state.phase == "items":
        return state.model_copy(update={"paused": True})
    return state


def begin(
    questionnaire: Questionnaire, ports: Ports, content: Content, *, agreed: bool = False
) -> Outcome:
    """The 'before' step: why we ask, who sees it, and a button to start; when the young
    person has just said yes to a check-in (`agreed`), the first question follows at once."""
    state = Checkin(questionnaire_id=questionnaire.id, response_id=ports.new_id())
    before = _before_messages(questionnaire, state, content)
    if not agreed:
        return Outcome(state, before)
    *intro, last = before
    assert isinstance(last, Reply)  # noqa: S101 - the last 'before' message has the buttons
    started = start_items(state, questionnaire, ports, content)
    return Outcome(started.state, (*intro, Reply(last.text), *started.messages), started.effects)


def _under_way(state: Checkin, content: Content) -> Outcome:
    """/tjek (or a questionnaire's button) while a check-in is under way: a paused one is
    resumed; otherwise it goes on where the young person is, with its question shown again."""
    questionnaire = content.questionnaires[state.questionnaire_id]
    if state.phase == "items" and state.paused:
        return resume(state, questionnaire, content)
    note = Reply(content.texts.checkin.already_running)
    return Outcome(state, (note, *again(state, content)))


def resume(state: Checkin, questionnaire: Questionnaire, content: Content) -> Outcome:
    """Continue exactly where the young person left off."""
    if state.phase == "before":
        return Outcome(state, _before_messages(questionnaire, state, content))
    if state.phase == "talk_next_time":
        return Outcome(state, (talk_prompt(questionnaire, state, content),))
    return resume_items(state, questionnaire, content)


def again(state: Checkin, content: Content) -> tuple[Message, ...]:
    """The step the check-in is at, shown once more (after something else was answered in
    between): the question with its buttons, or a note that it is paused."""
    questionnaire = content.questionnaires[state.questionnaire_id]
    texts = content.texts.checkin
    if state.phase == "before":
        return _before_messages(questionnaire, state, content)[-1:]
    if state.phase == "talk_next_time":
        return (talk_prompt(questionnaire, state, content),)
    if state.paused:
        return (Reply(texts.still_paused.format(number=state.index + 1)),)
    return (prompt(questionnaire, state, content),)


def handle(
    state: Checkin, questionnaire: Questionnaire, event: Event, ports: Ports, content: Content
) -> Outcome:
    """A Text or Press while a check-in is under way (commands are routed by the engine)."""
    if isinstance(event, Press):
        return _press(state, questionnaire, event.data, ports, content)
    if isinstance(event, Text):
        if state.phase == "before":
            return _typed_before(state, questionnaire, event.text, ports, content)
        if state.phase == "items":
            return typed_item(state, questionnaire, event.text, ports, content)
        return typed_talk(state, event.text, content)
    return Outcome(state)


# --- before ---------------------------------------------------------------------------------


def _before_messages(
    questionnaire: Questionnaire, state: Checkin, content: Content
) -> tuple[Message, ...]:
    texts = content.texts.checkin
    *first, last = questionnaire.guide.before
    buttons = (
        (Button(texts.begin_label, button_data("c", state, NO_ITEM, "begin")),),
        (Button(texts.later_label, button_data("c", state, NO_ITEM, "later")),),
    )
    return (*(Reply(text) for text in first), Reply(last, buttons))


def _typed_before(
    state: Checkin, questionnaire: Questionnaire, text: str, ports: Ports, content: Content
) -> Outcome:
    """ "Ja, lad os starte"? A yes starts, and so does a number: a try at answering the first
    question, which is then shown (an answer to a question not yet seen is not taken). A no
    ends it; a hesitation gets a friendly nudge; anything else, where the buttons are."""
    words = content.texts.words
    if means(text, words.agree, words.resume, words.yes) or _a_number(text):
        return start_items(state, questionnaire, ports, content)
    if means(text, words.decline, words.stop, words.no):
        return Outcome(Idle(), (Reply(content.texts.checkin.later),))
    buttons = _before_messages(questionnaire, state, content)[-1]
    assert isinstance(buttons, Reply)  # noqa: S101 - the last 'before' message has the buttons
    texts = content.texts.checkin
    hint = texts.begin_nudge if hesitates(text) or not normalize(text) else texts.begin_hint
    return Outcome(state, (Reply(hint, buttons.buttons),))


def _a_number(text: str) -> bool:
    key = normalize(text)
    return key.isdigit() or key in NUMBER_WORDS or key in ALONE_NUMBER_WORDS


def stop(state: Checkin, questionnaire: Questionnaire, ports: Ports, content: Content) -> Outcome:
    """/stop: what the Stop button, or a typed "stop", does at this step."""
    texts = content.texts.checkin
    if state.phase == "items":
        return control(state, questionnaire, "stop", ports, content)
    if state.phase == "before":
        return Outcome(Idle(), (Reply(texts.later),))
    return Outcome(Idle(), (Reply(texts.talk_skipped), Reply(texts.goodbye)))


# --- buttons --------------------------------------------------------------------------------


def _press(
    state: Checkin, questionnaire: Questionnaire, data: str, ports: Ports, content: Content
) -> Outcome:
    stale = Outcome(state, (Toast(content.texts.stale_button),))
    parts = data.split("|")
    if len(parts) != 4 or parts[1] != state.response_id:
        return stale
    kind, _, item_id, argument = parts
    current = questionnaire.items[state.index].id if state.phase == "items" else NO_ITEM
    if item_id != current:
        return stale
    if state.phase == "before" and kind == "c" and argument in ("begin", "later"):
        if argument == "begin":
            return start_items(state, questionnaire, ports, content)
        return Outcome(Idle(), (Reply(content.texts.checkin.later),))
    if state.phase == "items" and kind == "a" and DIGITS.fullmatch(argument):
        option = questionnaire.option(int(argument))
        if option is None:
            return stale
        question = question_text(questionnaire, state, content)
        chosen = MarkChosen(
            f"{question}\n\n{content.texts.checkin.chosen.format(label=option.label)}"
        )
        return answer(state, questionnaire, option.value, ports, content, chosen=chosen)
    if state.phase == "items" and kind == "c" and argument in ("back", "pause", "stop"):
        return control(state, questionnaire, argument, ports, content)
    if state.phase == "talk_next_time" and kind == "c" and argument == "skip":
        texts = content.texts.checkin
        return Outcome(Idle(), (Reply(texts.talk_skipped), Reply(texts.goodbye)))
    return stale
