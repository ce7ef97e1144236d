"""Nothing personal reaches the logs: no message text, chat id or pseudonym."""

from __future__ import annotations

import logging

from bot.engine import Command, Press
from domain.people import create_young_person, issue_invite
from tests.auxil.transcript import Conversation


def test_a_whole_conversation_logs_no_text_chat_id_or_name(service, database, clock, caplog):
    with database.session() as session:
        person = create_young_person(session, pseudonym="Zenia Quist", birth_year=2007, now=clock())
        code = issue_invite(session, person, now=clock())
    chat_id = 918_273_645
    caplog.set_level(logging.DEBUG)
    talk = Conversation(lambda event: service.handle_chat(chat_id, event))
    talk.send(Command("start", code))
    talk.press("Ja, det er okay")
    talk.press("Ja, lad os prøve")
    talk.send("ja")
    for typed in ("hele tiden", "4", "mindre end halvdelen", "1", "aldrig"):
        talk.send(typed)
    talk.send("Hemmeligt emne om min lillebror")
    talk.send(Press("forged|data"))
    assert caplog.records, "the service should log what it does"
    logged = caplog.text
    for secret in (
        "Hemmeligt",
        "lillebror",
        "Zenia",
        "Quist",
        str(chat_id),
        code,
        "hele tiden",
        "mindre end halvdelen",
        "aldrig",
    ):
        assert secret not in logged
