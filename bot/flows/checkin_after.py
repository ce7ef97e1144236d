"""The 'after' of a check-in: feedback, charts, the care message and talk next time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.engine.effects import CompleteResponse, SaveAnswer, SaveTalkNextTime
from bot.engine.messages import Button, LineChart, Message, Reply, SpiderChart
from bot.engine.ports import Outcome, PastResult, Ports
from bot.engine.state import Checkin, Idle
from bot.flows.checkin_data import NO_ITEM, button_data
from bot.flows.wellbeing import Care, care, who5_alerts
from bot.flows.words import means
from core.content import Content, Questionnaire
from core.content.models import ProfileAfter, SumAfter
from core.locale import format_day


def finish(
    state: Checkin,
    questionnaire: Questionnaire,
    answers: dict[str, int],
    ports: Ports,
    content: Content,
    *,
    before: tuple[Message, ...],
    saved: SaveAnswer,
) -> Outcome:
    """The last item answered: the response completes, the feedback (or the care message)
    follows, then the question what to talk about next time, with any alerts."""
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
    messages = (*before, *after, talk_prompt(questionnaire, done, content))
    alerts = who5_alerts(questionnaire, completed.score, answers, last)
    return Outcome(done, messages, (saved, completed, *alerts))


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


def talk_prompt(questionnaire: Questionnaire, state: Checkin, content: Content) -> Reply:
    skip = Button(content.texts.checkin.skip_label, button_data("c", state, NO_ITEM, "skip"))
    return Reply(questionnaire.guide.talk_next_time, ((skip,),))


def typed_talk(state: Checkin, text: str, content: Content) -> Outcome:
    texts = content.texts.checkin
    words = content.texts.words
    if means(text, words.skip, words.stop):
        return Outcome(Idle(), (Reply(texts.talk_skipped), Reply(texts.goodbye)))
    saved = SaveTalkNextTime(response_id=state.response_id, text=text)
    return Outcome(Idle(), (Reply(texts.talk_saved), Reply(texts.goodbye)), (saved,))


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
