"""No message text, chat id, invite code or name in any log line, over a whole conversation
through the real python-telegram-bot: joining, a full check-in, free text, a cry for help,
the data commands and a deletion request."""

from __future__ import annotations

import logging

from tests.bot.channels.test_telegram_flow import CHAT, join_and_accept

SAID = [
    "Min hemmelige bror Anders",  # the topic for next time
    "jeg vil ikke leve mere",
    "hvornår er mit møde",
    "ka vi ikk ta det i morgen",
]


async def test_no_text_chat_id_code_or_name_in_the_logs_of_a_whole_conversation(
    channel, fake_api, invite, caplog
):
    caplog.set_level(logging.DEBUG)
    _, code = invite("Zenia Quist")
    await join_and_accept(fake_api, code)
    for typed in ("4", "3", "hele tiden", "2", "1"):
        fake_api.user_sends(CHAT, typed)
    await fake_api.wait_for_text(CHAT, "tale med din kontaktperson om næste gang")
    for text in SAID:
        fake_api.user_sends(CHAT, text)
    await fake_api.wait_for_text(CHAT, "Livslinien")
    fake_api.user_sends(CHAT, "/mine_data")
    await fake_api.wait_for_text(CHAT, "Alt, hvad Ungeguide har gemt om dig")
    fake_api.user_sends(CHAT, "/pause")
    await fake_api.wait_for_text(CHAT, "Nu holder jeg pause")
    fake_api.user_sends(CHAT, "/start_igen")
    await fake_api.wait_for_text(CHAT, "Nu får du påmindelser og tjek igen")
    fake_api.user_sends(CHAT, "/slet")
    first = await fake_api.wait_for_text(CHAT, "Vil du have slettet alt")
    fake_api.user_presses(CHAT, first, "Ja, slet mine data")
    second = await fake_api.wait_for_text(CHAT, "Er du helt sikker?")
    fake_api.user_presses(CHAT, second, "Ja, slet det hele")
    await fake_api.wait_for_text(CHAT, "Din kontaktperson har fået besked og sletter")
    await fake_api.wait_idle()
    assert len(caplog.records) > 15  # a line for (nearly) every event: the check means something
    for secret in (str(CHAT), code, "Zenia", "Quist", "hemmelige", "Anders", *SAID):
        assert secret not in caplog.text, secret
