"""Callback data of check-in buttons: `<kind>|<response id>|<item id or ->|<argument>`."""

from __future__ import annotations

from bot.engine.state import Checkin

NO_ITEM = "-"


def button_data(kind: str, state: Checkin, item: str, argument: str) -> str:
    return f"{kind}|{state.response_id}|{item}|{argument}"
