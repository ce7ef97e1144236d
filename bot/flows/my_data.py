"""/mine_data: a readable Danish summary in the chat, and everything stored as a JSON file.

The summary names each kind of row in plain words (an alert's kind, a reminder's kind, a
meeting's kind, whether a check-in was finished), from `my_data.kinds` in dialogues/texts.yml;
the file keeps the stored codes, so it is exactly what is in the database.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from bot.engine.messages import Document, Reply
from bot.engine.ports import Outcome, Ports
from bot.engine.state import State
from core.content import Content
from core.content.models import MyDataTexts

FILENAME = "mine_data.json"
# The column that tells the kinds of a table's rows apart, where it is not `kind`.
KIND_COLUMN = {"questionnaire_response": "status"}
# The kinds stand indented under their table's line (the content strips leading spaces).
INDENT = "    "


def show(state: State, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.my_data
    stored = ports.my_data()
    lines = [texts.intro]
    for table, rows in stored.items():
        if rows:
            label = texts.labels.get(table, table)
            lines.append(texts.line.format(label=label, count=len(rows)))
            lines.extend(kind_lines(table, rows, texts))
    lines.append(texts.outro)
    export = {"exported_at": ports.now().isoformat(), "tables": stored}
    data = json.dumps(export, ensure_ascii=False, indent=2).encode("utf-8")
    return Outcome(state, (Reply("\n".join(lines)), Document(FILENAME, data, texts.caption)))


def kind_lines(table: str, rows: list[dict[str, Any]], texts: MyDataTexts) -> list[str]:
    """One line per kind of row, most common first, in the young person's words."""
    names = texts.kinds.get(table)
    if names is None:
        return []
    column = KIND_COLUMN.get(table, "kind")
    counts = Counter(str(row.get(column)) for row in rows)
    return [
        INDENT + texts.kind_line.format(count=count, label=names.get(code, code))
        for code, count in counts.most_common()
    ]
