"""What a Telegram update means for us: an engine event, something to refuse kindly, or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from telegram import Chat, ChatMember, Update

from bot.engine import Event, Press, parse_input


class Refusal(StrEnum):
    """Updates we cannot use, each answered with a short text from dialogues/texts.yml."""

    ONLY_PRIVATE = "only_private"
    UNSUPPORTED = "unsupported"
    EDITED = "edited"
    FORWARDED = "forwarded"


@dataclass(frozen=True)
class Incoming:
    chat_id: int
    event: Event | None  # None when refused
    refusal: Refusal | None = None
    callback_id: str | None = None
    message_id: int | None = None  # the message whose button was pressed


@dataclass(frozen=True)
class Membership:
    """The young person blocked (False) or unblocked (True) the bot."""

    chat_id: int
    reachable: bool


def read_update(update: Update) -> Incoming | Membership | None:
    """Translate one update; None for updates that need no answer (channels, polls, ...)."""
    if update.my_chat_member is not None:
        member = update.my_chat_member
        if member.chat.type != Chat.PRIVATE:
            return None
        status = member.new_chat_member.status
        reachable = status not in (ChatMember.BANNED, ChatMember.LEFT)
        return Membership(member.chat.id, reachable)

    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        chat = message.chat if message is not None else None
        # Without the message (too old), the user's id is the private chat's id.
        chat_id = query.from_user.id if chat is None else chat.id
        if chat is not None and chat.type != Chat.PRIVATE:
            return Incoming(chat_id, None, Refusal.ONLY_PRIVATE, callback_id=query.id)
        return Incoming(
            chat_id,
            Press(query.data or ""),
            callback_id=query.id,
            message_id=message.message_id if message is not None else None,
        )

    if update.edited_message is not None:
        chat = update.edited_message.chat
        refusal = Refusal.EDITED if chat.type == Chat.PRIVATE else Refusal.ONLY_PRIVATE
        return Incoming(chat.id, None, refusal)

    message = update.message
    if message is None:
        return None
    if message.chat.type != Chat.PRIVATE:
        return Incoming(message.chat.id, None, Refusal.ONLY_PRIVATE)
    if message.forward_origin is not None:
        return Incoming(message.chat.id, None, Refusal.FORWARDED)
    if message.text is None:
        return Incoming(message.chat.id, None, Refusal.UNSUPPORTED)
    return Incoming(message.chat.id, parse_input(message.text))
