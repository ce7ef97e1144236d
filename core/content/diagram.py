"""A Mermaid flow diagram per questionnaire, generated from its YAML, so a coordinator can read
the conversation without running it. `ungeguide dialogues diagram` writes dialogues/diagrams/."""

from __future__ import annotations

from core.content.models import Content, Questionnaire


def _label(text: str, limit: int = 60) -> str:
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return short.replace('"', "'").replace("\n", " ")


def mermaid(questionnaire: Questionnaire, content: Content) -> str:
    texts = content.texts.checkin
    total = len(questionnaire.items)
    lines = [
        f"%% Generated from dialogues/{questionnaire.id}.yml by `ungeguide dialogues diagram`.",
        "flowchart TD",
        f'    start(["/tjek → {_label(questionnaire.menu_label)}"]) --> before',
        f'    before["Før: {len(questionnaire.guide.before)} beskeder: hvorfor vi spørger, '
        'hvem der ser svarene"]',
        f'    before -->|"{_label(texts.begin_label)}"| q1',
        f'    before -->|"{_label(texts.later_label)}"| later(["Senere: /tjek"])',
    ]
    for number, item in enumerate(questionnaire.items, start=1):
        lines.append(
            f'    q{number}["{number}/{total}: {_label(questionnaire.stem)} {_label(item.text)}"]'
        )
        following = f"q{number + 1}" if number < total else "after"
        lines.append(
            f'    q{number} -->|"svar {questionnaire.high}…{questionnaire.low}"| {following}'
        )
        if number > 1:
            lines.append(f"    q{number} -.->|tilbage| q{number - 1}")
        lines.append(f"    q{number} -.->|pause| paused")
        lines.append(f"    q{number} -.->|stop| stopped")
    scoring = (
        f"tal 0–{questionnaire.scoring.max} og ændring siden sidst"
        if questionnaire.scoring.method == "sum"
        else "svar pr. område og ændring siden sidst"
    )
    lines += [
        f'    after["Efter: {scoring}"] --> talk',
        f'    talk["{_label(questionnaire.guide.talk_next_time)}"]',
        '    talk -->|tekst| saved(["Til næste møde"])',
        f'    talk -->|"{_label(texts.skip_label)}"| done(["Tak og farvel"])',
        "    saved --> done",
        '    paused(["Pause: /tjek fortsætter ved samme spørgsmål"])',
        '    stopped(["Stoppet: svarene indtil nu er gemt"])',
    ]
    return "\n".join(lines) + "\n"
