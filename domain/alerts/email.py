"""Sending an e-mail over SMTP (Python's smtplib): plain text, to one address.

E-mail is not a secure channel: what is sent holds no name and no health data (see the
notifier). Blocking: call it from a thread.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from enum import StrEnum

from domain.errors import MailError
from storage.models import NotificationKind

TIMEOUT_SECONDS = 20.0


class Tls(StrEnum):
    STARTTLS = "starttls"  # connect in plain text, then upgrade (port 587)
    SSL = "ssl"  # TLS from the first byte (port 465)
    NONE = "none"  # only for a relay on the same machine or a test server


@dataclass(frozen=True, kw_only=True)
class SmtpSettings:
    host: str
    port: int = 587
    tls: Tls = Tls.STARTTLS
    user: str | None = None
    password: str | None = None
    sender: str = "ungeguide@localhost"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


@dataclass(frozen=True, kw_only=True)
class MailFacts:
    """What an e-mail may say: no name of a young person, no answers, no words they wrote."""

    kind: NotificationKind
    staff_name: str
    alert_kind: str | None  # None for a digest
    alert_id: int | None
    raised_at: datetime | None
    kinds_waiting: dict[str, int] = field(default_factory=dict)  # a digest's, per kind


def send_mail(settings: SmtpSettings, mail: Mail) -> None:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(mail.body)
    try:
        with _connect(settings) as client:
            if settings.user:
                client.login(settings.user, settings.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(type(error).__name__) from error


def check_connection(settings: SmtpSettings) -> None:
    """Connect and log in without sending anything (for `ungeguide doctor`); raises MailError."""
    try:
        with _connect(settings) as client:
            if settings.user:
                client.login(settings.user, settings.password or "")
            client.noop()
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.tls == Tls.SSL:
        return smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    if settings.tls == Tls.STARTTLS:
        try:
            client.starttls(context=ssl.create_default_context())
        except BaseException:
            client.close()
            raise
    return client
