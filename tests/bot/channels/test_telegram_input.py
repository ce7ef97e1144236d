"""Every kind of update gets a clear answer or is ignored safely, through real PTB over HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage import Answer, ProcessedUpdate
from tests.bot.channels.test_telegram_flow import CHAT, answers, join_and_accept


@pytest.mark.parametrize(
    "media",
    [
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}},
        {"location": {"latitude": 55.67, "longitude": 12.56}},
    ],
    ids=["sticker", "photo", "voice", "location"],
)
async def test_media_gets_a_kind_answer_and_changes_nothing(
    channel, fake_api, database, invite, media
):
    _, code = invite()
    await join_and_accept(fake_api, code)
    fake_api.push_update({"message": fake_api.message_payload(CHAT, **media)})
    await fake_api.wait_for_text(CHAT, "Jeg kan kun læse tekst og knapper")
    fake_api.user_sends(CHAT, "4")
    await fake_api.wait_for_text(CHAT, "Spørgsmål 2 af 5")
    assert answers(database) == [("glad", 4)]


async def test_edited_and_forwarded_messages_are_not_taken_as_answers(
    channel, fake_api, database, invite
):
    _, code = invite()
    await join_and_accept(fake_api, code)
    edited = fake_api.message_payload(CHAT, text="5", edit_date=1)
    fake_api.push_update({"edited_message": edited})
    await fake_api.wait_for_text(CHAT, "Jeg kan ikke se rettelser")
    forwarded = fake_api.message_payload(
        CHAT, text="5", forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "X"}
    )
    fake_api.push_update({"message": forwarded})
    await fake_api.wait_for_text(CHAT, "videresendte beskeder")
    await fake_api.wait_idle()
    assert answers(database) == []


async def test_group_chats_get_told_the_bot_only_answers_in_private(
    channel, fake_api, database, invite
):
    _, code = invite()
    fake_api.user_sends(-100123, f"/start {code}", chat_type="group")
    await fake_api.wait_for_text(-100123, "Jeg svarer kun i en privat chat")
    await fake_api.wait_idle()
    assert [t for t in fake_api.texts(-100123) if "Er det okay" in t] == []


async def test_a_5000_character_text_gets_a_short_answer(channel, fake_api, database, invite):
    _, code = invite()
    await join_and_accept(fake_api, code)
    fake_api.user_sends(CHAT, "x" * 5000)
    await fake_api.wait_for_text(CHAT, "lidt for lang")
    await fake_api.wait_idle()
    assert answers(database) == []


async def test_forged_callback_data_changes_nothing(channel, fake_api, database, invite):
    _, code = invite()
    question = await join_and_accept(fake_api, code)
    real = question.button("Hele tiden")["callback_data"]
    forged = [
        real.replace("|5", "|9"),
        real.replace("glad", "rolig"),
        "a|" + "0" * 32 + "|glad|5",
        "💥" * 20,
        "",
    ]
    before = len(fake_api.callback_answers)
    for data in forged:
        fake_api.user_presses_data(CHAT, question, data)
    await fake_api.wait_for(lambda: len(fake_api.callback_answers) == before + len(forged))
    assert {a.get("text") for a in fake_api.callback_answers[before:]} == {
        "Den knap virker ikke længere."
    }
    assert answers(database) == []


async def test_the_same_update_twice_is_handled_once(channel, fake_api, database, invite):
    _, code = invite()
    await join_and_accept(fake_api, code)
    payload = {"message": fake_api.message_payload(CHAT, text="3")}
    update_id = fake_api.push_update(payload)
    fake_api.push_update(payload, update_id=update_id)
    await fake_api.wait_for_text(CHAT, "Spørgsmål 2 af 5")
    await fake_api.wait_idle()
    assert answers(database) == [("glad", 3)]
    assert sum("Spørgsmål 2 af 5" in t for t in fake_api.texts(CHAT)) == 1
    with database.session() as session:
        assert session.get(ProcessedUpdate, update_id) is not None


async def test_two_quick_presses_store_one_answer_and_both_are_answered(
    channel, fake_api, database, invite
):
    _, code = invite()
    question = await join_and_accept(fake_api, code)
    before = len(fake_api.callback_answers)
    fake_api.user_presses(CHAT, question, "Lidt af tiden")
    fake_api.user_presses(CHAT, question, "Hele tiden")
    await fake_api.wait_for(lambda: len(fake_api.callback_answers) == before + 2)
    await fake_api.wait_idle()
    assert answers(database) == [("glad", 1)]
    assert sum("Spørgsmål 2 af 5" in t for t in fake_api.texts(CHAT)) == 1
    assert fake_api.callback_answers[-1]["text"] == "Den knap virker ikke længere."
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Answer)) == 1
