"""/ide: an anonymous idea for a youth workshop.

/ide -> what anonymous means -> the workshop (if several are open) -> its question and a theme
-> the idea, typed -> shown once more with Send / Ret / Drop det -> stored with no link to the
young person, who hears afterwards what became of the workshop's ideas. With no workshop open,
that is said first and only. At the theme step a theme may be typed, and an idea typed there is
kept (sealed) while the theme is asked for after. "Hvem ser det?" at any step gets what
anonymous means, then the step again.

Button data: `i|w|<draft>|<workshop id>`, `i|t|<draft>|<theme number>`, `i|send|<draft>`,
`i|edit|<draft>`, `i|drop|<draft>`. A button only works for the draft and the step it was made
for; a workshop that closed meanwhile (or an unknown or forged id) stores nothing.
"""

from __future__ import annotations

from datetime import timedelta

from bot.engine.effects import SaveIdea
from bot.engine.messages import Button, MarkChosen, Message, RemoveButtons, Reply, Toast
from bot.engine.ports import Outcome, Ports, WorkshopView
from bot.engine.state import Checkin, IdeaDraft, Idle, State
from bot.flows import checkin
from bot.flows.words import means_no, means_yes
from core.content import Content
from core.text import normalize

PREFIX = "i|"
MAX_IDEA = 1000  # as domain.workshops.MAX_IDEA, which ports.idea_problem applies
# Flooding: at most LIMIT ideas per WINDOW from one young person.
LIMIT = 5
WINDOW = timedelta(minutes=10)
# A draft left alone this long is dropped; its buttons are then stale.
DRAFT_WAITS = timedelta(hours=1)
# A typed text at the theme step with at least this many words is the idea itself.
IDEA_WORDS = 3
# "Hvem ser det?": a privacy question the interpreter is sure of, and short, is not the idea.
PRIVACY_CONFIDENCE = 0.8
PRIVACY_WORDS = 6


def start(state: State, ports: Ports, content: Content) -> Outcome:
    """/ide: say what anonymous means, then the workshop or its themes."""
    texts = content.texts.ideas
    held = state.checkin if isinstance(state, IdeaDraft) else checkin.hold(state)
    kept = held if isinstance(held, Checkin) else None
    leaving: State = kept if kept is not None else Idle()
    anonymous = Reply(texts.anonymous)
    if (limited := _limited(ports, content)) is not None:
        return Outcome(leaving, (limited, *_waiting(kept, content)))
    workshops = ports.open_workshops()
    if not workshops:
        # Said first and only: "gemt uden dit navn" before it would promise something.
        return Outcome(leaving, (Reply(texts.none_open), *_waiting(kept, content)))
    draft = IdeaDraft(draft_id=ports.new_id(), started_at=ports.now(), checkin=kept)
    if len(workshops) == 1:
        return _themes(draft, workshops[0], (anonymous,), content)
    buttons = tuple(
        (Button(workshop.title[:64], _data(draft, "w", str(workshop.id))),)
        for workshop in workshops
    )
    return Outcome(draft, (anonymous, Reply(texts.choose_workshop, buttons)))


def expired(state: IdeaDraft, ports: Ports) -> bool:
    return ports.now() - state.started_at > DRAFT_WAITS


def handle_text(state: IdeaDraft, text: str, ports: Ports, content: Content) -> Outcome:
    """A typed text while a draft is open: the idea (again), a theme, a question about who
    sees it, or a hint to use the buttons."""
    texts = content.texts.ideas
    if _asks_who_sees(text, ports):
        return Outcome(state, (Reply(texts.anonymous), *_step_again(state, ports, content)))
    if state.step == "theme":
        return _typed_at_theme(state, text, ports, content)
    if state.step not in ("text", "confirm") or state.theme is None:
        return Outcome(state, (Reply(texts.use_buttons),))
    if state.step == "confirm" and means_yes(text, content):
        return _send(state, ports, content)  # "Skal jeg sende den?" - "ja"
    if state.step == "confirm" and means_no(text, content):
        return _leave(state, (RemoveButtons(), Reply(texts.dropped)), content)
    problem = ports.idea_problem(text)
    if problem == "too_long":
        return too_long(state, len(text.strip()), content)
    if problem is not None:
        return Outcome(state, (Reply(texts.no_words if problem == "no_words" else texts.empty),))
    sealed = ports.seal(text.strip())
    draft = state.model_copy(update={"step": "confirm", "sealed_text": sealed})
    preview = texts.preview.format(text=text.strip(), theme=state.theme)
    return Outcome(draft, (Reply(preview, _confirm_buttons(draft, content)),))


def too_long(state: IdeaDraft, length: int, content: Content) -> Outcome:
    """Nothing is kept of a text over the limit; say how long it was."""
    answer = content.texts.ideas.too_long.format(length=length, max=MAX_IDEA)
    return Outcome(state, (Reply(answer),))


def handle_press(state: State, data: str, ports: Ports, content: Content) -> Outcome:
    stale = Outcome(state, (Toast(content.texts.stale_button),))
    _, kind, draft_id, *rest = [*data.split("|", 3), "", ""][:4]
    if not isinstance(state, IdeaDraft) or draft_id != state.draft_id:
        return stale
    argument = rest[0]
    if kind == "drop":
        return _leave(state, (RemoveButtons(), Reply(content.texts.ideas.dropped)), content)
    if kind == "w" and state.step == "workshop":
        workshop = _open(ports, argument)
        if workshop is None:
            return _closed(state, content)
        marked = MarkChosen(content.texts.ideas.chosen.format(label=workshop.title))
        return _themes(state, workshop, (marked,), content)
    if kind == "t" and state.step == "theme":
        return _theme_chosen(state, argument, ports, content)
    if kind == "edit" and state.step == "confirm":
        draft = state.model_copy(update={"step": "text", "sealed_text": None})
        return Outcome(draft, (RemoveButtons(), Reply(content.texts.ideas.write_again)))
    if kind == "send" and state.step == "confirm":
        return _send(state, ports, content)
    return stale


# --- steps ----------------------------------------------------------------------------------


def _themes(
    draft: IdeaDraft, workshop: WorkshopView, before: tuple[Message, ...], content: Content
) -> Outcome:
    texts = content.texts.ideas
    question = Reply(texts.question.format(title=workshop.title, question=workshop.question))
    chosen = draft.model_copy(update={"step": "theme", "workshop_id": workshop.id})
    buttons = _theme_buttons(chosen, workshop)
    return Outcome(chosen, (*before, question, Reply(texts.choose_theme, buttons)))


def _theme_chosen(state: IdeaDraft, argument: str, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.ideas
    workshop = _open(ports, str(state.workshop_id))
    if workshop is None:
        return _closed(state, content)
    if not argument.isdigit() or int(argument) >= len(workshop.themes):
        return Outcome(state, (Toast(content.texts.stale_button),))
    theme = workshop.themes[int(argument)]
    marked = MarkChosen(texts.chosen.format(label=theme))
    if state.sealed_text is not None:
        # The idea was typed first: the theme completes it, and Send / Ret / Drop det follow.
        draft = state.model_copy(update={"step": "confirm", "theme": theme})
        confirm = Reply(texts.confirm_theme.format(theme=theme), _confirm_buttons(draft, content))
        return Outcome(draft, (marked, confirm))
    draft = state.model_copy(update={"step": "text", "theme": theme})
    return Outcome(draft, (marked, Reply(texts.write.format(max=MAX_IDEA))))


def _typed_at_theme(state: IdeaDraft, text: str, ports: Ports, content: Content) -> Outcome:
    """A theme's name typed chooses it; a longer text is the idea, kept sealed while the theme
    is asked for; anything else gets a hint and the themes again."""
    texts = content.texts.ideas
    workshop = _open(ports, str(state.workshop_id))
    if workshop is None:
        return _closed(state, content)
    key = normalize(text)
    for number, theme in enumerate(workshop.themes):
        if key and key == normalize(theme):
            return _theme_chosen(state, str(number), ports, content)
    if len(key.split()) >= IDEA_WORDS:
        problem = ports.idea_problem(text)
        if problem == "too_long":
            return too_long(state, len(text.strip()), content)
        if problem is None:
            draft = state.model_copy(update={"sealed_text": ports.seal(text.strip())})
            return Outcome(draft, (Reply(texts.theme_for_text, _theme_buttons(draft, workshop)),))
    return Outcome(state, (Reply(texts.theme_hint, _theme_buttons(state, workshop)),))


def _asks_who_sees(text: str, ports: Ports) -> bool:
    parse = ports.understand(text).parse
    return (
        parse.intent == "ask_privacy"
        and parse.confidence >= PRIVACY_CONFIDENCE
        and len(text.split()) <= PRIVACY_WORDS
    )


def _step_again(state: IdeaDraft, ports: Ports, content: Content) -> tuple[Message, ...]:
    """The step the draft is at, once more (after a question was answered)."""
    texts = content.texts.ideas
    if state.step == "confirm":
        return (Reply(texts.send_question, _confirm_buttons(state, content)),)
    if state.step == "text":
        return (Reply(texts.write.format(max=MAX_IDEA)),)
    workshop = _open(ports, str(state.workshop_id))
    if state.step == "theme" and workshop is not None:
        return (Reply(texts.choose_theme, _theme_buttons(state, workshop)),)
    return (Reply(texts.use_buttons),)


def _theme_buttons(draft: IdeaDraft, workshop: WorkshopView) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (Button(theme[:64], _data(draft, "t", str(number))),)
        for number, theme in enumerate(workshop.themes)
    )


def _confirm_buttons(draft: IdeaDraft, content: Content) -> tuple[tuple[Button, ...], ...]:
    texts = content.texts.ideas
    return (
        (Button(texts.send_label, _data(draft, "send")),),
        (
            Button(texts.edit_label, _data(draft, "edit")),
            Button(texts.drop_label, _data(draft, "drop")),
        ),
    )


def _send(state: IdeaDraft, ports: Ports, content: Content) -> Outcome:
    if (limited := _limited(ports, content)) is not None:
        return Outcome(state, (limited,))  # the draft waits; Send works again later
    workshop = _open(ports, str(state.workshop_id))
    if workshop is None:
        return _closed(state, content)
    if state.theme is None or state.sealed_text is None:
        return Outcome(state, (Toast(content.texts.stale_button),))
    effect = SaveIdea(workshop_id=workshop.id, theme=state.theme, sealed_text=state.sealed_text)
    outcome = _leave(state, (RemoveButtons(), Reply(content.texts.ideas.sent)), content)
    return Outcome(outcome.state, outcome.messages, (effect,))


# --- helpers --------------------------------------------------------------------------------


def _data(draft: IdeaDraft, kind: str, argument: str = "") -> str:
    tail = f"|{argument}" if argument else ""
    return f"{PREFIX}{kind}|{draft.draft_id}{tail}"


def _open(ports: Ports, workshop_id: str) -> WorkshopView | None:
    """The open workshop with this id; None if it is unknown, closed or not a number."""
    return next((w for w in ports.open_workshops() if str(w.id) == workshop_id), None)


def _closed(state: IdeaDraft, content: Content) -> Outcome:
    return _leave(state, (RemoveButtons(), Reply(content.texts.ideas.closed)), content)


def _leave(state: IdeaDraft, messages: tuple[Message, ...], content: Content) -> Outcome:
    """End the draft (its text goes with it) and go back to a check-in that waited."""
    return Outcome(state.leave(), (*messages, *_waiting(state.checkin, content)))


def _waiting(held: Checkin | None, content: Content) -> tuple[Message, ...]:
    if held is None or held.phase != "items":
        return ()
    return (Reply(content.texts.checkin.still_paused.format(number=held.index + 1)),)


def _limited(ports: Ports, content: Content) -> Reply | None:
    now = ports.now()
    recent = sorted(moment for moment in ports.recent_ideas() if now - moment < WINDOW)
    if len(recent) < LIMIT:
        return None
    wait = recent[-LIMIT] + WINDOW - now
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return Reply(content.texts.ideas.limited.format(minutes=minutes))
