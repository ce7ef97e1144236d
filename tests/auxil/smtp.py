"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, and can refuse."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

from domain.alerts.email import SmtpSettings, Tls


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refusing = False
        self.port = _free_port()
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusing:
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def start(self) -> SmtpServer:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def settings(self) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, tls=Tls.NONE, sender="ug@kommune.dk")

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]
