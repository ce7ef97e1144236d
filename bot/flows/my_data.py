"""/mine_data: a short summary in the chat, and everything stored as a JSON file."""

from __future__ import annotations

import json

from bot.engine.messages import Document, Reply
from bot.engine.ports import Outcome, Ports
from bot.engine.state import State
from core.content import Content

FILENAME = "mine_data.json"


def show(state: State, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.my_data
    stored = ports.my_data()
    lines = [texts.intro]
    for table, rows in stored.items():
        if rows:
            label = texts.labels.get(table, table)
            lines.append(texts.line.format(label=label, count=len(rows)))
    lines.append(texts.outro)
    export = {"exported_at": ports.now().isoformat(), "tables": stored}
    data = json.dumps(export, ensure_ascii=False, indent=2).encode("utf-8")
    return Outcome(state, (Reply("\n".join(lines)), Document(FILENAME, data, texts.caption)))
