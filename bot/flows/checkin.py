"""A check-in as a guided conversation: before -> the items -> after.

Callback data is `<kind>|<response id>|<item id or ->|<argument>`, so a button only works for
the response and the item it was made for; anything else is stale or forged and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.engine.effects import (
    CompleteResponse,
    SaveAnswer,
    SaveTalkNextTime,
    StartResponse,
    StopResponse,
)
from bot.engine.messages import (
    Button,
    Event,
    LineChart,
    MarkChosen,
    Message,
    Press,
    Reply,
    SpiderChart,
    Text,
    Toast,
)
from bot.engine.ports import Outcome, PastResult, Ports
from bot.engine.state import Checkin, Idle, State
from bot.flows.wellbeing import Care, care, who5_alerts
from bot.flows.words import means
from core.content import Content, Questionnaire
from core.content.models import ProfileAfter, SumAfter
from core.locale import format_day
from core.text import clean, normalize

NO_ITEM = "-"
QUESTIONNAIRE_PREFIX = "q|"
_DIGITS = re.compile(r"\d{1,3}")


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


def choose(state: State, questionnaire_id: str, ports: Ports, content: Content) -> Outcome:
    """Start the chosen questionnaire, resume one under way, or show the menu."""
    if isinstance(state, Checkin):
        running = content.questionnaires[state.questionnaire_id]
        outcome = resume(state, running, content)
        if questionnaire_id and questionnaire_id != state.questionnaire_id:
            note = Reply(content.texts.checkin.already_running)
            return Outcome(outcome.state, (note, *outcome.messages))
        return outcome
    questionnaire = content.questionnaire(questionnaire_id) if questionnaire_id else None
    if questionnaire is not None:
        return begin(questionnaire, ports, content)
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


def begin(questionnaire: Questionnaire, ports: Ports, content: Content) -> Outcome:
    """The 'before' step: why we ask, who sees it, and a button to start."""
    state = Checkin(questionnaire_id=questionnaire.id, response_id=ports.new_id())
    return Outcome(state, _before_messages(questionnaire, state, content))


def resume(state: Checkin, questionnaire: Questionnaire, content: Content) -> Outcome:
    """Continue exactly where the young person left off."""
    texts = content.texts.checkin
    if state.phase == "before":
        return Outcome(state, _before_messages(questionnaire, state, content))
    if state.phase == "talk_next_time":
        return Outcome(state, (_talk_prompt(questionnaire, state, content),))
    resumed = state.model_copy(update={"paused": False})
    total = len(questionnaire.items)
    return Outcome(
        resumed,
        (
            Reply(texts.resumed.format(number=state.index + 1, total=total)),
            _prompt(questionnaire, resumed, content),
        ),
    )


def again(state: Checkin, content: Content) -> tuple[Message, ...]:
    """The step the check-in is at, shown once more (after something else was answered in
    between): the question with its buttons, or a note that it is paused."""
    questionnaire = content.questionnaires[state.questionnaire_id]
    texts = content.texts.checkin
    if state.phase == "before":
        return _before_messages(questionnaire, state, content)[-1:]
    if state.phase == "talk_next_time":
        return (_talk_prompt(questionnaire, state, content),)
    if state.paused:
        return (Reply(texts.still_paused.format(number=state.index + 1)),)
    return (_prompt(questionnaire, state, content),)


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
            return _typed_item(state, questionnaire, event.text, ports, content)
        return _typed_talk(state, event.text, content)
    return Outcome(state)


# --- before ---------------------------------------------------------------------------------


def _before_messages(
    questionnaire: Questionnaire, state: Checkin, content: Content
) -> tuple[Message, ...]:
    texts = content.texts.checkin
    *first, last = questionnaire.guide.before
    buttons = (
        (Button(texts.begin_label, _data("c", state, NO_ITEM, "begin")),),
        (Button(texts.later_label, _data("c", state, NO_ITEM, "later")),),
    )
    return (*(Reply(text) for text in first), Reply(last, buttons))


def _typed_before(
    state: Checkin, questionnaire: Questionnaire, text: str, ports: Ports, content: Content
) -> Outcome:
    words = content.texts.words
    if means(text, words.agree, words.resume):
        return start_items(state, questionnaire, ports, content)
    if means(text, words.decline, words.stop):
        return Outcome(Idle(), (Reply(content.texts.checkin.later),))
    buttons = _before_messages(questionnaire, state, content)[-1]
    assert isinstance(buttons, Reply)  # noqa: S101 - the last 'before' message has the buttons
    return Outcome(state, (Reply(content.texts.checkin.begin_hint, buttons.buttons),))


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
    return Outcome(started, (_prompt(questionnaire, started, content),), (effect,))


# --- items ----------------------------------------------------------------------------------


def _prompt(questionnaire: Questionnaire, state: Checkin, content: Content) -> Reply:
    texts = content.texts.checkin
    item = questionnaire.items[state.index]
    lines = [_question_text(questionnaire, state, content)]
    if item.id in state.answers:
        option = questionnaire.option(state.answers[item.id])
        if option is not None:
            lines.append(texts.previous_answer.format(label=option.label))
    rows = [
        (
            Button(
                option.label, _data("a", state, item.id, str(option.value)), key=str(option.value)
            ),
        )
        for option in questionnaire.scale
    ]
    controls = [
        Button(texts.pause_label, _data("c", state, item.id, "pause")),
        Button(texts.stop_label, _data("c", state, item.id, "stop")),
    ]
    if state.index > 0:
        controls.insert(0, Button(texts.back_label, _data("c", state, item.id, "back")))
    return Reply("\n\n".join(lines), (*rows, tuple(controls)))


def _question_text(questionnaire: Questionnaire, state: Checkin, content: Content) -> str:
    header = content.texts.checkin.question_header.format(
        number=state.index + 1, total=len(questionnaire.items)
    )
    item = questionnaire.items[state.index]
    return f"{header}\n\n{questionnaire.stem}\n{item.text}"


def _typed_item(
    state: Checkin, questionnaire: Questionnaire, text: str, ports: Ports, content: Content
) -> Outcome:
    texts = content.texts.checkin
    key = normalize(text)
    control = content.texts.words.control_words().get(key)
    if control is not None:
        return _control(state, questionnaire, control, ports, content)
    value = match_answer(questionnaire, text)
    option = questionnaire.option(value) if value is not None else None
    if option is not None:
        # Say what a typed answer was taken to mean ("nej" is 1 in BIP), as buttons do.
        confirmed = Reply(texts.chosen.format(label=option.label))
        return _answer(state, questionnaire, option.value, ports, content, chosen=confirmed)
    if state.paused:
        if means(text, content.texts.words.resume):
            return resume(state, questionnaire, content)
        return Outcome(state, (Reply(texts.still_paused.format(number=state.index + 1)),))
    hint = texts.not_understood.format(low=questionnaire.low, high=questionnaire.high)
    return Outcome(state, (Reply(hint), _prompt(questionnaire, state, content)))


def match_answer(questionnaire: Questionnaire, text: str) -> int | None:
    """The scale value a typed answer means, or None when it is not certain.

    Accepted: the value as digits ("4", "4."), an option's label or one of its synonyms, ignoring
    case, punctuation, emoji and æ/ø/å spelled ae/oe/aa. Anything else is never guessed.
    """
    digits = clean(text).rstrip(".!").strip()
    if _DIGITS.fullmatch(digits):
        value = int(digits)
        return value if questionnaire.option(value) is not None else None
    for option in questionnaire.scale:
        if means(text, [option.label, *option.synonyms]):
            return option.value
    return None


def _answer(
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
        return Outcome(following, (*before, _prompt(questionnaire, following, content)), (saved,))
    done = state.model_copy(update={"phase": "talk_next_time", "answers": answers, "paused": False})
    completed = CompleteResponse(
        response_id=state.response_id, score=questionnaire.score(answers), at=ports.now()
    )
    history = ports.past_results(questionnaire.id)
    last = history[-1] if history else None
    worry = care(questionnaire, completed.score, answers)
    if worry is None:
        after: tuple[Message, ...] = (
            Reply(_after_text(questionnaire, answers, last)),
            _chart(questionnaire, answers, history, completed.at, content),
        )
    else:
        after = _after_care(
            questionnaire, worry, completed.score, answers, history, completed.at, content
        )
    messages = (*before, *after, _talk_prompt(questionnaire, done, content))
    alerts = who5_alerts(questionnaire, completed.score, answers, last)
    return Outcome(done, messages, (saved, completed, *alerts))


def _control(
    state: Checkin, questionnaire: Questionnaire, action: str, ports: Ports, content: Content
) -> Outcome:
    texts = content.texts.checkin
    if action == "back":
        if state.index == 0:
            return Outcome(
                state, (Reply(texts.back_at_first), _prompt(questionnaire, state, content))
            )
        previous = state.model_copy(update={"index": state.index - 1, "paused": False})
        return Outcome(previous, (_prompt(questionnaire, previous, content),))
    if action == "pause":
        paused = state.model_copy(update={"paused": True})
        return Outcome(paused, (Reply(texts.paused.format(number=state.index + 1)),))
    stop = StopResponse(response_id=state.response_id, at=ports.now())
    return Outcome(Idle(), (Reply(texts.stopped),), (stop,))


# --- after ----------------------------------------------------------------------------------


def _after_text(
    questionnaire: Questionnaire, answers: dict[str, int], last: PastResult | None
) -> str:
    after = questionnaire.guide.after
    if isinstance(after, SumAfter):
        score = questionnaire.score(answers) or 0
        parts = [after.result.format(score=score, max=questionnaire.scoring.max)]
        if last is None or last.score is None:
            parts.append(after.first_time)
        else:
            change = score - last.score
            template = after.up if change > 0 else after.down if change < 0 else after.same
            parts.append(
                template.format(change=abs(change), last_date=format_day(last.completed_at))
            )
        return " ".join(parts)
    assert isinstance(after, ProfileAfter)  # noqa: S101 - the content check guarantees it
    lines = [after.result.format(max=questionnaire.scoring.max)]
    for item in questionnaire.items:
        name = item.short or item.text
        previous = last.answers.get(item.id) if last else None
        if previous is not None and previous != answers[item.id]:
            lines.append(
                after.line_changed.format(item=name, value=answers[item.id], last=previous)
            )
        else:
            lines.append(after.line.format(item=name, value=answers[item.id]))
    lines.append(
        after.first_time
        if last is None
        else after.compared.format(last_date=format_day(last.completed_at))
    )
    return "\n".join(lines)


def _after_care(
    questionnaire: Questionnaire,
    worry: Care,
    score: int | None,
    answers: dict[str, int],
    history: Sequence[PastResult],
    now: datetime,
    content: Content,
) -> tuple[Message, ...]:
    """Answers that worry: the warm message first, then the score plainly, and the chart only
    when there is a development to show. No cheerful lines ("nu har vi et sted at starte fra",
    "dejligt at høre")."""
    safety = content.safety
    warm = safety.low_wellbeing if worry == "low" else safety.low_item
    plain = content.texts.checkin.result_after_care.format(
        score=score, max=questionnaire.scoring.max
    )
    messages: list[Message] = [Reply(warm.format(lines=safety.listed())), Reply(plain)]
    if history:
        messages.append(_chart(questionnaire, answers, history, now, content))
    return tuple(messages)


def _chart(
    questionnaire: Questionnaire,
    answers: dict[str, int],
    history: Sequence[PastResult],
    now: datetime,
    content: Content,
) -> Message:
    """The development as a chart, or a kind line when there is nothing to compare with yet."""
    texts = content.texts.checkin
    title = questionnaire.guide.chart_title
    if not history:
        return Reply(texts.chart_first_time)
    score = questionnaire.score(answers)
    if score is not None:
        earlier = tuple((r.completed_at, r.score) for r in history if r.score is not None)
        return LineChart(title, (*earlier, (now, score)), questionnaire.scoring.max)
    axes = tuple(item.short or item.id for item in questionnaire.items)
    series = [(texts.chart_now, tuple(answers[item.id] for item in questionnaire.items))]
    last = history[-1]
    if all(item.id in last.answers for item in questionnaire.items):
        label = texts.chart_before.format(date=format_day(last.completed_at))
        series.append((label, tuple(last.answers[item.id] for item in questionnaire.items)))
    return SpiderChart(title, axes, tuple(series), questionnaire.scoring.max)


def _talk_prompt(questionnaire: Questionnaire, state: Checkin, content: Content) -> Reply:
    skip = Button(content.texts.checkin.skip_label, _data("c", state, NO_ITEM, "skip"))
    return Reply(questionnaire.guide.talk_next_time, ((skip,),))


def _typed_talk(state: Checkin, text: str, content: Content) -> Outcome:
    texts = content.texts.checkin
    words = content.texts.words
    if means(text, words.skip, words.stop):
        return Outcome(Idle(), (Reply(texts.talk_skipped), Reply(texts.goodbye)))
    saved = SaveTalkNextTime(response_id=state.response_id, text=text)
    return Outcome(Idle(), (Reply(texts.talk_saved), Reply(texts.goodbye)), (saved,))


# --- buttons --------------------------------------------------------------------------------


def _data(kind: str, state: Checkin, item: str, argument: str) -> str:
    return f"{kind}|{state.response_id}|{item}|{argument}"


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
    if state.phase == "items" and kind == "a" and _DIGITS.fullmatch(argument):
        option = questionnaire.option(int(argument))
        if option is None:
            return stale
        question = _question_text(questionnaire, state, content)
        chosen = MarkChosen(
            f"{question}\n\n{content.texts.checkin.chosen.format(label=option.label)}"
        )
        return _answer(state, questionnaire, option.value, ports, content, chosen=chosen)
    if state.phase == "items" and kind == "c" and argument in ("back", "pause", "stop"):
        return _control(state, questionnaire, argument, ports, content)
    if state.phase == "talk_next_time" and kind == "c" and argument == "skip":
        texts = content.texts.checkin
        return Outcome(Idle(), (Reply(texts.talk_skipped), Reply(texts.goodbye)))
    return stale


# --- progress -------------------------------------------------------------------------------


def progress(
    questionnaire: Questionnaire, history: Sequence[PastResult], content: Content
) -> Message:
    """The development so far as a chart: the newest response against the ones before."""
    if isinstance(questionnaire.guide.after, SumAfter):
        # Stored scores, not recomputed: an older response may predate a change of items.
        points = tuple((r.completed_at, r.score) for r in history if r.score is not None)
        if len(points) < 2:
            return Reply(content.texts.checkin.chart_first_time)
        return LineChart(questionnaire.guide.chart_title, points, questionnaire.scoring.max)
    newest = history[-1]
    return _chart(questionnaire, dict(newest.answers), history[:-1], newest.completed_at, content)
