"""The words of a retry or warning log line (bot/channels/telegram/request.py::describe)."""

from __future__ import annotations

from telegram.error import Conflict, NetworkError

from bot.channels.telegram.request import describe


def test_telegrams_own_words_are_not_doubled():
    conflict = Conflict("Conflict: terminated by other getUpdates request")
    assert describe(conflict) == (
        "a Bot API call: no answer, Conflict: terminated by other getUpdates request"
    )


def test_the_kind_of_error_comes_first_when_the_words_do_not_name_it():
    assert describe(NetworkError("Internal Server Error")) == (
        "a Bot API call: no answer, NetworkError: Internal Server Error"
    )
