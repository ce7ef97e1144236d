"""/mine_data: every kind of stored row gets a readable Danish line; the file keeps the codes."""

from __future__ import annotations

import json

from bot.engine.messages import Document
from bot.flows.my_data import KIND_COLUMN
from domain.alerts.kinds import AlertKind
from domain.outbox import ReminderKind
from storage import ResponseStatus
from storage.models import MeetingKind, NotificationKind
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies

STORED: dict[str, list[dict[str, object]]] = {
    "young_person": [{"id": 1, "pseudonym": "Mille", "status": "active"}],
    "questionnaire_response": [
        {"id": "a", "questionnaire_id": "who5", "status": "completed"},
        {"id": "b", "questionnaire_id": "who5", "status": "completed"},
        {"id": "c", "questionnaire_id": "who5", "status": "stopped"},
    ],
    "alert": [
        {"id": 1, "kind": "who5_item_low", "status": "open"},
        {"id": 2, "kind": "cannot_come", "status": "resolved"},
    ],
    "reminder": [{"id": 1, "kind": "meeting_day_before", "status": "sent"}],
    "meeting": [{"id": 1, "kind": "network", "status": "planned"}],
}


def test_the_summary_is_readable_danish_and_the_file_keeps_the_codes(content):
    harness = EngineHarness(content, FakePorts(stored=STORED))
    messages = Conversation(harness).send("/mine_data")
    [summary] = replies(messages)
    assert "• Tjek, du er gået i gang med: 3" in summary
    assert "2 × Tjek, du har svaret på" in summary
    assert "1 × Tjek, du stoppede" in summary
    assert "1 × Et af dine svar var lavt" in summary
    assert "1 × Du kunne ikke komme til et møde" in summary
    assert "1 × Påmindelse dagen før et møde" in summary
    assert "1 × Netværksmøde" in summary
    for code in ("who5_item_low", "cannot_come", "kind", "meeting_day_before", "network"):
        assert code not in summary
    [document] = [m for m in messages if isinstance(m, Document)]
    assert json.loads(document.data)["tables"] == STORED


def test_every_kind_the_system_stores_has_danish_words(content):
    kinds = content.texts.my_data.kinds
    expected: dict[str, set[str]] = {
        "alert": {str(code) for code in AlertKind},
        "reminder": {str(code) for code in ReminderKind},
        "meeting": {str(code) for code in MeetingKind},
        "staff_notification": {str(code) for code in NotificationKind},
        "questionnaire_response": {str(code) for code in ResponseStatus},
    }
    assert set(kinds) == set(expected)
    for table, codes in expected.items():
        assert codes <= set(kinds[table]), table
    assert set(KIND_COLUMN) <= set(kinds)
