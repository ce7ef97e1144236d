"""The bot's HTTP server (Starlette, served by uvicorn), with the dashboard on the same port.

Webhook mode: Telegram posts updates to us. Every request must carry the secret token we gave
Telegram in setWebhook, in the header X-Telegram-Bot-Api-Secret-Token; a wrong or missing token
gets 403 and nothing is processed. Without a secret the channel polls Telegram instead, and the
server only carries the dashboard.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp

from bot.channels.telegram.channel import ALLOWED_UPDATES, TelegramChannel
from bot.channels.telegram.unreadable import read_raw, update_id_of

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
WEBHOOK_PATH = "/telegram/webhook"


def webhook_app(
    channel: TelegramChannel,
    *,
    secret: str | None,
    public_url: str | None,
    background: Callable[[], AsyncIOScheduler] | None = None,
    dashboard: ASGIApp | None = None,
) -> Starlette:
    """The ASGI app. With `secret` it receives webhook updates, and with `public_url` it also
    registers the webhook with Telegram on start; without a secret the channel polls.
    `background` starts the reminder scheduler once the channel runs; `dashboard` is served
    on every other path."""

    async def receive(request: Request) -> Response:
        assert secret is not None  # noqa: S101 - the route exists only with a secret
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), secret.encode()):
            logger.warning("webhook request with a wrong or missing secret token refused")
            return Response(status_code=403)
        try:
            raw = await request.json()
        except ValueError:
            return Response(status_code=400)
        update = read_raw(raw, channel.application.bot)
        if update is None:
            # An update we cannot read is skipped (its id logged), not refused: Telegram
            # would send it again and again, ahead of everything else.
            return Response(status_code=200 if update_id_of(raw) is not None else 400)
        await channel.handle(update)  # answer only once it is stored and answered
        return Response(status_code=200)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await channel.start(polling=secret is None)
        if public_url and secret is not None:
            await channel.application.bot.set_webhook(
                public_url + WEBHOOK_PATH, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
        scheduler = background() if background else None
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            await channel.stop()

    routes: list[BaseRoute] = []
    if secret is not None:
        routes.append(Route(WEBHOOK_PATH, receive, methods=["POST"]))
    if dashboard is not None:
        routes.append(Mount("/", app=dashboard))
    return Starlette(routes=routes, lifespan=lifespan)
