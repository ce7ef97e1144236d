"""No log line, the libraries' own included, carries a young person's text, chat id or name, or
the bot token: every logger at DEBUG, across the channel's faults."""

from __future__ import annotations

import logging

import pytest

from bot.channels.telegram.library_logs import protect_library_logs
from testing.fake_bot_api import TOKEN, FakeBotApi, Fault
from tests.bot.channels.conftest import make_channel
from tests.bot.channels.test_telegram_delivery_faults import CHAT, MISSED, join

LIBRARIES = ("telegram", "aiohttp", "httpx", "httpcore", "apscheduler")
NAME = {"first_name": "Zenia", "last_name": "Quist", "username": "zenia_q"}
OTHER_CHAT = 7700123


@pytest.fixture
def everything(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in LIBRARIES:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def sends_with_name(fake_api: FakeBotApi, chat_id: int, text: str) -> int:
    chat = {"id": chat_id, "type": "private", **NAME}
    sender = {"id": chat_id, "is_bot": False, **NAME}
    return fake_api.user_sends(chat_id, text, chat=chat, **{"from": sender})


async def test_no_line_carries_text_chat_id_name_or_token_across_the_faults(
    service, fake_api, invite, everything
):
    fake_api.inject("setMyCommands", Fault(status=500), count=2)
    channel = make_channel(service, fake_api, retry_delay=0.01, menu_retry=0.05)
    await channel.start()
    try:
        _, code = invite("Zenia Quist")
        await join(fake_api, code)
        sends_with_name(fake_api, CHAT, "Mit hemmelige svar om min bror")  # a typed answer
        # An unreadable update full of personal data (PTB logged the raw batch at CRITICAL).
        unreadable = fake_api.message_payload(OTHER_CHAT, text="hemmelige ord om min bror")
        fake_api.push_update({"message": {**unreadable, "chat": "Zenia Quist"}})
        # A file upload that fails, and a reply that cannot be delivered.
        fake_api.inject(
            "sendDocument", Fault(status=500, description="Internal Server Error"), count=2
        )
        sends_with_name(fake_api, CHAT, "/mine_data")
        await fake_api.wait_for_text(CHAT, "Jeg kunne ikke sende filen lige nu.")
        await fake_api.wait_idle()
        fake_api.inject("sendMessage", Fault(status=502, description="Bad Gateway"), count=6)
        sends_with_name(fake_api, CHAT, "/hjaelp")
        await fake_api.wait_for(lambda: not fake_api.faults["sendMessage"], what="faults used")
        sends_with_name(fake_api, CHAT, "hallo? hemmelige Zenia")
        await fake_api.wait_for_text(CHAT, MISSED)
        await fake_api.wait_for(lambda: bool(fake_api.commands), what="the menu set")
        await fake_api.wait_idle()
    finally:
        await channel.stop()

    lines = everything.text
    # The libraries did log, at DEBUG, about exactly these calls ...
    library = [r for r in everything.records if r.name.split(".")[0] in LIBRARIES]
    messages = [r.getMessage() for r in library]
    assert "Calling Bot API endpoint `sendMessage` with parameters `…`" in messages
    # ... and our own lines said what failed.
    assert "sendDocument: HTTP 500, NetworkError: Internal Server Error" in lines
    assert "skipped update" in lines
    # Nothing personal, and no token, in any of them.
    for secret in (str(CHAT), str(OTHER_CHAT), "Zenia", "Quist", "zenia_q", "hemmelige", "bror"):
        assert secret not in lines, secret
    assert code not in lines
    assert TOKEN.split(":")[1] not in lines


def test_a_library_error_keeps_its_type_and_traceback_but_not_its_text(everything):
    protect_library_logs()
    batch = [{"update_id": 5, "message": {"chat": {"id": 5550001, "first_name": "Zenia"}}}]
    logging.getLogger("telegram.Bot").critical(
        "Error while parsing updates! Received data was %r", batch
    )
    said = "Zenia skrev: hemmelige ord"  # (a traceback shows source lines, not values)
    try:
        raise ValueError(said)
    except ValueError:
        logging.getLogger("apscheduler.executors.default").exception(
            'Job "%s" raised an exception', "dispatch"
        )
        logging.getLogger("telegram.ext.Application").exception(ValueError(said))
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s %d %s"',
        "POST",
        f"http://x/bot{TOKEN}/getMe",
        "HTTP/1.1",
        200,
        "OK",
    )
    messages = [r.getMessage() for r in everything.records]
    assert messages == [
        "Error while parsing updates! Received data was …",
        'Job "dispatch" raised an exception',
        "(ValueError withheld)",
        'HTTP Request: POST http://x/bot<token>/getMe "HTTP/1.1 200 OK"',
    ]
    text = everything.text
    assert "builtins.ValueError: (text withheld)" in text
    assert "test_a_library_error_keeps_its_type_and_traceback_but_not_its_text" in text
    for secret in ("Zenia", "hemmelige", "5550001", TOKEN):
        assert secret not in text


def test_our_own_lines_are_left_as_they_are(everything):
    protect_library_logs()
    protect_library_logs()  # idempotent: one rewriting, not two
    logging.getLogger("bot.channels.telegram.held").warning("%d messages held", 3)
    assert [r.getMessage() for r in everything.records] == ["3 messages held"]
